package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.data.Offset.offset;

class SweepStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    private static final String TOO_BIG = "gpt-oss-120b at tp1 needs 96.4 GiB per GPU; h100 has 79.19 GiB usable";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private Ledger ledger;
    private SweepStatus status;

    @BeforeEach
    void wire() {
        ledger = InMemoryLedger.open(clock);
        status = new SweepStatus(ledger, clock);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private String record(String sweep, int jobs, String... refused) {
        String runId = Runs.record(ledger, home.resolve("outputs"), sweep, clock.instant(), jobs, refused);
        clock.advance(Duration.ofMinutes(1));
        return runId;
    }

    private List<SweepStatus.Row> rows(String runId) {
        return status.rows(ledger.runs().run(runId).orElseThrow());
    }

    @Test
    void aRefusedPointShowsRefusedWithItsReasonAndNoJob() {
        String run = record("nightly", 1, TOO_BIG);

        List<SweepStatus.Row> rows = rows(run);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(new SweepStatus.Row(run, key(0) + "-c4", key(0), null, "PLANNED", null,
                null));
        assertThat(rows.get(1)).isEqualTo(new SweepStatus.Row(run, "gptoss_8k1k-refused0-c4", "gptoss_8k1k-refused0",
                null, "REFUSED", TOO_BIG, null));
    }

    @Test
    void aRunningJobsElapsedSecondsCountUntilNow() {
        String run = record("nightly", 1);
        Runs.running(ledger, run, key(0), "100", T0.plusSeconds(10));
        clock.advance(Duration.ofSeconds(100)); // T0 + 160 s

        SweepStatus.Row row = rows(run).get(0);

        assertThat(row.state()).isEqualTo("RUNNING");
        assertThat(row.slurmJobId()).isEqualTo("100");
        assertThat(row.elapsedSeconds()).isEqualTo(150L);
    }

    @Test
    void anEndedJobsElapsedSecondsStopAtItsEnd() {
        String run = record("nightly", 1);
        Runs.completed(ledger, run, key(0), "100", T0.plusSeconds(10), T0.plusSeconds(95));
        clock.advance(Duration.ofHours(3));

        SweepStatus.Row row = rows(run).get(0);

        assertThat(row.state()).isEqualTo("COMPLETED");
        assertThat(row.elapsedSeconds()).isEqualTo(85L);
    }

    @Test
    void aPendingJobHasNoElapsedTime() {
        String run = record("nightly", 1);
        Runs.submitted(ledger, run, key(0), "100");

        SweepStatus.Row row = rows(run).get(0);

        assertThat(row.state()).isEqualTo("PENDING");
        assertThat(row.elapsedSeconds()).isNull();
    }

    @Test
    void aReusedJobSaysWhichRunCompletedIt() {
        String first = record("nightly", 2);
        Runs.completed(ledger, first, key(0), "100", T0, T0.plusSeconds(30));
        String second = record("nightly", 2);

        List<SweepStatus.Row> rows = rows(second);

        assertThat(rows.get(0).state()).isEqualTo("COMPLETED");
        assertThat(rows.get(0).reason()).isEqualTo("completed by run " + first + " (not submitted again)");
        assertThat(rows.get(1).state()).as("the other job did not complete in the first run").isEqualTo("PLANNED");
        assertThat(rows.get(1).reason()).isNull();
        assertThat(status.resolveRun("nightly")).map(RunRecord::runId).contains(second);
        assertThat(status.resolveRun(first)).map(RunRecord::runId).contains(first);
    }

    @Test
    void latestRunsShowsEachSweepsNewestRunNewestFirst() {
        record("nightly", 1);
        String weekly = record("weekly", 1);
        String nightly = record("nightly", 1);

        assertThat(status.latestRuns()).extracting(RunRecord::runId).containsExactly(nightly, weekly);
    }

    @Test
    void aRunsSummaryCountsItsJobsByStateAndItsRefusedPoints() {
        String run = record("nightly", 3, TOO_BIG);
        Runs.running(ledger, run, key(0), "100", T0.plusSeconds(10));
        Runs.completed(ledger, run, key(1), "101", T0.plusSeconds(10), T0.plusSeconds(20));

        SweepStatus.RunSummary summary = status.summary(ledger.runs().run(run).orElseThrow());

        assertThat(summary.jobsByState()).containsExactly(
                entry(JobState.PLANNED, 1),
                entry(JobState.RUNNING, 1),
                entry(JobState.COMPLETED, 1));
        assertThat(summary.jobs()).isEqualTo(3);
        assertThat(summary.endedJobs()).isEqualTo(1);
        assertThat(summary.points()).isEqualTo(4);
        assertThat(summary.refusedPoints()).isEqualTo(1);
        assertThat(summary.progress()).isCloseTo(1.0 / 3, offset(1e-9));
        assertThat(status.summaries()).extracting(s -> s.run().runId()).containsExactly(run);
    }

    @Test
    void anEndWhoseHandlingThrewShowsTheErrorAndTheNextTryUntilItIsSettled() {
        String run = record("nightly", 1);
        Runs.completed(ledger, run, key(0), "100", T0.plusSeconds(10), T0.plusSeconds(20));
        ledger.jobs().settleFailed(run, key(0), 1, "IOException: disk full", T0.plusSeconds(600));

        assertThat(rows(run).get(0).reason()).isEqualTo("handling its end failed 1 time(s), next try at "
                + T0.plusSeconds(600) + ": IOException: disk full");

        ledger.jobs().settled(run, key(0), 1, "handled COMPLETED");
        assertThat(rows(run).get(0).reason()).isNull();
    }
}
