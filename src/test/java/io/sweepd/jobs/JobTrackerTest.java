package io.sweepd.jobs;

import ch.qos.logback.classic.Level;
import io.sweepd.InMemoryLedger;
import io.sweepd.LogLines;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

class JobTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    private static final List<String> ONE_SQUEUE_FOR_ALL = List.of("squeue", "--json", "--states=all", "--me");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private final CommandRunner runner = new CommandRunner(fake);
    /** The submitter's own commands (its name check before sbatch), counted apart from the tracker's. */
    private final CommandRunner submitterRunner = new CommandRunner(fake);
    private Ledger ledger;
    private JobSubmitter submitter;
    private JobTracker tracker;
    private String runId;

    @BeforeEach
    void wire() {
        ledger = InMemoryLedger.open(clock);
        SlurmClient slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
        submitter = new JobSubmitter(ledger.jobs(),
                new SlurmClient(submitterRunner, SlurmTimeouts.defaults(), "root", clock), clock);
        tracker = new JobTracker(ledger.jobs(), slurm, submitter, clock);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** Records a run of that many jobs and submits them all: Slurm ids 100, 101, ... */
    private void submitted(int jobs) {
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, jobs);
        assertThat(submitter.submitDue()).hasSize(jobs);
        fake.forgetCalls();
    }

    private static String id(int index) {
        return String.valueOf(100 + index);
    }

    private String name(int index) {
        return JobNames.attempt(runId, key(index), 1);
    }

    private JobRecord job(int index) {
        return Runs.job(ledger, runId, key(index));
    }

    private Path jobDir(int index) {
        return Path.of(job(index).jobDir());
    }

    private List<String> squeueCallsDuring(Runnable action) {
        int before = fake.argvs("squeue").size();
        action.run();
        List<List<String>> all = fake.argvs("squeue");
        return all.subList(before, all.size()).stream().map(argv -> String.join(" ", argv)).toList();
    }

    // ------------------------------------------------------------------ one squeue per cycle

    @ParameterizedTest(name = "{0} live jobs")
    @ValueSource(ints = {1, 10})
    void everyPollAsksSqueueExactlyOnceWhateverTheNumberOfLiveJobs(int jobs) {
        submitted(jobs);
        for (int i = 0; i < jobs; i++) {
            switch (i % 4) {
                case 0 -> fake.running(id(i), name(i), T0);
                case 1 -> fake.pending(id(i), name(i), "Resources");
                case 2 -> fake.ended(id(i), name(i), "COMPLETED", "None", T0, T0.plusSeconds(3))
                        .accounted(id(i), name(i), "COMPLETED", "0:0", T0, T0.plusSeconds(3));
                default -> fake.accounted(id(i), name(i), "COMPLETED", "0:0", T0, T0.plusSeconds(3));
            }
        }
        clock.advance(Duration.ofSeconds(5));

        long before = runner.invocations("squeue");
        List<JobRecord> ended = tracker.poll().ended();
        assertThat(runner.invocations("squeue") - before).isEqualTo(1);
        assertThat(fake.argvs("squeue")).containsExactly(ONE_SQUEUE_FOR_ALL);
        assertThat(ended).hasSize(jobs / 4 * 2 + Math.max(0, jobs % 4 - 2));

        clock.advance(Duration.ofSeconds(2));
        tracker.poll().ended();
        assertThat(runner.invocations("squeue") - before).isEqualTo(2);

        // Only jobs that ended or left the queue cost a per-job command.
        for (int i = 0; i < jobs; i++) {
            String jobId = id(i);
            boolean endedOrLeft = i % 4 >= 2;
            assertThat(fake.calls().stream().filter(c -> !c.executableName().equals("sbatch"))
                    .anyMatch(c -> c.argv().contains(jobId) || c.argv().contains("--jobs=" + jobId)))
                    .as("per-job command for job %s", jobId).isEqualTo(endedOrLeft);
        }
    }

    /**
     * The steady state of a large sweep: every tracked job still in the queue, none changed. However many there are, a
     * cycle is one squeue and nothing else (no sacct or scontrol for a job squeue lists), and it writes nothing to the
     * ledger: every job row and the audit trail are as they were.
     */
    @ParameterizedTest(name = "{0} tracked jobs")
    @ValueSource(ints = {1, 100, 1000})
    void aCycleOverUnchangedJobsIsOneSqueueAndNoOtherCommandAndWritesNothing(int count) {
        submitted(count);
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                fake.running(id(i), name(i), T0);
            } else {
                fake.pending(id(i), name(i), "Resources");
            }
        }
        clock.advance(Duration.ofSeconds(5));
        PollCycle first = tracker.poll();
        assertThat(first.changes()).as("the running half started").isEqualTo((count + 1) / 2);
        List<JobRecord> before = ledger.jobs().jobs(runId);
        int eventsBefore = ledger.jobs().events(runId).size();
        int callsBefore = fake.calls().size();

        clock.advance(Duration.ofSeconds(5));
        PollCycle unchanged = tracker.poll();
        clock.advance(Duration.ofSeconds(5));
        tracker.poll();

        assertThat(fake.calls().subList(callsBefore, fake.calls().size())).extracting(CommandSpec::argv)
                .as("two cycles: two squeue calls and nothing else").containsExactly(ONE_SQUEUE_FOR_ALL,
                        ONE_SQUEUE_FOR_ALL);
        assertThat(unchanged.ended()).isEmpty();
        assertThat(unchanged.changes()).isZero();
        assertThat(unchanged.live()).isEqualTo(count);
        assertThat(ledger.jobs().jobs(runId)).as("no job row rewritten").isEqualTo(before);
        assertThat(ledger.jobs().events(runId)).as("no event recorded").hasSize(eventsBefore);
    }

    @Test
    void aCycleReportsItsChangesAndTheNewestSubmissionForThePacer() {
        submitted(2);
        fake.pending(id(0), name(0), "Resources").pending(id(1), name(1), "Priority");
        clock.advance(Duration.ofSeconds(3));

        PollCycle cycle = tracker.poll();

        assertThat(cycle.changes()).as("both already PENDING from sbatch's answer").isZero();
        assertThat(cycle.live()).isEqualTo(2);
        assertThat(cycle.latestSubmission()).isEqualTo(T0);

        fake.ended(id(0), name(0), "COMPLETED", "None", T0, T0.plusSeconds(4));
        clock.advance(Duration.ofSeconds(3));
        PollCycle ended = tracker.poll();
        assertThat(ended.changes()).isEqualTo(1);
        assertThat(ended.ended()).extracting(JobRecord::jobKey).containsExactly(key(0));

        fake.ended(id(1), name(1), "COMPLETED", "None", T0, T0.plusSeconds(8));
        tracker.poll();
        assertThat(tracker.poll()).as("nothing live: no Slurm, nothing to pace by").isEqualTo(PollCycle.NOTHING_LIVE);
    }

    @Test
    void noSqueueWhenNothingIsLive() {
        assertThat(tracker.poll().ended()).isEmpty();

        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 3);
        assertThat(tracker.poll().ended()).as("planned jobs are not Slurm's yet").isEmpty();

        for (int i = 0; i < 3; i++) {
            Runs.completed(ledger, runId, key(i), id(i), T0, T0.plusSeconds(9));
        }
        assertThat(tracker.poll().ended()).isEmpty();

        assertThat(runner.invocations("squeue")).isZero();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theCycleEndsWithTheLastLiveJobAndSqueueIsNotAskedAgain() {
        submitted(1);
        fake.ended(id(0), name(0), "COMPLETED", "None", T0, T0.plusSeconds(3));
        tracker.poll().ended();
        assertThat(job(0).state()).isEqualTo(JobState.COMPLETED);

        tracker.poll().ended();
        tracker.poll().ended();

        assertThat(runner.invocations("squeue")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ what squeue says

    @Test
    void aRunningRowMovesAPendingJobToRunningWithSlurmsStartTime() {
        submitted(1);
        fake.running(id(0), name(0), T0.plusSeconds(3));
        clock.advance(Duration.ofSeconds(10));

        assertThat(tracker.poll().ended()).isEmpty();

        JobRecord running = job(0);
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(running.endedAt()).isNull();
        assertThat(fake.cancelled()).isEmpty();
    }

    @Test
    void aPendingRowWithAWaitingReasonKeepsTheJobPending() {
        submitted(1);
        fake.pending(id(0), name(0), "Resources");

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(30));
            tracker.poll().ended();
        }

        assertThat(job(0).state()).isEqualTo(JobState.PENDING);
        assertThat(fake.cancelled()).isEmpty();
    }

    @Test
    void aRunningJobSlurmPutsBackInTheQueueIsRequeuedAndTrackedToItsEndWithoutASecondJob() {
        submitted(1);
        fake.running(id(0), name(0), T0.plusSeconds(3));
        clock.advance(Duration.ofSeconds(10));
        tracker.poll();
        // A node failure: Slurm (JobRequeue=1) puts the batch job back in its queue under the same id.
        fake.pending(id(0), name(0), "BeginTime");
        clock.advance(Duration.ofSeconds(10));

        assertThat(tracker.poll().ended()).isEmpty();
        assertThat(job(0).state()).isEqualTo(JobState.REQUEUED);
        assertThat(job(0).reason()).startsWith("Slurm requeued it after it had started").contains("BeginTime");

        clock.advance(Duration.ofMinutes(2));
        tracker.poll();
        assertThat(job(0).state()).as("still waiting to run again").isEqualTo(JobState.REQUEUED);

        fake.running(id(0), name(0), T0.plusSeconds(150));
        clock.advance(Duration.ofSeconds(10));
        tracker.poll();
        assertThat(job(0).state()).isEqualTo(JobState.RUNNING);
        assertThat(job(0).startedAt()).as("the deadlines count from the rerun").isEqualTo(T0.plusSeconds(150));

        fake.ended(id(0), name(0), "COMPLETED", "None", T0.plusSeconds(150), T0.plusSeconds(190));
        clock.advance(Duration.ofSeconds(60));
        assertThat(tracker.poll().ended()).singleElement().satisfies(ended -> {
            assertThat(ended.state()).isEqualTo(JobState.COMPLETED);
            assertThat(ended.slurmJobId()).isEqualTo(id(0));
        });
        assertThat(submitter.submitDue()).as("no retry of sweepd's own").isEmpty();
        assertThat(fake.argvs("sbatch")).isEmpty();
    }

    @Test
    void aCompletedRowEndsTheJobCompletedAndWritesSlurmJson() throws IOException {
        submitted(1);
        Instant start = T0.plusSeconds(2);
        Instant end = T0.plusSeconds(40);
        fake.ended(id(0), name(0), "COMPLETED", "None", start, end)
                .accounted(id(0), name(0), "COMPLETED", "0:0", start, end);
        clock.advance(Duration.ofSeconds(45));

        List<JobRecord> ended = tracker.poll().ended();

        assertThat(ended).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED));
        JobRecord completed = job(0);
        assertThat(completed.state()).isEqualTo(JobState.COMPLETED);
        assertThat(completed.reason()).isNull();
        assertThat(completed.exitCode()).isZero();
        assertThat(completed.startedAt()).isEqualTo(start);
        assertThat(completed.endedAt()).isEqualTo(end);
        Path slurmJson = jobDir(0).resolve("slurm.json");
        assertThat(slurmJson).exists();
        JsonNode record = new ObjectMapper().readTree(slurmJson.toFile());
        assertThat(record.get("slurm-job-id").asText()).isEqualTo(id(0));
        assertThat(record.get("final").get("slurmState").asText()).isEqualTo("COMPLETED");
        assertThat(record.get("sacct").get("exitCode").asText()).isEqualTo("0:0");
        assertThat(record.get("scontrol").asText()).contains("JobId=" + id(0)).contains("JobState=COMPLETED");
    }

    @Test
    void aFailedRowEndsTheJobFailedWithTheExitCodeFromSacct() {
        submitted(1);
        fake.ended(id(0), name(0), "FAILED", "NonZeroExitCode", T0, T0.plusSeconds(7))
                .accounted(id(0), name(0), "FAILED", "1:0", T0, T0.plusSeconds(7));
        clock.advance(Duration.ofSeconds(10));

        tracker.poll().ended();

        JobRecord failed = job(0);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.reason()).contains("FAILED").contains("1:0");
        assertThat(jobDir(0).resolve("slurm.json")).exists();
        assertThat(fake.argvs("sacct")).anySatisfy(argv -> assertThat(argv).contains("--jobs=" + id(0)));
    }

    // ------------------------------------------------------------------ jobs that left the queue

    @Test
    void aJobAbsentFromSqueueIsResolvedFromSacct() {
        submitted(1);
        fake.accounted(id(0), name(0), "TIMEOUT", "0:0", T0, T0.plusSeconds(900));
        clock.advance(Duration.ofMinutes(20));

        List<JobRecord> ended = tracker.poll().ended();

        assertThat(ended).extracting(JobRecord::state).containsExactly(JobState.TIMEOUT);
        JobRecord timedOut = job(0);
        assertThat(timedOut.state()).isEqualTo(JobState.TIMEOUT);
        assertThat(timedOut.endedAt()).isEqualTo(T0.plusSeconds(900));
        assertThat(timedOut.reason()).contains("TIMEOUT");
    }

    @Test
    void aJobAbsentFromSqueueThatAccountingStillShowsLiveWaitsForTheNextCycle() {
        submitted(1);
        fake.accounted(id(0), name(0), "RUNNING", "0:0", T0, null);

        assertThat(tracker.poll().ended()).isEmpty();

        assertThat(job(0).state()).isEqualTo(JobState.PENDING);
    }

    @ParameterizedTest(name = "exit-code {0} -> {1}")
    @CsvSource({"0, COMPLETED", "3, FAILED"})
    void aJobUnknownToSqueueAndSacctIsResolvedFromItsExitMarker(int exit, JobState expected) throws IOException {
        submitted(1);
        Files.writeString(jobDir(0).resolve("exit-code"), exit + "\n");
        clock.advance(Duration.ofMinutes(10));

        List<JobRecord> ended = tracker.poll().ended();

        assertThat(ended).extracting(JobRecord::state).containsExactly(expected);
        JobRecord resolved = job(0);
        assertThat(resolved.state()).isEqualTo(expected);
        assertThat(resolved.exitCode()).isEqualTo(exit);
        if (expected == JobState.FAILED) {
            assertThat(resolved.reason()).contains("exit marker").contains("exit " + exit);
        }
    }

    @Test
    void aJobUnknownToSqueueAndSacctWithoutAnExitMarkerIsLost() {
        submitted(1);
        clock.advance(Duration.ofMinutes(10));

        tracker.poll().ended();

        JobRecord lost = job(0);
        assertThat(lost.state()).isEqualTo(JobState.LOST);
        assertThat(lost.reason()).contains("no longer knows job " + id(0));
        assertThat(lost.exitCode()).isNull();
    }

    // ------------------------------------------------------------------ hopeless pending reasons

    @Test
    void aHopelessPendingReasonIsToleratedForTwoPollsThenTheJobIsCancelledAndFailed() {
        submitted(1);
        fake.pending(id(0), name(0), "PartitionNodeLimit");

        tracker.poll().ended();
        tracker.poll().ended();
        assertThat(job(0).state()).isEqualTo(JobState.PENDING);
        assertThat(fake.cancelled()).isEmpty();

        List<JobRecord> ended = tracker.poll().ended();

        assertThat(fake.argvs("scancel")).containsExactly(List.of("scancel", id(0)));
        assertThat(ended).extracting(JobRecord::state).containsExactly(JobState.FAILED);
        JobRecord failed = job(0);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.reason()).contains("PartitionNodeLimit").contains("cancelled");
    }

    @Test
    void aWaitingReasonBetweenHopelessOnesStartsTheCountAgain() {
        submitted(1);
        fake.pending(id(0), name(0), "PartitionNodeLimit");
        tracker.poll().ended();
        tracker.poll().ended();
        fake.pending(id(0), name(0), "Resources");
        tracker.poll().ended();
        fake.pending(id(0), name(0), "PartitionNodeLimit");
        tracker.poll().ended();
        tracker.poll().ended();

        assertThat(fake.cancelled()).isEmpty();
        assertThat(job(0).state()).isEqualTo(JobState.PENDING);

        tracker.poll().ended();
        assertThat(fake.cancelled()).containsExactly(id(0));
        assertThat(job(0).state()).isEqualTo(JobState.FAILED);
    }

    // ------------------------------------------------------------------ sweepd's deadlines

    @Nested
    class Deadlines {

        private Path logs;

        @BeforeEach
        void aRunningJob() throws IOException {
            submitted(1);
            fake.running(id(0), name(0), T0);
            tracker.poll().ended();
            assertThat(job(0).state()).isEqualTo(JobState.RUNNING);
            logs = jobDir(0).resolve("logs");
            // The script's own first line is sweepd's, not the workload's.
            append("slurm-" + id(0) + ".out", "sweepd: job " + key(0) + " started on gpu-node1 at "
                    + T0 + " (slurm job " + id(0) + ")\n");
        }

        private void append(String file, String text) throws IOException {
            Files.writeString(logs.resolve(file), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        private void at(int secondsAfterStart) {
            Duration since = Duration.between(T0, clock.instant());
            clock.advance(Duration.ofSeconds(secondsAfterStart).minus(since));
            tracker.poll().ended();
        }

        @Test
        void noWorkloadLogLinePastFirstLogSecondsIsADeadlineAndTheJobIsCancelled() {
            at(Runs.FIRST_LOG_S);
            assertThat(job(0).state()).as("at the deadline, not past it").isEqualTo(JobState.RUNNING);
            assertThat(fake.cancelled()).isEmpty();

            at(Runs.FIRST_LOG_S + 1);

            assertThat(fake.argvs("scancel")).containsExactly(List.of("scancel", id(0)));
            JobRecord deadline = job(0);
            assertThat(deadline.state()).isEqualTo(JobState.DEADLINE);
            assertThat(deadline.reason()).contains("no log line from the workload within " + Runs.FIRST_LOG_S + " s");
            assertThat(jobDir(0).resolve("slurm.json")).exists();
        }

        @Test
        void logsWithoutAHealthyLinePastHealthySecondsAreADeadline() throws IOException {
            append("server-0.log", "INFO 11-27 22:00:05 [model_runner.py:1] Loading weights took 3.20 seconds\n");
            at(Runs.FIRST_LOG_S + 30);
            at(Runs.HEALTHY_S);
            assertThat(job(0).state()).isEqualTo(JobState.RUNNING);

            at(Runs.HEALTHY_S + 1);

            assertThat(fake.cancelled()).containsExactly(id(0));
            JobRecord deadline = job(0);
            assertThat(deadline.state()).isEqualTo(JobState.DEADLINE);
            assertThat(deadline.reason()).contains("not healthy within " + Runs.HEALTHY_S + " s");
        }

        @Test
        void aHealthyLineAppendedBetweenPollsMeansNoDeadlineUntilTheTotal() throws IOException {
            append("server-0.log", "INFO 11-27 22:00:05 Loading weights took 3.20 seconds\n");
            at(Runs.FIRST_LOG_S + 10); // the logs are read up to here
            append("server-0.log", "INFO:     Waiting for application startup.\n"
                    + "INFO:     Application startup complete.\n");
            at(Runs.HEALTHY_S + 100);
            at(Runs.TOTAL_S);

            assertThat(job(0).state()).isEqualTo(JobState.RUNNING);
            assertThat(fake.cancelled()).isEmpty();
        }

        @Test
        void pastTotalSecondsIsADeadlineEvenForAHealthyServer() throws IOException {
            append("server-0.log", "INFO:     Application startup complete.\n");
            at(Runs.TOTAL_S);
            assertThat(fake.cancelled()).isEmpty();

            at(Runs.TOTAL_S + 1);

            assertThat(fake.cancelled()).containsExactly(id(0));
            JobRecord deadline = job(0);
            assertThat(deadline.state()).isEqualTo(JobState.DEADLINE);
            assertThat(deadline.reason()).contains("past the total deadline of " + Runs.TOTAL_S + " s");
        }

        @Test
        void aWorkloadLineWithoutItsNewlineYetDoesNotCountUntilItIsComplete() throws IOException {
            append("server-0.log", "INFO starting vLLM API server");
            at(Runs.FIRST_LOG_S + 1);
            // The half-written line is not read yet, so the first-log deadline applies.
            assertThat(job(0).state()).isEqualTo(JobState.DEADLINE);
        }
    }

    // ------------------------------------------------------------------ interrupted submissions

    @Test
    void aSubmittingJobNotInFlightIsAdoptedWhenSlurmHasAJobOfItsAttemptsName() {
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
        fake.sbatchTimesOut();
        submitter.submitDue();
        assertThat(job(0).state()).isEqualTo(JobState.SUBMITTING);
        fake.pending("555", name(0), "Priority");

        tracker.poll().ended();

        JobRecord adopted = job(0);
        assertThat(adopted.state()).isEqualTo(JobState.PENDING);
        assertThat(adopted.slurmJobId()).isEqualTo("555");
        assertThat(fake.argvs("squeue")).anySatisfy(argv -> assertThat(argv).contains("--name=" + name(0)));
        submitter.submitDue();
        assertThat(submitterRunner.invocations("sbatch")).as("never submitted twice").isEqualTo(1);

        fake.running("555", name(0), T0.plusSeconds(1));
        tracker.poll().ended();
        assertThat(job(0).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void jobsACrashLeftSubmittingAreLookedUpByNameInOneSqueueAndOneSacctForAll() {
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 5);
        // A daemon claimed all five and died before any answer was recorded.
        ledger.jobs().beginSubmits(ledger.jobs().jobs(runId).stream()
                .map(j -> new io.sweepd.ledger.JobStore.Claim(j, JobNames.attempt(runId, j.jobKey(), 1))).toList());
        fake.pending("300", name(0), "Priority");
        fake.accounted("301", name(3), "COMPLETED", "0:0", T0, T0.plusSeconds(9));

        tracker.poll();

        assertThat(runner.invocations("squeue")).as("the poll's squeue and the look-up's").isEqualTo(2);
        assertThat(runner.invocations("sacct")).as("one sacct for the four names squeue does not hold")
                .isEqualTo(1);
        assertThat(job(0).slurmJobId()).isEqualTo("300");
        assertThat(job(3).slurmJobId()).isEqualTo("301");
        assertThat(List.of(job(1), job(2), job(4))).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.PLANNED));
    }

    @Test
    void aSubmittingJobThatSlurmHasNoJobNamedForIsPlannedAgainAndSubmittedAsTheNextAttempt() {
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
        fake.sbatchTimesOut();
        submitter.submitDue();

        tracker.poll().ended();

        JobRecord planned = job(0);
        assertThat(planned.state()).isEqualTo(JobState.PLANNED);
        assertThat(planned.reason()).contains("no Slurm job named " + name(0));
        assertThat(fake.argvs("sacct")).anySatisfy(argv -> assertThat(argv).contains("--name=" + name(0)));

        submitter.submitDue();
        JobRecord second = job(0);
        assertThat(second.state()).isEqualTo(JobState.PENDING);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.jobName()).isEqualTo(JobNames.attempt(runId, key(0), 2));
    }

    @Test
    void aJobWhoseSbatchIsStillRunningIsNotReconciled() {
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
        List<String> duringSbatch = new ArrayList<>();
        fake.duringSbatch(spec -> duringSbatch.addAll(squeueCallsDuring(tracker::poll)));

        submitter.submitDue();

        assertThat(duringSbatch).as("squeue calls of a poll while sbatch runs").isEmpty();
        assertThat(fake.calls()).extracting(CommandSpec::executableName)
                .as("the submitter's name check, then sbatch").containsExactly("squeue", "sacct", "sbatch");
        assertThat(runner.invocations("squeue")).as("the tracker's").isZero();
        assertThat(job(0).state()).isEqualTo(JobState.PENDING);
        assertThat(job(0).slurmJobId()).isEqualTo("100");
    }

    // ------------------------------------------------------------------ Slurm unreachable

    @Test
    void aFailingSqueueChangesNothing() {
        submitted(2);
        fake.running(id(0), name(0), T0).pending(id(1), name(1), "PartitionNodeLimit");
        tracker.poll().ended();
        List<JobRecord> before = ledger.jobs().jobs(runId);
        int events = ledger.jobs().events(runId).size();
        int calls = fake.calls().size();

        fake.controllerDown(true);
        clock.advance(Duration.ofSeconds(Runs.TOTAL_S + 60));
        for (int i = 0; i < 3; i++) {
            assertThat(tracker.poll().ended()).isEmpty();
        }

        assertThat(ledger.jobs().jobs(runId)).isEqualTo(before);
        assertThat(ledger.jobs().events(runId)).hasSize(events);
        assertThat(fake.calls().subList(calls, fake.calls().size())).extracting(CommandSpec::argv)
                .containsExactly(ONE_SQUEUE_FOR_ALL, ONE_SQUEUE_FOR_ALL, ONE_SQUEUE_FOR_ALL);

        fake.controllerDown(false);
        tracker.poll().ended();
        assertThat(job(0).state()).as("deadlines apply again once squeue answers").isEqualTo(JobState.DEADLINE);
        assertThat(job(1).state()).as("the failed polls did not count as hopeless sightings")
                .isEqualTo(JobState.PENDING);
    }

    @Test
    void anUnreachableControllerCostsOneSqueueAndOneWarningPerCycleWhateverTheNumberOfLiveJobs() {
        submitted(10);
        for (int i = 0; i < 10; i++) {
            fake.running(id(i), name(i), T0);
        }
        tracker.poll().ended();
        fake.controllerDown(true);
        int calls = fake.calls().size();

        try (LogLines log = LogLines.of(JobTracker.class)) {
            for (int cycle = 0; cycle < 3; cycle++) {
                clock.advance(Duration.ofSeconds(30));
                assertThat(tracker.poll().ended()).isEmpty();
            }

            assertThat(fake.calls().subList(calls, fake.calls().size())).extracting(CommandSpec::argv)
                    .containsExactly(ONE_SQUEUE_FOR_ALL, ONE_SQUEUE_FOR_ALL, ONE_SQUEUE_FOR_ALL);
            assertThat(log.at(Level.WARN)).hasSize(3).allSatisfy(line -> assertThat(line)
                    .startsWith("Slurm unreachable: squeue failed (")
                    .endsWith("10 live job(s) not checked, trying again next cycle"));
        }
    }

    @Test
    void interruptedSubmissionsAreNotLookedUpOneByOneWhileTheControllerIsDown() {
        submitted(1);
        for (int i = 0; i < 5; i++) {
            fake.sbatchFails(1, FakeSlurm.SBATCH_SOCKET_TIMEOUT);
        }
        String second = Runs.record(ledger, home.resolve("outputs"), "weekly", T0.plusSeconds(1), 5);
        submitter.submitDue();
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 4; i++) {
            submitter.submitDue(); // each cycle's socket timeout stops it after one sbatch
        }
        assertThat(ledger.jobs().jobs(second)).extracting(JobRecord::state).containsOnly(JobState.SUBMITTING);
        fake.controllerDown(true);
        int calls = fake.calls().size();

        try (LogLines log = LogLines.of(JobTracker.class)) {
            tracker.poll().ended();

            assertThat(fake.calls().subList(calls, fake.calls().size())).extracting(CommandSpec::argv)
                    .containsExactly(ONE_SQUEUE_FOR_ALL);
            assertThat(log.at(Level.WARN)).singleElement().asString().contains("6 live job(s) not checked");
        }
        assertThat(ledger.jobs().jobs(second)).extracting(JobRecord::state).containsOnly(JobState.SUBMITTING);
    }

    @Test
    void oneJobWhoseTrackingThrowsIsLoggedWithItsIdsAndTheOtherJobsAreStillTracked() {
        submitted(2);
        for (int i = 0; i < 2; i++) {
            fake.ended(id(i), name(i), "COMPLETED", "None", T0, T0.plusSeconds(3))
                    .accounted(id(i), name(i), "COMPLETED", "0:0", T0, T0.plusSeconds(3));
        }
        fake.breakLookup(id(0), true);

        try (LogLines log = LogLines.of(JobTracker.class)) {
            assertThat(tracker.poll().ended()).extracting(JobRecord::jobKey).containsExactly(key(1));
            assertThat(log.at(Level.WARN)).anySatisfy(line -> assertThat(line).contains(runId).contains(key(0))
                    .contains("Slurm " + id(0)).contains("simulated failure").contains("trying again next cycle"));
        }
        assertThat(job(0).state()).as("not recorded as ended").isEqualTo(JobState.PENDING);

        fake.breakLookup(id(0), false);
        assertThat(tracker.poll().ended()).extracting(JobRecord::jobKey).containsExactly(key(0));
        assertThat(job(0).state()).isEqualTo(JobState.COMPLETED);
    }
}
