package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd wait} and {@code status --watch} against a ledger the test changes between readings: the
 * sleeper advances the clock by the pause and then plays the next scripted change, as the daemon would.
 */
class RunFollowerTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final Deque<Runnable> script = new ArrayDeque<>();
    private final List<String> out = new ArrayList<>();
    private int sleeps;
    private Ledger ledger;
    private SweepStatus status;
    private RunFollower follower;

    @BeforeEach
    void wire() {
        ledger = InMemoryLedger.open(clock);
        status = new SweepStatus(ledger, clock);
        follower = new RunFollower(status, new InboxSweeps(home.resolve("inbox")), clock, this::sleep, INTERVAL);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private void sleep(Duration pause) {
        assertThat(pause).isEqualTo(INTERVAL);
        if (++sleeps > 1000) {
            throw new AssertionError("still following after 1000 readings: " + out);
        }
        clock.advance(pause);
        if (!script.isEmpty()) {
            script.removeFirst().run();
        }
    }

    /** Between two readings the daemon does this. */
    private void then(Runnable change) {
        script.addLast(change);
    }

    private String record(String sweep, int jobs) {
        return Runs.record(ledger, home.resolve("outputs"), sweep, clock.instant(), jobs);
    }

    private void fail(String runId, String jobKey, String slurmId, String reason) {
        Runs.running(ledger, runId, jobKey, slurmId, clock.instant());
        ledger.jobs().transition(runId, jobKey, JobState.RUNNING, JobState.FAILED, reason,
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 1));
    }

    private RunFollower.Outcome await(String name) throws InterruptedException {
        return follower.await(name, Duration.ofHours(1), Duration.ofMinutes(2), out::add);
    }

    @Test
    void waitPrintsAProgressLineWhenCountsChangeAndALinePerJobThatEnds() throws Exception {
        String run = record("quickstart", 2);
        then(() -> Runs.submitted(ledger, run, key(0), "100"));
        then(() -> { }); // nothing changed: no line
        then(() -> Runs.running(ledger, run, key(1), "101", clock.instant()));
        then(() -> {
            ledger.jobs().transition(run, key(0), JobState.PENDING, JobState.RUNNING, null,
                    Map.of(JobDetails.STARTED_AT, clock.instant()));
            ledger.jobs().transition(run, key(0), JobState.RUNNING, JobState.COMPLETED, null,
                    Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 0));
        });
        then(() -> ledger.jobs().transition(run, key(1), JobState.RUNNING, JobState.FAILED, "exit code 1",
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 1)));
        then(() -> ledger.runs().finishRun(run, clock.instant()));

        RunFollower.Outcome outcome = await("quickstart");

        assertThat(out).containsExactly(
                "12:00:00 quickstart-20261202-120000  [..........] 0/2 jobs ended: 2 PLANNED",
                "12:00:02 quickstart-20261202-120000  [..........] 0/2 jobs ended: 1 PENDING, 1 PLANNED",
                "12:00:06 quickstart-20261202-120000  [..........] 0/2 jobs ended: 1 RUNNING, 1 PENDING",
                "12:00:08   job " + key(0) + " COMPLETED (Slurm job 100)",
                "12:00:08 quickstart-20261202-120000  [#####.....] 1/2 jobs ended: 1 RUNNING, 1 COMPLETED",
                "12:00:10   job " + key(1) + " FAILED (Slurm job 101): exit code 1",
                "12:00:10 quickstart-20261202-120000  [##########] 2/2 jobs ended: 1 COMPLETED, 1 FAILED");
        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.FINISHED);
        assertThat(outcome.last().allCompleted()).as("a job failed").isFalse();
        assertThat(outcome.last().run().runId()).isEqualTo(run);
    }

    @Test
    void waitEndsWhenTheDaemonFinishesTheRunNotWhenItsJobsAreTerminal() throws Exception {
        String run = record("quickstart", 1);
        Runs.completed(ledger, run, key(0), "100", T0, T0);
        // The job is terminal but its results are still being collected: the run is not finished.
        then(() -> { });
        then(() -> { });
        then(() -> ledger.runs().finishRun(run, clock.instant()));

        RunFollower.Outcome outcome = await(run);

        assertThat(sleeps).isEqualTo(3);
        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.FINISHED);
        assertThat(outcome.last().allCompleted()).isTrue();
        assertThat(out).hasSize(1);
    }

    @Test
    void aRetriedJobThatEndsAgainIsReportedAgain() throws Exception {
        String run = record("quickstart", 1);
        fail(run, key(0), "100", "NODE_FAIL on node3");
        then(() -> {
            ledger.jobs().transition(run, key(0), JobState.FAILED, JobState.PLANNED, "retry 2 of 2", Map.of());
            Runs.running(ledger, run, key(0), "101", clock.instant());
        });
        then(() -> ledger.jobs().transition(run, key(0), JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 0)));
        then(() -> ledger.runs().finishRun(run, clock.instant()));

        RunFollower.Outcome outcome = await("quickstart");

        assertThat(out).filteredOn(line -> line.contains(" job ")).containsExactly(
                "12:00:04   job " + key(0) + " COMPLETED (Slurm job 101)");
        assertThat(outcome.last().allCompleted()).isTrue();
    }

    @Test
    void waitGivesUpAtTheTimeoutWithTheRunsProgress() throws Exception {
        record("quickstart", 1);

        RunFollower.Outcome outcome = follower.await("quickstart", Duration.ofSeconds(10), Duration.ofMinutes(2),
                out::add);

        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.TIMED_OUT);
        assertThat(sleeps).isEqualTo(5);
        assertThat(outcome.message()).isEqualTo("gave up waiting for quickstart-20261202-120000 after PT10S "
                + "([..........] 0/1 jobs ended: 1 PLANNED)");
    }

    @Test
    void anUnknownNameFailsAtOnceNamingTheInbox() throws Exception {
        record("quickstart", 1);

        RunFollower.Outcome outcome = await("quickstrat");

        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.UNKNOWN);
        assertThat(sleeps).isZero();
        assertThat(outcome.message()).isEqualTo("no sweep or run named quickstrat, and no sweep file of that name "
                + "waits in the inbox " + home.resolve("inbox"));
    }

    /** As {@code sweepd submit} leaves it: the file in the inbox, written at {@code writtenAt}. */
    private Path submitted(String fileName, String text, Instant writtenAt) throws Exception {
        Path file = Files.writeString(Files.createDirectories(home.resolve("inbox")).resolve(fileName), text);
        Files.setLastModifiedTime(file, FileTime.from(writtenAt));
        return file;
    }

    @Test
    void aSweepStillInTheInboxIsWaitedForAndFollowedOnceRecorded() throws Exception {
        // An earlier run of the same sweep is finished: wait must not take it for the one just submitted.
        String earlier = record("quickstart", 1);
        Runs.completed(ledger, earlier, key(0), "90", T0, T0);
        ledger.runs().finishRun(earlier, T0);
        clock.advance(Duration.ofMinutes(5));
        Instant writtenAt = clock.instant();
        Path file = submitted("qs.yaml", "sweep:\n  name: quickstart\nentry: {}\n", writtenAt);
        then(() -> { });
        then(() -> {
            String run = Runs.record(ledger, home.resolve("outputs"), "quickstart", writtenAt, 1);
            Runs.completed(ledger, run, key(0), "100", clock.instant(), clock.instant());
            ledger.runs().finishRun(run, clock.instant());
            move(file, home.resolve("inbox/.done/qs-20261202-120504-000.yaml"));
        });

        RunFollower.Outcome outcome = await("quickstart");

        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.FINISHED);
        assertThat(outcome.last().run().runId()).isEqualTo("quickstart-20261202-120500");
        assertThat(out).containsExactly(
                "12:05:00 quickstart is still in the inbox (" + file + "); waiting for the daemon to pick it up",
                "12:05:04 quickstart-20261202-120500  [##########] 1/1 jobs ended: 1 COMPLETED");
    }

    @Test
    void aSweepNoDaemonPicksUpFailsAfterThePickupTimeoutAskingWhetherTheDaemonRuns() throws Exception {
        Path file = submitted("quickstart.yml", "entry: {}\n", T0);

        RunFollower.Outcome outcome = await("quickstart");

        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.NOT_PICKED_UP);
        assertThat(sleeps).isEqualTo(60);
        assertThat(outcome.message()).isEqualTo(file + " is still in the inbox after 2m: is the daemon running? "
                + "(sweepd daemon with the same --home; it reads " + home.resolve("inbox") + ")");
    }

    @Test
    void aSweepTheDaemonRefusesEndsWithItsErrorReport() throws Exception {
        Path file = submitted("quickstart.yaml", "quickstart: [not, a, map]\n", T0);
        Path errors = home.resolve("inbox/.error");
        then(() -> {
            move(file, errors.resolve("quickstart-20261202-120002-117.yaml"));
            write(errors.resolve("quickstart-20261202-120002-117.yaml.error.txt"),
                    "sweepd could not use quickstart.yaml\n  line:    1\n  problem: expected a map\n");
        });

        RunFollower.Outcome outcome = await("quickstart");

        assertThat(outcome.ending()).isEqualTo(RunFollower.Ending.REFUSED);
        assertThat(outcome.message()).isEqualTo("the daemon refused quickstart.yaml:\n"
                + "sweepd could not use quickstart.yaml\n  line:    1\n  problem: expected a map");
    }

    @Test
    void aRunIdOfAFileInTheInboxIsWaitedForToo() throws Exception {
        submitted("quickstart.yaml", "entry: {}\n", T0.plusSeconds(3));

        InboxSweeps.Pending pending = new InboxSweeps(home.resolve("inbox")).pending("quickstart-20261202-120003")
                .orElseThrow();

        assertThat(pending.sweepName()).isEqualTo("quickstart");
        assertThat(pending.expectedRunId()).isEqualTo(RunRecord.runId("quickstart", T0.plusSeconds(3)));
    }

    @Test
    void watchPrintsToAPipeOnlyWhenWhatItShowsChangedAndEndsWhenTheRunFinished() throws Exception {
        String run = record("quickstart", 1);
        StatusView view = new StatusView(status, clock);
        StatusView.Selection selection = StatusView.Selection.run(run);
        StatusView.Style style = new StatusView.Style(false, false, true);
        then(() -> { }); // only the age moved
        then(() -> Runs.submitted(ledger, run, key(0), "100"));
        then(() -> {
            ledger.jobs().transition(run, key(0), JobState.PENDING, JobState.RUNNING, null, Map.of());
            ledger.jobs().transition(run, key(0), JobState.RUNNING, JobState.FAILED, null, Map.of());
        });
        then(() -> ledger.runs().finishRun(run, clock.instant()));

        RunFollower.Frame last = follower.watch(() -> view.frame(selection, style), false, out::add);

        assertThat(out).containsExactly(
                "12:00:00\nquickstart-20261202-120000  active    [..........] 0/1 jobs ended: 1 PLANNED  0s ago",
                "12:00:04\nquickstart-20261202-120000  active    [..........] 0/1 jobs ended: 1 PENDING  4s ago",
                "12:00:06\nquickstart-20261202-120000  active    [##########] 1/1 jobs ended: 1 FAILED  6s ago",
                "12:00:08\nquickstart-20261202-120000  finished  [##########] 1/1 jobs ended: 1 FAILED  8s ago");
        assertThat(last.done()).isTrue();
        assertThat(last.success()).as("the job failed").isFalse();
    }

    @Test
    void watchOnATerminalRedrawsInPlaceEveryInterval() throws Exception {
        String run = record("quickstart", 1);
        StatusView view = new StatusView(status, clock);
        then(() -> { });
        then(() -> {
            Runs.completed(ledger, run, key(0), "100", clock.instant(), clock.instant());
            ledger.runs().finishRun(run, clock.instant());
        });

        RunFollower.Frame last = follower.watch(
                () -> view.frame(StatusView.Selection.newest(20), new StatusView.Style(true, false, true)), true,
                out::add);

        assertThat(out).hasSize(3).allSatisfy(drawing -> assertThat(drawing)
                .startsWith(RunFollower.CLEAR_SCREEN).contains("every 2s, Ctrl-C to stop")
                .contains("| " + key(0) + "-c4 |"));
        assertThat(out.get(2)).contains("finished  [##########] 1/1 jobs ended: 1 COMPLETED");
        assertThat(last.success()).isTrue();
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
