package io.sweepd.ledger;

import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.core.PointState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every ledger database must do, whichever it is: the embedded H2 file ({@link LedgerH2Test}) and
 * PostgreSQL ({@link PostgresLedgerIT}) run these same tests. A subclass provides a fresh, empty store per test.
 */
abstract class LedgerContract {

    /** Deliberately not on a microsecond boundary: the ledger stores microseconds on both databases. */
    static final Instant START = Instant.parse("2025-06-01T08:00:00.123456789Z");
    static final Instant START_MICROS = Instant.parse("2025-06-01T08:00:00.123456Z");

    protected MutableClock clock;
    protected Ledger ledger;

    /** Opens a ledger on this test's store; called again after {@link Ledger#close()} to simulate a restart. */
    protected abstract Ledger open(MutableClock clock);

    /** A plain JDBC connection to this test's store, to look under the ledger. */
    protected abstract Connection connect() throws SQLException;

    /** Removes this test's store, after the ledger is closed. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openLedger() {
        clock = new MutableClock(START);
        ledger = open(clock);
    }

    @AfterEach
    void closeLedger() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
        cleanUp();
    }

    // ---------------------------------------------------------------- fixtures

    static RunRecord run(String runId, String sweep) {
        return RunRecord.planned(runId, sweep, "/inbox/" + sweep + ".yaml", "/inbox", null,
                "{\"sweep\":\"" + sweep + "\",\"points\":[]}");
    }

    static JobRecord job(String runId, String jobKey) {
        return JobRecord.planned(runId, jobKey, "local", "/outputs/" + runId + "/" + jobKey, 600, 1800, 7200);
    }

    static PointRecord point(String runId, String pointId, String jobKey) {
        return PointRecord.of(runId, pointId, jobKey, "{\"point-id\":\"" + pointId + "\"}", null);
    }

    /** run "r1" of sweep "dsr1": jobs a and b, three points, one of them refused. */
    void recordR1() {
        ledger.runs().recordRun(run("r1", "dsr1"), List.of(job("r1", "a"), job("r1", "b")), List.of(
                point("r1", "a-c4", "a"), point("r1", "a-c8", "a"),
                PointRecord.of("r1", "x-c4", "x", "{}", "needs 16 GPUs, the pool has 8")));
    }

    /** Drives a job from PLANNED to PENDING the way the submit route does. */
    void submit(String runId, String jobKey, String slurmJobId) {
        assertThat(ledger.jobs().beginSubmit(runId, jobKey, "sweepd-" + jobKey)).isTrue();
        assertThat(ledger.jobs().submitted(runId, jobKey, slurmJobId)).isTrue();
    }

    JobRecord stored(String runId, String jobKey) {
        return ledger.jobs().job(runId, jobKey).orElseThrow();
    }

    JobState state(String runId, String jobKey) {
        return stored(runId, jobKey).state();
    }

    // ---------------------------------------------------------------- runs, jobs, points

    @Test
    void recordsARunWithItsJobsPlannedAndItsPointsInPlanOrder() {
        recordR1();

        RunRecord run = ledger.runs().run("r1").orElseThrow();
        assertThat(run.sweepName()).isEqualTo("dsr1");
        assertThat(run.sourceFile()).isEqualTo("/inbox/dsr1.yaml");
        assertThat(run.sourceDir()).isEqualTo("/inbox");
        assertThat(run.profileOverride()).isNull();
        assertThat(run.planJson()).isEqualTo("{\"sweep\":\"dsr1\",\"points\":[]}");
        assertThat(run.createdAt()).isEqualTo(START_MICROS);
        assertThat(run.finishedAt()).isNull();
        assertThat(run.state()).isEqualTo(RunState.ACTIVE);
        assertThat(ledger.runs().runs()).containsExactly(run);

        assertThat(ledger.jobs().jobs("r1")).extracting(JobRecord::jobKey).containsExactly("a", "b");
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.PLANNED);
        assertThat(a.profile()).isEqualTo("local");
        assertThat(a.jobDir()).isEqualTo("/outputs/r1/a");
        assertThat(a.deadlineFirstLogS()).isEqualTo(600);
        assertThat(a.deadlineHealthyS()).isEqualTo(1800);
        assertThat(a.deadlineTotalS()).isEqualTo(7200);
        assertThat(a.attempt()).isZero();
        assertThat(a.createdAt()).isEqualTo(START_MICROS);
        assertThat(a.updatedAt()).isEqualTo(START_MICROS);
        assertThat(a.slurmJobId()).isNull();
        assertThat(a.submitStartedAt()).isNull();
        assertThat(a.exitCode()).isNull();
        assertThat(a.reused()).isFalse();

        List<PointRecord> points = ledger.runs().points("r1");
        assertThat(points).extracting(PointRecord::pointId).containsExactly("a-c4", "a-c8", "x-c4");
        assertThat(points.get(0).state()).isEqualTo(PointState.PLANNED);
        assertThat(points.get(0).matrixJson()).isEqualTo("{\"point-id\":\"a-c4\"}");
        assertThat(points.get(2).state()).isEqualTo(PointState.REFUSED);
        assertThat(points.get(2).refusedReason()).isEqualTo("needs 16 GPUs, the pool has 8");
        assertThat(points.get(2).jobKey()).isEqualTo("x");
        assertThat(ledger.jobs().job("r1", "x")).as("a refused point has no job").isEmpty();

        assertThat(ledger.jobs().events("r1")).extracting(EventRecord::kind, EventRecord::jobKey, EventRecord::toState)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EventKind.STATE, "a", JobState.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(EventKind.STATE, "b", JobState.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(EventKind.RUN_RECORDED, null, null));
        assertThat(ledger.jobs().events("r1").get(2).message()).isEqualTo("2 jobs (0 completed in earlier runs), "
                + "3 points (1 refused)");
    }

    @Test
    void recordingTheSameRunAgainChangesNothingButADifferentPlanUnderTheSameIdIsRefused() {
        recordR1();
        int events = ledger.jobs().events("r1").size();

        recordR1();
        assertThat(ledger.jobs().jobs("r1")).hasSize(2);
        assertThat(ledger.runs().points("r1")).hasSize(3);
        assertThat(ledger.jobs().events("r1")).hasSize(events);

        RunRecord other = RunRecord.planned("r1", "dsr1", null, null, null, "{\"other\":true}");
        assertThatThrownBy(() -> ledger.runs().recordRun(other, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("different plan");
    }

    @Test
    void aJobOrPointOfAnotherRunIsRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> ledger.runs().recordRun(run("r1", "dsr1"), List.of(job("r2", "a")), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r2");
        assertThatThrownBy(() -> ledger.runs().recordRun(run("r1", "dsr1"), List.of(), List.of(point("r2", "p", "a"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.runs().runs()).isEmpty();
    }

    @Test
    void aFailingRecordRunLeavesNoHalfRecordedRun() {
        List<JobRecord> duplicateKeys = List.of(job("r1", "a"), job("r1", "a"));
        assertThatThrownBy(() -> ledger.runs().recordRun(run("r1", "dsr1"), duplicateKeys, List.of()))
                .isInstanceOf(RuntimeException.class);
        assertThat(ledger.runs().runs()).isEmpty();
        assertThat(ledger.jobs().jobs("r1")).isEmpty();
    }

    @Test
    void latestRunIsTheMostRecentOfThatSweepAndFinishRunKeepsTheFirstFinishTime() {
        recordR1();
        clock.advance(Duration.ofHours(1));
        ledger.runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of());
        clock.advance(Duration.ofMinutes(1));
        ledger.runs().recordRun(run("o1", "other"), List.of(), List.of());

        assertThat(ledger.runs().latestRun("dsr1")).map(RunRecord::runId).contains("r2");
        assertThat(ledger.runs().latestRun("nope")).isEmpty();
        assertThat(ledger.runs().runs()).extracting(RunRecord::runId).containsExactly("r1", "r2", "o1");

        Instant end = START.plusSeconds(5000);
        ledger.runs().finishRun("r1", end);
        ledger.runs().finishRun("r1", end.plusSeconds(60));
        RunRecord finished = ledger.runs().run("r1").orElseThrow();
        assertThat(finished.finishedAt()).isEqualTo(Rows.micros(end));
        assertThat(finished.state()).isEqualTo(RunState.FINISHED);
        assertThat(ledger.jobs().events("r1")).filteredOn(e -> e.kind() == EventKind.RUN_FINISHED).hasSize(1);
        assertThat(ledger.runs().run("r2").orElseThrow().finished()).isFalse();
        assertThatThrownBy(() -> ledger.runs().finishRun("nope", end)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runIdIsTheSweepNameAndTheUtcSecond() {
        assertThat(RunRecord.runId("dsr1-fp8", Instant.parse("2025-06-01T08:09:10.5Z")))
                .isEqualTo("dsr1-fp8-20250601-080910");
    }

    // ---------------------------------------------------------------- submission

    @Test
    void beginSubmitClaimsAPlannedJobOnceBeforeSbatchRuns() {
        recordR1();
        clock.advance(Duration.ofSeconds(10));

        assertThat(ledger.jobs().beginSubmit("r1", "a", "sweepd-a")).isTrue();
        JobRecord claimed = stored("r1", "a");
        assertThat(claimed.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.jobName()).isEqualTo("sweepd-a");
        assertThat(claimed.submitStartedAt()).isEqualTo(START_MICROS.plusSeconds(10));
        assertThat(claimed.slurmJobId()).isNull();

        assertThat(ledger.jobs().beginSubmit("r1", "a", "sweepd-a")).isFalse();
        assertThat(stored("r1", "a").attempt()).isEqualTo(1);
        assertThatThrownBy(() -> ledger.jobs().beginSubmit("r1", "nope", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no job nope in run r1");
    }

    @Test
    void twoThreadsRacingToSubmitTheSameJobExactlyOneWins() throws Exception {
        int jobCount = 20;
        List<JobRecord> jobs = new ArrayList<>();
        for (int i = 0; i < jobCount; i++) {
            jobs.add(job("r1", "j" + i));
        }
        ledger.runs().recordRun(run("r1", "dsr1"), jobs, List.of());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < jobCount; i++) {
                String key = "j" + i;
                List<Boolean> wins = race(pool, () -> ledger.jobs().beginSubmit("r1", key, "sweepd-" + key),
                        () -> ledger.jobs().beginSubmit("r1", key, "sweepd-" + key));
                assertThat(wins).as("winners for " + key).containsExactlyInAnyOrder(true, false);
                assertThat(stored("r1", key).attempt()).isEqualTo(1);
                assertThat(ledger.jobs().events("r1", key))
                        .filteredOn(e -> e.toState() == JobState.SUBMITTING).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPollerAndACancelRacingOnOneJobCannotBothWin() throws Exception {
        int jobCount = 20;
        List<JobRecord> jobs = new ArrayList<>();
        for (int i = 0; i < jobCount; i++) {
            jobs.add(job("r1", "j" + i));
        }
        ledger.runs().recordRun(run("r1", "dsr1"), jobs, List.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < jobCount; i++) {
                String key = "j" + i;
                submit("r1", key, "10" + i);
                assertThat(ledger.jobs().transition("r1", key, JobState.PENDING, JobState.RUNNING, null, null)).isTrue();
                List<Boolean> wins = race(pool,
                        () -> ledger.jobs().transition("r1", key, JobState.RUNNING, JobState.COMPLETED, "exit 0", null),
                        () -> ledger.jobs().transition("r1", key, JobState.RUNNING, JobState.CANCELLED, "user", null));
                assertThat(wins).as("winners for " + key).containsExactlyInAnyOrder(true, false);
                JobState expected = wins.get(0) ? JobState.COMPLETED : JobState.CANCELLED;
                assertThat(state("r1", key)).isEqualTo(expected);
                assertThat(ledger.jobs().events("r1", key)).filteredOn(e -> e.fromState() == JobState.RUNNING)
                        .singleElement().extracting(EventRecord::toState).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimThatWaitedForAnotherWritersRowLockSeesItsCommitAndLoses() throws Exception {
        // The deterministic form of the race above: the database must re-check the state after the wait.
        recordR1();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement()) {
                assertThat(statement.executeUpdate("UPDATE jobs SET state = 'SUBMITTING', attempt = attempt + 1 "
                        + "WHERE run_id = 'r1' AND job_key = 'a' AND state = 'PLANNED'")).isEqualTo(1);
            }
            Future<Boolean> claim = pool.submit(() -> ledger.jobs().beginSubmit("r1", "a", "sweepd-a"));
            Thread.sleep(500);
            assertThat(claim).as("waits for the other writer's row lock").isNotDone();
            other.commit();
            assertThat(claim.get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored("r1", "a").attempt()).isEqualTo(1);
    }

    /** Runs both calls as close to the same instant as two threads allow; results in argument order. */
    private static List<Boolean> race(ExecutorService pool, Callable<Boolean> first, Callable<Boolean> second)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (Callable<Boolean> call : List.of(first, second)) {
            results.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Boolean> wins = new ArrayList<>();
        for (Future<Boolean> result : results) {
            wins.add(result.get(30, TimeUnit.SECONDS));
        }
        return wins;
    }

    @Test
    void submittedRecordsTheSlurmIdAndMovesTheJobToPendingOnce() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");
        clock.advance(Duration.ofSeconds(2));

        assertThat(ledger.jobs().submitted("r1", "a", "4242")).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.PENDING);
        assertThat(a.slurmJobId()).isEqualTo("4242");
        assertThat(a.submittedAt()).isEqualTo(START_MICROS.plusSeconds(2));
        assertThat(ledger.jobs().bySlurmJobId("4242")).contains(a);
        assertThat(ledger.jobs().bySlurmJobId("9999")).isEmpty();

        int events = ledger.jobs().events("r1", "a").size();
        assertThat(ledger.jobs().submitted("r1", "a", "4242")).as("a replayed report").isTrue();
        assertThat(ledger.jobs().events("r1", "a")).hasSize(events);
        assertThat(stored("r1", "a")).isEqualTo(a);
    }

    @Test
    void aSlurmIdReportedAfterTheJobMovedOnIsKeptAndASecondIdIsFlaggedAsADuplicate() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");
        assertThat(ledger.jobs().transition("r1", "a", JobState.SUBMITTING, JobState.CANCELLED, "run cancelled", null))
                .isTrue();

        assertThat(ledger.jobs().submitted("r1", "a", "77")).isFalse();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.CANCELLED);
        assertThat(a.slurmJobId()).as("kept so the job can still be found and cancelled").isEqualTo("77");
        assertThat(ledger.jobs().events("r1", "a")).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.LATE_REPORT);
            assertThat(e.message()).contains("77");
            assertThat(e.detailsJson()).contains("\"slurmJobId\":\"77\"");
        });

        assertThat(ledger.jobs().submitted("r1", "a", "78")).isFalse();
        assertThat(stored("r1", "a").slurmJobId()).isEqualTo("77");
        assertThat(ledger.jobs().events("r1", "a")).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.DUPLICATE_SUBMISSION);
            assertThat(e.message()).contains("78").contains("77");
        });
    }

    @Test
    void submitFailedKeepsSlurmsMessageAndTheJobIsNoLongerLive() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");

        assertThat(ledger.jobs().submitFailed("r1", "a", "sbatch: error: invalid partition specified: default")).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.SUBMIT_FAILED);
        assertThat(a.reason()).isEqualTo("sbatch: error: invalid partition specified: default");
        assertThat(ledger.jobs().liveJobs()).isEmpty();
        assertThat(ledger.jobs().submitFailed("r1", "a", "again")).as("replay").isTrue();
        assertThat(ledger.jobs().beginSubmit("r1", "a", "sweepd-a")).isFalse();
    }

    @Test
    void aTransientRefusalGoesBackToPlannedAndTheNextAttemptIsCounted() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");

        assertThat(ledger.jobs().backToPlanned("r1", "a", "sbatch: error: Socket timed out")).isTrue();
        assertThat(stored("r1", "a").state()).isEqualTo(JobState.PLANNED);
        assertThat(stored("r1", "a").reason()).isEqualTo("sbatch: error: Socket timed out");
        assertThat(ledger.jobs().backToPlanned("r1", "a", "again")).as("replay").isTrue();

        assertThat(ledger.jobs().beginSubmit("r1", "a", "sweepd-a")).isTrue();
        assertThat(stored("r1", "a").attempt()).isEqualTo(2);
        assertThat(stored("r1", "a").reason()).isNull();
        assertThat(ledger.jobs().events("r1", "a")).extracting(EventRecord::toState).containsExactly(
                JobState.PLANNED, JobState.SUBMITTING, JobState.PLANNED, JobState.SUBMITTING);
    }

    @Test
    void aSubmitOutcomeForAJobThatMovedOnIsRecordedButChangesNothing() {
        recordR1();
        submit("r1", "a", "5");

        assertThat(ledger.jobs().submitFailed("r1", "a", "timed out waiting for sbatch")).isFalse();
        assertThat(ledger.jobs().backToPlanned("r1", "a", "timed out")).isFalse();
        assertThat(state("r1", "a")).isEqualTo(JobState.PENDING);
        assertThat(ledger.jobs().events("r1", "a")).filteredOn(e -> e.kind() == EventKind.LATE_REPORT).hasSize(2);
    }

    // ---------------------------------------------------------------- tracking

    @Test
    void transitionIsACompareAndSetThatRecordsTimesExitCodeAndDetails() {
        recordR1();
        submit("r1", "a", "5");
        Instant started = START.plusSeconds(60);
        Instant ended = START.plusSeconds(3600);

        assertThat(ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, started, "nodes", "gpu[01-04]"))).isTrue();
        assertThat(ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null, Map.of()))
                .as("the job is no longer PENDING").isFalse();
        Map<String, Object> end = new LinkedHashMap<>();
        end.put(JobDetails.ENDED_AT, ended);
        end.put(JobDetails.EXIT_CODE, 0);
        end.put("sacct", "COMPLETED 0:0");
        clock.advance(Duration.ofMinutes(61));
        assertThat(ledger.jobs().transition("r1", "a", JobState.RUNNING, JobState.COMPLETED, "exit 0", end)).isTrue();

        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.COMPLETED);
        assertThat(a.reason()).isEqualTo("exit 0");
        assertThat(a.startedAt()).isEqualTo(Rows.micros(started));
        assertThat(a.endedAt()).isEqualTo(Rows.micros(ended));
        assertThat(a.exitCode()).isZero();
        assertThat(a.slurmJobId()).isEqualTo("5");
        assertThat(a.updatedAt()).isEqualTo(START_MICROS.plus(Duration.ofMinutes(61)));

        EventRecord last = ledger.jobs().events("r1", "a").get(ledger.jobs().events("r1", "a").size() - 1);
        assertThat(last.kind()).isEqualTo(EventKind.STATE);
        assertThat(last.fromState()).isEqualTo(JobState.RUNNING);
        assertThat(last.toState()).isEqualTo(JobState.COMPLETED);
        assertThat(last.message()).isEqualTo("exit 0");
        assertThat(last.at()).isEqualTo(a.updatedAt());
        assertThat(last.detailsJson()).contains("\"exitCode\":0").contains("\"sacct\":\"COMPLETED 0:0\"")
                .as("details are kept as the caller gave them").contains("\"endedAt\":\"" + ended + "\"");
    }

    @Test
    void reconciliationCanAdoptASubmittingJobFoundInSlurmByName() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");
        clock.advance(Duration.ofSeconds(30));

        assertThat(ledger.jobs().transition("r1", "a", JobState.SUBMITTING, JobState.PENDING, "found in squeue by name",
                Map.of(JobDetails.SLURM_JOB_ID, 991))).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.slurmJobId()).isEqualTo("991");
        assertThat(a.submittedAt()).isEqualTo(START_MICROS.plusSeconds(30));
        assertThat(ledger.jobs().submitted("r1", "a", "991")).as("the late sbatch answer agrees").isTrue();
    }

    @Test
    void transitionRefusesMovesThatWouldSubmitAJobTwice() {
        recordR1();
        submit("r1", "a", "5");

        assertThatThrownBy(() -> ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.PLANNED, "retry", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ledger.jobs().transition("r1", "b", JobState.PLANNED, JobState.SUBMITTING, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beginSubmit");
        assertThatThrownBy(() -> ledger.jobs().transition("r1", "nope", JobState.PENDING, JobState.RUNNING, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no job nope");
        assertThatThrownBy(() -> ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, "yesterday"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(state("r1", "a")).isEqualTo(JobState.PENDING);
    }

    @Test
    void aJobThatEndedCanBeRetriedThroughPlannedWithTheOldSlurmIdInTheAuditTrail() {
        recordR1();
        submit("r1", "a", "5");
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.NODE_FAIL, "node gpu03 failed",
                Map.of(JobDetails.ENDED_AT, START.plusSeconds(100), JobDetails.EXIT_CODE, 1));
        assertThat(ledger.jobs().transition("r1", "a", JobState.NODE_FAIL, JobState.PLANNED, "retrying: node failure",
                null)).isTrue();
        submit("r1", "a", "6");

        JobRecord a = stored("r1", "a");
        assertThat(a.attempt()).isEqualTo(2);
        assertThat(a.slurmJobId()).isEqualTo("6");
        assertThat(a.endedAt()).as("the new attempt has not ended").isNull();
        assertThat(a.exitCode()).isNull();
        assertThat(ledger.jobs().events("r1", "a")).extracting(EventRecord::message)
                .contains("submitted as Slurm job 5", "submitted as Slurm job 6");
    }

    @Test
    void liveJobsAreEveryJobSlurmMayStillChangeAcrossRuns() {
        recordR1();
        clock.advance(Duration.ofMinutes(5));
        ledger.runs().recordRun(run("o1", "other"), List.of(job("o1", "c"), job("o1", "d"), job("o1", "e")), List.of());

        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");                      // SUBMITTING
        submit("o1", "c", "11");                                        // PENDING
        submit("o1", "d", "12");
        ledger.jobs().transition("o1", "d", JobState.PENDING, JobState.RUNNING, null, null);
        submit("o1", "e", "13");
        ledger.jobs().transition("o1", "e", JobState.PENDING, JobState.FAILED, "exit 1", null);
        // r1/b stays PLANNED

        assertThat(ledger.jobs().liveJobs()).extracting(j -> j.runId() + "/" + j.jobKey())
                .containsExactly("r1/a", "o1/c", "o1/d");
        assertThat(ledger.jobs().jobsInState(JobState.PLANNED)).extracting(JobRecord::jobKey).containsExactly("b");
        assertThat(ledger.jobs().jobsInState(JobState.FAILED)).extracting(JobRecord::jobKey).containsExactly("e");
        assertThat(ledger.jobs().jobsInState(JobState.LOST)).isEmpty();
    }

    @Test
    void aReusedSlurmIdFindsTheLiveJob() {
        recordR1();
        submit("r1", "a", "7");
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null, null);
        clock.advance(Duration.ofDays(1));
        ledger.runs().recordRun(run("r2", "other"), List.of(job("r2", "z")), List.of());
        submit("r2", "z", "7");

        assertThat(ledger.jobs().bySlurmJobId("7")).map(j -> j.runId() + "/" + j.jobKey()).contains("r2/z");
    }

    // ---------------------------------------------------------------- re-dropping a sweep

    @Test
    void aJobCompletedInAnEarlierRunOfTheSameSweepIsRecordedAsDoneAndNeverSubmittedAgain() {
        recordR1();
        submit("r1", "a", "100");
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, "exit 0", null);
        submit("r1", "b", "101");
        ledger.jobs().transition("r1", "b", JobState.PENDING, JobState.INVALID, "0 completed requests", null);

        assertThat(ledger.runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
        assertThat(ledger.runs().completedEarlier("dsr1", "b")).as("INVALID is not done").isEmpty();
        assertThat(ledger.runs().completedEarlier("other-sweep", "a")).as("another sweep's job").isEmpty();

        clock.advance(Duration.ofDays(1));
        ledger.runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a"), job("r2", "b")), List.of());

        JobRecord reused = stored("r2", "a");
        assertThat(reused.state()).isEqualTo(JobState.COMPLETED);
        assertThat(reused.reusedFromRun()).isEqualTo("r1");
        assertThat(reused.jobDir()).as("where the results are").isEqualTo("/outputs/r1/a");
        assertThat(reused.reason()).contains("r1").contains("100");
        assertThat(ledger.jobs().beginSubmit("r2", "a", "sweepd-a")).isFalse();
        assertThat(state("r2", "b")).isEqualTo(JobState.PLANNED);
        assertThat(ledger.jobs().events("r2")).last().extracting(EventRecord::message)
                .isEqualTo("2 jobs (1 completed in earlier runs), 0 points (0 refused)");

        clock.advance(Duration.ofDays(1));
        ledger.runs().recordRun(run("r3", "dsr1"), List.of(job("r3", "a")), List.of());
        assertThat(stored("r3", "a").reusedFromRun()).as("always the run that actually ran it").isEqualTo("r1");
        assertThat(ledger.runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
    }

    @Test
    void completedEarlierNamesTheMostRecentCompletionWhenTwoRunsRanTheSameJob() {
        // The sweep was re-dropped while its first run was still going: both runs planned and ran job "a".
        recordR1();
        ledger.runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of());
        submit("r1", "a", "1");
        submit("r2", "a", "2");
        clock.advance(Duration.ofHours(1));
        ledger.jobs().transition("r2", "a", JobState.PENDING, JobState.COMPLETED, null, null);
        clock.advance(Duration.ofHours(1));
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null, null);

        assertThat(ledger.runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
        ledger.runs().recordRun(run("r3", "dsr1"), List.of(job("r3", "a")), List.of());
        assertThat(stored("r3", "a").reusedFromRun()).isEqualTo("r1");
    }

    // ---------------------------------------------------------------- restart

    @Test
    void reopeningAfterCloseKeepsEveryRunJobPointAndEvent() {
        recordR1();
        submit("r1", "a", "300");
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, START.plusSeconds(9)));
        ledger.jobs().beginSubmit("r1", "b", "sweepd-b");   // the daemon dies between this row and sbatch
        List<RunRecord> runs = ledger.runs().runs();
        List<JobRecord> jobs = ledger.jobs().jobs("r1");
        List<PointRecord> points = ledger.runs().points("r1");
        List<EventRecord> events = ledger.jobs().events("r1");
        List<JobRecord> live = ledger.jobs().liveJobs();

        ledger.close();
        ledger = open(clock);

        assertThat(ledger.runs().runs()).isEqualTo(runs);
        assertThat(ledger.jobs().jobs("r1")).isEqualTo(jobs);
        assertThat(ledger.runs().points("r1")).isEqualTo(points);
        assertThat(ledger.jobs().events("r1")).isEqualTo(events);
        assertThat(ledger.jobs().liveJobs()).isEqualTo(live)
                .extracting(JobRecord::jobKey, JobRecord::state).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", JobState.RUNNING),
                        org.assertj.core.groups.Tuple.tuple("b", JobState.SUBMITTING));
        assertThat(ledger.jobs().bySlurmJobId("300")).map(JobRecord::jobKey).contains("a");
    }

    @Test
    void migrationsRunOnceAndReopeningDoesNotApplyThemAgain() throws Exception {
        recordR1();
        ledger.close();
        ledger = open(clock);
        ledger.close();
        ledger = open(clock);

        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     // Flyway quotes its names on H2, so quote them here too; PostgreSQL folds them the same way.
                     "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" "
                             + "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).isTrue();
                applied.add(rs.getString("version"));
            }
            assertThat(applied).containsExactly("1", "2");
        }
        assertThat(ledger.jobs().jobs("r1")).hasSize(2);
    }

    // ---------------------------------------------------------------- results

    static ResultRecord completedResult(String runId, String pointId, int conc, String jobKey, double tputPerGpu) {
        return ResultRecord.of(runId, pointId, conc, jobKey, ResultState.COMPLETED, null,
                "{\"conc\":" + conc + ",\"tput_per_gpu\":" + tputPerGpu + "}",
                conc == 8 ? "{\"gsm8k\":{\"exact_match,strict-match\":0.93,\"passed\":true}}" : null,
                "results_concurrency_" + conc + "_gpus_8.json");
    }

    static ResultRecord invalidResult(String runId, String pointId, int conc, String jobKey, String reason) {
        return ResultRecord.of(runId, pointId, conc, jobKey, ResultState.INVALID, reason, null, null, null);
    }

    /** r1 with job a's points a-c4, a-c8 completed and its results recorded. */
    List<ResultRecord> recordR1Results() {
        recordR1();
        submit("r1", "a", "100");
        ledger.jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, "exit 0", null);
        List<ResultRecord> results = List.of(
                completedResult("r1", "a-c8", 8, "a", 812.5),
                invalidResult("r1", "a-c4", 4, "a", "results_concurrency_4_gpus_8.json: 0 output tokens"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(ledger.results().recordResults("r1", "a", results)).isEqualTo(2);
        return results;
    }

    @Test
    void resultsAreRecordedPerPointAndConcurrencyAndReadBackInPlanOrder() {
        recordR1Results();

        List<ResultRecord> stored = ledger.results().results("r1");
        assertThat(stored).extracting(ResultRecord::pointId).as("plan order, not recording order")
                .containsExactly("a-c4", "a-c8");
        ResultRecord c8 = stored.get(1);
        assertThat(c8.runId()).isEqualTo("r1");
        assertThat(c8.conc()).isEqualTo(8);
        assertThat(c8.jobKey()).isEqualTo("a");
        assertThat(c8.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(c8.reason()).isNull();
        assertThat(c8.metricsJson()).isEqualTo("{\"conc\":8,\"tput_per_gpu\":812.5}");
        assertThat(c8.evalJson()).isEqualTo("{\"gsm8k\":{\"exact_match,strict-match\":0.93,\"passed\":true}}");
        assertThat(c8.resultFile()).isEqualTo("results_concurrency_8_gpus_8.json");
        assertThat(c8.recordedAt()).isEqualTo(START_MICROS.plus(Duration.ofMinutes(5)));
        ResultRecord c4 = stored.get(0);
        assertThat(c4.state()).isEqualTo(ResultState.INVALID);
        assertThat(c4.reason()).isEqualTo("results_concurrency_4_gpus_8.json: 0 output tokens");
        assertThat(c4.metricsJson()).isNull();
        assertThat(c4.evalJson()).isNull();
        assertThat(c4.resultFile()).isNull();

        assertThat(ledger.results().results("r1", "a")).isEqualTo(stored);
        assertThat(ledger.results().results("r1", "b")).isEmpty();
        assertThat(ledger.results().results("nope")).isEmpty();
    }

    @Test
    void recordingTheSameResultsAgainChangesNothing() {
        List<ResultRecord> results = recordR1Results();
        List<ResultRecord> before = ledger.results().results("r1");
        clock.advance(Duration.ofHours(1));

        assertThat(ledger.results().recordResults("r1", "a", results)).isZero();
        assertThat(ledger.results().results("r1")).as("recorded times too").isEqualTo(before);
    }

    @Test
    void aRecollectionReplacesTheJobsResults() {
        recordR1Results();
        clock.advance(Duration.ofHours(1));

        // The job's results are collected again: c4 now has a valid file, c8 is gone from the list.
        assertThat(ledger.results().recordResults("r1", "a", List.of(completedResult("r1", "a-c4", 4, "a", 400.0))))
                .as("one row changed, one removed").isEqualTo(2);

        List<ResultRecord> stored = ledger.results().results("r1");
        assertThat(stored).singleElement().satisfies(c4 -> {
            assertThat(c4.pointId()).isEqualTo("a-c4");
            assertThat(c4.state()).isEqualTo(ResultState.COMPLETED);
            assertThat(c4.reason()).isNull();
            assertThat(c4.metricsJson()).contains("400.0");
            assertThat(c4.recordedAt()).isEqualTo(START_MICROS.plus(Duration.ofMinutes(65)));
        });
        assertThat(ledger.results().recordResults("r1", "a", List.of())).isEqualTo(1);
        assertThat(ledger.results().results("r1")).isEmpty();
    }

    @Test
    void resultsMustBelongToTheJobTheyAreRecordedForAndNothingIsRecordedOtherwise() {
        recordR1();
        ResultRecord good = completedResult("r1", "a-c4", 4, "a", 1.0);

        assertThatThrownBy(() -> ledger.results().recordResults("r1", "a", List.of(good,
                completedResult("r1", "x-c4", 4, "a", 1.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("point x-c4 is not a point of job a in run r1");
        assertThatThrownBy(() -> ledger.results().recordResults("r1", "a", List.of(good,
                completedResult("r1", "a-c8", 8, "b", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r1/b, not r1/a");
        assertThatThrownBy(() -> ledger.results().recordResults("r1", "a", List.of(good,
                completedResult("r2", "a-c8", 8, "a", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r2/a, not r1/a");
        assertThatThrownBy(() -> ledger.results().recordResults("r1", "a", List.of(good, good)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two results for point a-c4 at concurrency 4");
        assertThatThrownBy(() -> ledger.results().recordResults("r1", "nope", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no job nope in run r1");
        assertThat(ledger.results().results("r1")).isEmpty();
    }

    @Test
    void resultsSurviveAReopenAndRecordingResultsLeavesJobsAndEventsAlone() {
        recordR1Results();
        List<ResultRecord> results = ledger.results().results("r1");
        List<JobRecord> jobs = ledger.jobs().jobs("r1");
        List<EventRecord> events = ledger.jobs().events("r1");

        ledger.close();
        ledger = open(clock);

        assertThat(ledger.results().results("r1")).isEqualTo(results);
        assertThat(ledger.jobs().jobs("r1")).isEqualTo(jobs);
        assertThat(ledger.jobs().events("r1")).isEqualTo(events);
    }

    @Test
    void largeMetricsAndAHugeReasonAreStored() {
        recordR1();
        String metrics = "{\"x\":\"" + "y".repeat(2_000_000) + "\"}";
        String huge = "z".repeat(Rows.MAX_TEXT * 2);
        ledger.results().recordResults("r1", "a", List.of(
                ResultRecord.of("r1", "a-c4", 4, "a", ResultState.COMPLETED, null, metrics, null, "f.json"),
                invalidResult("r1", "a-c8", 8, "a", huge)));

        List<ResultRecord> stored = ledger.results().results("r1");
        assertThat(stored.get(0).metricsJson()).isEqualTo(metrics);
        assertThat(stored.get(1).reason()).startsWith("zzz").endsWith(Rows.MAX_TEXT + " more characters]");
        assertThat(ledger.results().recordResults("r1", "a", List.of(
                ResultRecord.of("r1", "a-c4", 4, "a", ResultState.COMPLETED, null, metrics, null, "f.json"),
                invalidResult("r1", "a-c8", 8, "a", huge)))).as("a clamped reason compares equal").isZero();
    }

    @Test
    void aHugeReasonIsKeptUpToALimitRatherThanFailingTheStateChange() {
        recordR1();
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");
        String huge = "x".repeat(Rows.MAX_TEXT * 2);

        assertThat(ledger.jobs().submitFailed("r1", "a", huge)).isTrue();
        String reason = stored("r1", "a").reason();
        assertThat(reason).startsWith("xxxx").endsWith(Rows.MAX_TEXT + " more characters]");
        assertThat(reason.length()).isLessThan(Rows.MAX_TEXT + 100);
    }

    @Test
    void aLargePlanIsStoredWhole() {
        // 3 MB: more than H2 allows in a VARCHAR, which is why plans are TEXT.
        String plan = "{\"points\":[" + ("{\"x\":\"" + "y".repeat(1000) + "\"},").repeat(3000) + "{}]}";
        ledger.runs().recordRun(RunRecord.planned("big", "big", null, null, "local", plan), List.of(), List.of());
        RunRecord run = ledger.runs().run("big").orElseThrow();
        assertThat(run.planJson()).isEqualTo(plan);
        assertThat(run.profileOverride()).isEqualTo("local");
    }
}
