package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

class StatusTextTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
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
        return Runs.record(ledger, home.resolve("outputs"), sweep, clock.instant(), jobs, refused);
    }

    private SweepStatus.RunSummary summary(String runId) {
        return status.summary(ledger.runs().run(runId).orElseThrow());
    }

    private void failed(String runId, String jobKey, String reason) {
        Runs.running(ledger, runId, jobKey, "200", clock.instant());
        ledger.jobs().transition(runId, jobKey, JobState.RUNNING, JobState.FAILED, reason,
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 1));
    }

    /** Six jobs: 2 running, 1 pending, 2 completed, 1 failed; and one refused point. */
    private String busyRun() {
        String run = record("quickstart", 6, TOO_BIG);
        Runs.running(ledger, run, key(0), "100", T0);
        Runs.running(ledger, run, key(1), "101", T0);
        Runs.submitted(ledger, run, key(2), "102");
        Runs.completed(ledger, run, key(3), "103", T0, T0.plusSeconds(30));
        Runs.completed(ledger, run, key(4), "104", T0, T0.plusSeconds(40));
        failed(run, key(5), "exit code 1");
        return run;
    }

    @Test
    void theBarFillsWithEndedJobsAndIsFullOnlyWhenAllEnded() {
        assertThat(StatusText.bar(0)).isEqualTo("[..........]");
        assertThat(StatusText.bar(0.5)).isEqualTo("[#####.....]");
        assertThat(StatusText.bar(0.99)).isEqualTo("[#########.]");
        assertThat(StatusText.bar(1)).isEqualTo("[##########]");
    }

    @Test
    void countsListWhatMovesFirstAndOnlyStatesThatOccur() {
        String run = busyRun();

        assertThat(StatusText.counts(summary(run))).isEqualTo("2 RUNNING, 1 PENDING, 2 COMPLETED, 1 FAILED");
    }

    @Test
    void aSummaryLineHasRunStateBarEndedOverTotalCountsRefusedAndAge() {
        String run = busyRun();
        clock.advance(Duration.ofMinutes(12));

        List<String> lines = StatusText.summaryLines(List.of(summary(run)), clock.instant());

        assertThat(lines).containsExactly("quickstart-20261202-120000  active    [#####.....] 3/6 jobs ended: "
                + "2 RUNNING, 1 PENDING, 2 COMPLETED, 1 FAILED; 7 configurations → 6 jobs, 7 points; refused: 1 configuration (1 point)  12m ago");
    }

    @Test
    void summaryLinesAlignRunIdsAndSayFinishedOnlyWhenTheDaemonFinishedTheRun() {
        String longer = record("nightly-h100", 1);
        Runs.completed(ledger, longer, key(0), "100", T0, T0.plusSeconds(5));
        ledger.runs().finishRun(longer, T0.plusSeconds(6));
        clock.advance(Duration.ofHours(3));
        String shorter = record("weekly", 1);
        Runs.completed(ledger, shorter, key(0), "200", clock.instant(), clock.instant());
        clock.advance(Duration.ofSeconds(45));

        List<String> lines = StatusText.summaryLines(status.summaries(), clock.instant());

        assertThat(lines).containsExactly(
                "weekly-20261202-150000        active    [##########] 1/1 jobs ended: 1 COMPLETED  45s ago",
                "nightly-h100-20261202-120000  finished  [##########] 1/1 jobs ended: 1 COMPLETED  3h ago");
    }

    @Test
    void aRunWhosePointsWereAllRefusedSaysSo() {
        String run = record("too-big", 0, TOO_BIG, TOO_BIG);

        assertThat(StatusText.progress(summary(run))).isEqualTo("[##########] no jobs;"
                + " 2 configurations → 0 jobs, 2 points; refused: 2 configurations (2 points)");
    }

    @Test
    void agesUseTheLargestWholeUnit() {
        assertThat(StatusText.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(StatusText.age(Duration.ofMinutes(59))).isEqualTo("59m");
        assertThat(StatusText.age(Duration.ofHours(47))).isEqualTo("47h");
        assertThat(StatusText.age(Duration.ofDays(40))).isEqualTo("40d");
    }

    @Test
    void waitsProgressLineStartsWithTheTimeAndTheRun() {
        String run = busyRun();

        String line = StatusText.progressLine(summary(run), T0.plusSeconds(65), ZoneOffset.UTC);

        assertThat(line).isEqualTo("12:01:05 quickstart-20261202-120000  [#####.....] 3/6 jobs ended: "
                + "2 RUNNING, 1 PENDING, 2 COMPLETED, 1 FAILED; 7 configurations → 6 jobs, 7 points; refused: 1 configuration (1 point)");
    }

    @Test
    void aJobEndedLineNamesTheJobItsStateSlurmIdAndReason() {
        String run = busyRun();

        String line = StatusText.jobEndedLine(Runs.job(ledger, run, key(5)), T0.plusSeconds(67), ZoneOffset.UTC);

        assertThat(line).isEqualTo("12:01:07   job " + key(5) + " FAILED (Slurm job 200): exit code 1");
    }

    @Test
    void thePointsTableHasOneRowPerPointRefusedOnesWithTheirReason() {
        String run = busyRun();
        clock.advance(Duration.ofSeconds(90));

        String table = StatusText.pointsTable(status.rows(ledger.runs().run(run).orElseThrow()));

        assertThat(table.lines().filter(l -> l.contains("quickstart-20261202-120000"))).hasSize(7);
        assertThat(table).containsPattern("\\| " + key(0) + "-c4 +\\| +100 \\| RUNNING +\\| +90 s \\|")
                .containsPattern("\\| " + key(2) + "-c4 +\\| +102 \\| PENDING +\\| +- \\|")
                .contains("REFUSED").contains(TOO_BIG);
        assertThat(StatusText.pointsTable(List.of())).isEqualTo("no sweeps yet");
    }

    @Test
    void aSummaryAsJsonCarriesTheCountsAsNumbers() throws Exception {
        String run = busyRun();
        clock.advance(Duration.ofMinutes(2));

        String json = Json.MAPPER.writeValueAsString(StatusText.summaryJson(summary(run), clock.instant()));

        assertThat(Json.MAPPER.readTree(json)).isEqualTo(Json.MAPPER.readTree("""
                {"run": "quickstart-20261202-120000", "sweep": "quickstart", "state": "active",
                 "created-at": "2026-12-02T12:00:00Z", "finished-at": null, "age-s": 120,
                 "jobs": 6, "ended-jobs": 3,
                 "jobs-by-state": {"PENDING": 1, "RUNNING": 2, "COMPLETED": 2, "FAILED": 1},
                 "configurations": 7, "points": 7, "refused-configurations": 1, "refused-points": 1,
                 "counts": "7 configurations → 6 jobs, 7 points; refused: 1 configuration (1 point)",
                 "waiting-for-slot": 0, "progress": 0.5}
                """));
    }

    @Test
    void aPointAsJsonKeepsTheFieldsToolsAlreadyRead() throws Exception {
        String run = busyRun();

        String json = Json.MAPPER.writeValueAsString(
                StatusText.pointJson(status.rows(ledger.runs().run(run).orElseThrow()).get(5)));

        assertThat(Json.MAPPER.readTree(json)).isEqualTo(Json.MAPPER.readTree("""
                {"sweep": "quickstart-20261202-120000", "point": "%s-c4", "job-key": "%s",
                 "slurm-job-id": "200", "state": "FAILED", "reason": "exit code 1", "elapsed-s": 0,
                 "attempts": [{"attempt": 1, "job-name": "%s", "slurm-job-id": "200", "state": "FAILED", "failed": true,
                   "nodes": null, "reason": "exit code 1", "exit-code": 1, "diagnosis": null, "category": null,
                   "retried-because": null, "added-workaround": null, "ended-at": "2026-12-02T12:00:00Z"}]}
                """.formatted(key(5), key(5), JobNames.attempt(run, key(5), 1))));
    }

    @Test
    void jobsHeldByTheirProfilesLimitsAreCountedAsWaitingForASlot() {
        String run = record("quickstart", 3);
        ledger.jobs().holdPlanned(run, key(1), "waiting for a slot: 1 of 1 jobs queued on profile local");
        ledger.jobs().holdPlanned(run, key(2), "waiting for a slot: 1 of 1 jobs queued on profile local");

        assertThat(StatusText.progress(summary(run))).isEqualTo("[..........] 0/3 jobs ended: 3 PLANNED; 2 jobs"
                + " waiting for a slot");
    }
}
