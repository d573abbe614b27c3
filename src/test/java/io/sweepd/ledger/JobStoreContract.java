package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
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
 * What {@link JobStore} must do on every database: the job state machine, whose every change is a
 * compare-and-set that exactly one of several racing callers wins, with its event written in the same
 * transaction. {@link JobStoreH2Test} (unit layer) and {@link JobStorePostgresIT} run these same tests.
 */
abstract class JobStoreContract extends StoreContract {

    @Test
    void beginSubmitClaimsAPlannedJobOnceBeforeSbatchRuns() {
        recordR1();
        clock.advance(Duration.ofSeconds(10));

        assertThat(jobs().beginSubmit("r1", "a", "sweepd-a")).isTrue();
        JobRecord claimed = stored("r1", "a");
        assertThat(claimed.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.jobName()).isEqualTo("sweepd-a");
        assertThat(claimed.submitStartedAt()).isEqualTo(START_MICROS.plusSeconds(10));
        assertThat(claimed.slurmJobId()).isNull();

        assertThat(jobs().beginSubmit("r1", "a", "sweepd-a")).isFalse();
        assertThat(stored("r1", "a").attempt()).isEqualTo(1);
        assertThatThrownBy(() -> jobs().beginSubmit("r1", "nope", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no job nope in run r1");
    }

    @Test
    void aRunsJobsAreCountedByStateAndTheReasonsOfOneStateAreRead() {
        recordPlannedJobs(4);
        submit("r1", "j0", "100");
        submit("r1", "j1", "101");
        assertThat(jobs().holdPlanned("r1", "j2", "waiting for a slot: 8 jobs queued")).isTrue();

        assertThat(jobs().countByState("r1")).containsExactly(
                org.assertj.core.api.Assertions.entry(JobState.PLANNED, 2),
                org.assertj.core.api.Assertions.entry(JobState.PENDING, 2));
        assertThat(jobs().reasons("r1", JobState.PLANNED)).as("j3 has no reason")
                .containsExactly("waiting for a slot: 8 jobs queued");
        assertThat(jobs().countByState("nosuch")).isEmpty();
    }

    @Test
    void twoThreadsRacingToSubmitTheSameJobExactlyOneWins() throws Exception {
        int jobCount = 20;
        recordPlannedJobs(jobCount);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < jobCount; i++) {
                String key = "j" + i;
                List<Boolean> wins = race(pool, () -> jobs().beginSubmit("r1", key, "sweepd-" + key),
                        () -> jobs().beginSubmit("r1", key, "sweepd-" + key));
                assertThat(wins).as("winners for " + key).containsExactlyInAnyOrder(true, false);
                assertThat(stored("r1", key).attempt()).isEqualTo(1);
                assertThat(jobs().events("r1", key))
                        .filteredOn(e -> e.toState() == JobState.SUBMITTING).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPollerAndACancelRacingOnOneJobCannotBothWin() throws Exception {
        int jobCount = 20;
        recordPlannedJobs(jobCount);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < jobCount; i++) {
                String key = "j" + i;
                submit("r1", key, "10" + i);
                assertThat(jobs().transition("r1", key, JobState.PENDING, JobState.RUNNING, null, null)).isTrue();
                List<Boolean> wins = race(pool,
                        () -> jobs().transition("r1", key, JobState.RUNNING, JobState.COMPLETED, "exit 0", null),
                        () -> jobs().transition("r1", key, JobState.RUNNING, JobState.CANCELLED, "user", null));
                assertThat(wins).as("winners for " + key).containsExactlyInAnyOrder(true, false);
                JobState expected = wins.get(0) ? JobState.COMPLETED : JobState.CANCELLED;
                assertThat(state("r1", key)).isEqualTo(expected);
                assertThat(jobs().events("r1", key)).filteredOn(e -> e.fromState() == JobState.RUNNING)
                        .singleElement().extracting(EventRecord::toState).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoLedgerHandlesRacingOnTheSameTransitionExactlyOneWinsAndWritesTheOnlyEvent() throws Exception {
        // The daemon and a CLI command (sweepd cancel) each open a pool of their own on one database: only the
        // database's compare-and-set stands between them, no lock in this JVM.
        int jobCount = 20;
        recordPlannedJobs(jobCount);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Ledger other = open(clock)) {
            for (int i = 0; i < jobCount; i++) {
                String key = "j" + i;
                List<Boolean> claims = race(pool, () -> jobs().beginSubmit("r1", key, "sweepd-" + key),
                        () -> other.jobs().beginSubmit("r1", key, "sweepd-" + key));
                assertThat(claims).as("claims of " + key).containsExactlyInAnyOrder(true, false);
                assertThat(jobs().submitted("r1", key, "10" + i)).isTrue();
                assertThat(jobs().transition("r1", key, JobState.PENDING, JobState.RUNNING, null, null)).isTrue();

                List<Boolean> ends = race(pool,
                        () -> jobs().transition("r1", key, JobState.RUNNING, JobState.COMPLETED, "exit 0", null),
                        () -> other.jobs().transition("r1", key, JobState.RUNNING, JobState.CANCELLED, "user", null));
                assertThat(ends).as("ends of " + key).containsExactlyInAnyOrder(true, false);
                JobState winner = ends.get(0) ? JobState.COMPLETED : JobState.CANCELLED;
                assertThat(other.jobs().job("r1", key)).get().extracting(JobRecord::state, JobRecord::attempt)
                        .containsExactly(winner, 1);
                assertThat(jobs().events("r1", key)).as("one event per change that happened, none for a loser")
                        .extracting(EventRecord::fromState, EventRecord::toState).containsExactly(
                                org.assertj.core.groups.Tuple.tuple(null, JobState.PLANNED),
                                org.assertj.core.groups.Tuple.tuple(JobState.PLANNED, JobState.SUBMITTING),
                                org.assertj.core.groups.Tuple.tuple(JobState.SUBMITTING, JobState.PENDING),
                                org.assertj.core.groups.Tuple.tuple(JobState.PENDING, JobState.RUNNING),
                                org.assertj.core.groups.Tuple.tuple(JobState.RUNNING, winner));
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
            Future<Boolean> claim = pool.submit(() -> jobs().beginSubmit("r1", "a", "sweepd-a"));
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
        jobs().beginSubmit("r1", "a", "sweepd-a");
        clock.advance(Duration.ofSeconds(2));

        assertThat(jobs().submitted("r1", "a", "4242")).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.PENDING);
        assertThat(a.slurmJobId()).isEqualTo("4242");
        assertThat(a.submittedAt()).isEqualTo(START_MICROS.plusSeconds(2));
        assertThat(jobs().bySlurmJobId("4242")).contains(a);
        assertThat(jobs().bySlurmJobId("9999")).isEmpty();

        int events = jobs().events("r1", "a").size();
        assertThat(jobs().submitted("r1", "a", "4242")).as("a replayed report").isTrue();
        assertThat(jobs().events("r1", "a")).hasSize(events);
        assertThat(stored("r1", "a")).isEqualTo(a);
    }

    @Test
    void aSlurmIdReportedAfterTheJobMovedOnIsKeptAndASecondIdIsFlaggedAsADuplicate() {
        recordR1();
        jobs().beginSubmit("r1", "a", "sweepd-a");
        assertThat(jobs().transition("r1", "a", JobState.SUBMITTING, JobState.CANCELLED, "run cancelled", null))
                .isTrue();

        assertThat(jobs().submitted("r1", "a", "77")).isFalse();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.CANCELLED);
        assertThat(a.slurmJobId()).as("kept so the job can still be found and cancelled").isEqualTo("77");
        assertThat(jobs().events("r1", "a")).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.LATE_REPORT);
            assertThat(e.message()).contains("77");
            assertThat(e.detailsJson()).contains("\"slurmJobId\":\"77\"");
        });

        assertThat(jobs().submitted("r1", "a", "78")).isFalse();
        assertThat(stored("r1", "a").slurmJobId()).isEqualTo("77");
        assertThat(jobs().events("r1", "a")).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.DUPLICATE_SUBMISSION);
            assertThat(e.message()).contains("78").contains("77");
        });
    }

    @Test
    void submitFailedKeepsSlurmsMessageAndTheJobIsNoLongerLive() {
        recordR1();
        jobs().beginSubmit("r1", "a", "sweepd-a");

        assertThat(jobs().submitFailed("r1", "a", "sbatch: error: invalid partition specified: default")).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.SUBMIT_FAILED);
        assertThat(a.reason()).isEqualTo("sbatch: error: invalid partition specified: default");
        assertThat(jobs().liveJobs()).isEmpty();
        assertThat(jobs().submitFailed("r1", "a", "again")).as("replay").isTrue();
        assertThat(jobs().beginSubmit("r1", "a", "sweepd-a")).isFalse();
    }

    @Test
    void aTransientRefusalGoesBackToPlannedAndTheNextAttemptIsCounted() {
        recordR1();
        jobs().beginSubmit("r1", "a", "sweepd-a");

        assertThat(jobs().backToPlanned("r1", "a", "sbatch: error: Socket timed out")).isTrue();
        assertThat(stored("r1", "a").state()).isEqualTo(JobState.PLANNED);
        assertThat(stored("r1", "a").reason()).isEqualTo("sbatch: error: Socket timed out");
        assertThat(jobs().backToPlanned("r1", "a", "again")).as("replay").isTrue();

        assertThat(jobs().beginSubmit("r1", "a", "sweepd-a")).isTrue();
        assertThat(stored("r1", "a").attempt()).isEqualTo(2);
        assertThat(stored("r1", "a").reason()).isNull();
        assertThat(jobs().events("r1", "a")).extracting(EventRecord::toState).containsExactly(
                JobState.PLANNED, JobState.SUBMITTING, JobState.PLANNED, JobState.SUBMITTING);
    }

    @Test
    void aSubmitOutcomeForAJobThatMovedOnIsRecordedButChangesNothing() {
        recordR1();
        submit("r1", "a", "5");

        assertThat(jobs().submitFailed("r1", "a", "timed out waiting for sbatch")).isFalse();
        assertThat(jobs().backToPlanned("r1", "a", "timed out")).isFalse();
        assertThat(state("r1", "a")).isEqualTo(JobState.PENDING);
        assertThat(jobs().events("r1", "a")).filteredOn(e -> e.kind() == EventKind.LATE_REPORT).hasSize(2);
    }

    @Test
    void transitionIsACompareAndSetThatRecordsTimesExitCodeAndDetails() {
        recordR1();
        submit("r1", "a", "5");
        Instant started = START.plusSeconds(60);
        Instant ended = START.plusSeconds(3600);

        assertThat(jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, started, "nodes", "gpu[01-04]"))).isTrue();
        assertThat(jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null, Map.of()))
                .as("the job is no longer PENDING").isFalse();
        Map<String, Object> end = new LinkedHashMap<>();
        end.put(JobDetails.ENDED_AT, ended);
        end.put(JobDetails.EXIT_CODE, 0);
        end.put("sacct", "COMPLETED 0:0");
        clock.advance(Duration.ofMinutes(61));
        assertThat(jobs().transition("r1", "a", JobState.RUNNING, JobState.COMPLETED, "exit 0", end)).isTrue();

        JobRecord a = stored("r1", "a");
        assertThat(a.state()).isEqualTo(JobState.COMPLETED);
        assertThat(a.reason()).isEqualTo("exit 0");
        assertThat(a.startedAt()).isEqualTo(Rows.micros(started));
        assertThat(a.endedAt()).isEqualTo(Rows.micros(ended));
        assertThat(a.exitCode()).isZero();
        assertThat(a.slurmJobId()).isEqualTo("5");
        assertThat(a.updatedAt()).isEqualTo(START_MICROS.plus(Duration.ofMinutes(61)));

        EventRecord last = jobs().events("r1", "a").get(jobs().events("r1", "a").size() - 1);
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
        jobs().beginSubmit("r1", "a", "sweepd-a");
        clock.advance(Duration.ofSeconds(30));

        assertThat(jobs().transition("r1", "a", JobState.SUBMITTING, JobState.PENDING, "found in squeue by name",
                Map.of(JobDetails.SLURM_JOB_ID, 991))).isTrue();
        JobRecord a = stored("r1", "a");
        assertThat(a.slurmJobId()).isEqualTo("991");
        assertThat(a.submittedAt()).isEqualTo(START_MICROS.plusSeconds(30));
        assertThat(jobs().submitted("r1", "a", "991")).as("the late sbatch answer agrees").isTrue();
    }

    @Test
    void transitionRefusesMovesThatWouldSubmitAJobTwice() {
        recordR1();
        submit("r1", "a", "5");

        assertThatThrownBy(() -> jobs().transition("r1", "a", JobState.PENDING, JobState.PLANNED, "retry", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> jobs().transition("r1", "b", JobState.PLANNED, JobState.SUBMITTING, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beginSubmit");
        assertThatThrownBy(() -> jobs().transition("r1", "nope", JobState.PENDING, JobState.RUNNING, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no job nope");
        assertThatThrownBy(() -> jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, "yesterday"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(state("r1", "a")).isEqualTo(JobState.PENDING);
    }

    @Test
    void aJobThatEndedCanBeRetriedThroughPlannedWithTheOldSlurmIdInTheAuditTrail() {
        recordR1();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.NODE_FAIL, "node gpu03 failed",
                Map.of(JobDetails.ENDED_AT, START.plusSeconds(100), JobDetails.EXIT_CODE, 1));
        assertThat(jobs().transition("r1", "a", JobState.NODE_FAIL, JobState.PLANNED, "retrying: node failure",
                null)).isTrue();
        submit("r1", "a", "6");

        JobRecord a = stored("r1", "a");
        assertThat(a.attempt()).isEqualTo(2);
        assertThat(a.slurmJobId()).isEqualTo("6");
        assertThat(a.endedAt()).as("the new attempt has not ended").isNull();
        assertThat(a.exitCode()).isNull();
        assertThat(jobs().events("r1", "a")).extracting(EventRecord::message)
                .contains("submitted as Slurm job 5", "submitted as Slurm job 6");
    }

    @Test
    void aJobIsFoundByTheSlurmIdOfAnyOfItsAttemptsAndByItsKeyInEveryRun() {
        recordR1();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.FAILED, "exit code 1", Map.of());
        jobs().transition("r1", "a", JobState.FAILED, JobState.PLANNED, "retry", null);
        submit("r1", "a", "6");
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of(point("r2", "a-c4", "a")));

        assertThat(jobs().jobsEverSubmittedAs("6")).extracting(JobRecord::jobKey).containsExactly("a");
        assertThat(jobs().jobsEverSubmittedAs("5")).as("an earlier attempt's id, kept by the audit trail only")
                .extracting(JobRecord::runId, JobRecord::jobKey).containsExactly(Tuple.tuple("r1", "a"));
        assertThat(jobs().jobsEverSubmittedAs("55")).isEmpty();
        assertThat(jobs().jobsWithKey("a")).extracting(JobRecord::runId).containsExactly("r1", "r2");
        assertThat(jobs().jobsWithKey("nosuch")).isEmpty();
    }

    @Test
    void attemptsKeepAFailedFirstAttemptWithItsNodesDiagnosisAndTheRuleItsRetryAdded() {
        recordR1();
        jobs().beginSubmit("r1", "a", "sweepd-a");
        assertThat(jobs().backToPlanned("r1", "a", "sbatch: error: Socket timed out")).isTrue();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, START.plusSeconds(10)));
        jobs().transition("r1", "a", JobState.RUNNING, JobState.OUT_OF_MEMORY, "OutOfMemory (exit 137)",
                Map.of(JobDetails.ENDED_AT, START.plusSeconds(100), JobDetails.EXIT_CODE, 137, "nodes", "gpu[01-02]"));
        // Triage's verdict, as FailureHandler records it: same state, diagnosis in the details.
        jobs().transition("r1", "a", JobState.OUT_OF_MEMORY, JobState.OUT_OF_MEMORY,
                "OutOfMemory (exit 137); diagnosis: CUDA out of memory", Map.of("diagnosis", "CUDA out of memory",
                        "category", "oom"));
        jobs().transition("r1", "a", JobState.OUT_OF_MEMORY, JobState.PLANNED, "retry with workaround mem-headroom",
                Map.of(JobDetails.ADDED_WORKAROUND, "mem-headroom"));
        submit("r1", "a", "6");
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, START.plusSeconds(300), JobDetails.EXIT_CODE, 0, "nodes", "gpu03"));

        List<AttemptRecord> attempts = jobs().attempts("r1", "a");

        assertThat(attempts).as("the sbatch refused for now never reached Slurm: not an attempt of its own")
                .extracting(AttemptRecord::slurmJobId).containsExactly("5", "6");
        AttemptRecord first = attempts.get(0);
        assertThat(first.state()).isEqualTo(JobState.OUT_OF_MEMORY);
        assertThat(first.failed()).isTrue();
        assertThat(first.reason()).isEqualTo("OutOfMemory (exit 137)");
        assertThat(first.nodes()).isEqualTo("gpu[01-02]");
        assertThat(first.exitCode()).isEqualTo(137);
        assertThat(first.diagnosis()).isEqualTo("CUDA out of memory");
        assertThat(first.category()).isEqualTo("oom");
        assertThat(first.retriedBecause()).isEqualTo("retry with workaround mem-headroom");
        assertThat(first.addedWorkaround()).isEqualTo("mem-headroom");
        AttemptRecord second = attempts.get(1);
        assertThat(second.attempt()).isEqualTo(stored("r1", "a").attempt());
        assertThat(second.state()).isEqualTo(JobState.COMPLETED);
        assertThat(second.failed()).isFalse();
        assertThat(second.nodes()).isEqualTo("gpu03");
        assertThat(second.diagnosis()).isNull();
        assertThat(second.retriedBecause()).isNull();
        assertThat(jobs().attempts("r1")).containsOnlyKeys("a").containsEntry("a", attempts);
    }

    @Test
    void aJobNeverSubmittedHasNoAttempts() {
        recordR1();
        assertThat(jobs().attempts("r1", "a")).isEmpty();
        assertThat(jobs().attempts("r1")).isEmpty();
    }

    // ---------------------------------------------------------------- many jobs at once

    private List<JobStore.Claim> claims(String runId, String... keys) {
        List<JobStore.Claim> claims = new ArrayList<>();
        for (String key : keys) {
            JobRecord planned = stored(runId, key);
            claims.add(new JobStore.Claim(planned, "sweepd-" + key + "-a" + (planned.attempt() + 1)));
        }
        return claims;
    }

    @Test
    void beginSubmitsClaimsEveryPlannedJobInOneGoAndSkipsTheOnesThatMovedOn() {
        recordPlannedJobs(4);
        List<JobStore.Claim> claims = claims("r1", "j0", "j1", "j2", "j3");
        jobs().beginSubmit("r1", "j1", "someone-else");                       // claimed by another caller
        jobs().transition("r1", "j2", JobState.PLANNED, JobState.CANCELLED, "cancelled", null);
        clock.advance(Duration.ofSeconds(10));

        List<JobStore.Claim> won = jobs().beginSubmits(claims);

        assertThat(won).extracting(c -> c.planned().jobKey()).containsExactly("j0", "j3");
        for (String key : List.of("j0", "j3")) {
            JobRecord claimed = stored("r1", key);
            assertThat(claimed.state()).isEqualTo(JobState.SUBMITTING);
            assertThat(claimed.attempt()).isEqualTo(1);
            assertThat(claimed.jobName()).isEqualTo("sweepd-" + key + "-a1");
            assertThat(claimed.submitStartedAt()).isEqualTo(START_MICROS.plusSeconds(10));
            assertThat(jobs().events("r1", key)).last().satisfies(e -> {
                assertThat(e.fromState()).isEqualTo(JobState.PLANNED);
                assertThat(e.toState()).isEqualTo(JobState.SUBMITTING);
                assertThat(e.message()).isEqualTo("attempt 1 as sweepd-" + key + "-a1");
            });
        }
        assertThat(stored("r1", "j1").jobName()).isEqualTo("someone-else");
        assertThat(stored("r1", "j2").state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs().beginSubmits(claims)).as("a claim read before the job's last claim is stale").isEmpty();
        assertThat(jobs().submissionsStartedAfter(START.minusSeconds(1))).containsEntry("local", 3);
    }

    @Test
    void twoLedgerHandlesClaimingTheSameBatchSplitItWithoutOverlap() throws Exception {
        int jobCount = 30;
        recordPlannedJobs(jobCount);
        String[] keys = new String[jobCount];
        for (int i = 0; i < jobCount; i++) {
            keys[i] = "j" + i;
        }
        List<JobStore.Claim> claims = claims("r1", keys);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Ledger other = open(clock)) {
            Future<List<JobStore.Claim>> mine = pool.submit(() -> jobs().beginSubmits(claims));
            Future<List<JobStore.Claim>> theirs = pool.submit(() -> other.jobs().beginSubmits(claims));

            List<String> all = new ArrayList<>();
            mine.get(30, TimeUnit.SECONDS).forEach(c -> all.add(c.planned().jobKey()));
            theirs.get(30, TimeUnit.SECONDS).forEach(c -> all.add(c.planned().jobKey()));
            assertThat(all).as("every job claimed exactly once").containsExactlyInAnyOrder(keys);
        } finally {
            pool.shutdownNow();
        }
        for (String key : keys) {
            assertThat(stored("r1", key).attempt()).isEqualTo(1);
            assertThat(jobs().events("r1", key)).filteredOn(e -> e.toState() == JobState.SUBMITTING).hasSize(1);
        }
    }

    @Test
    void aWithdrawnClaimLeavesTheJobAsItWasAndUncountedAgainstTheMinute() {
        recordR1();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.NODE_FAIL, "node gpu03 failed",
                Map.of(JobDetails.ENDED_AT, START.plusSeconds(100), JobDetails.EXIT_CODE, 1));
        jobs().settled("r1", "a", 1, "triaged");
        jobs().transition("r1", "a", JobState.NODE_FAIL, JobState.PLANNED, "retrying: node failure", null);
        jobs().holdPlanned("r1", "b", "waiting for a slot: 1 of 1 jobs queued on profile local");
        clock.advance(Duration.ofMinutes(5));
        JobRecord aBefore = stored("r1", "a");
        JobRecord bBefore = stored("r1", "b");
        List<JobStore.Claim> claims = jobs().beginSubmits(claims("r1", "a", "b"));
        assertThat(claims).hasSize(2);
        clock.advance(Duration.ofSeconds(1));

        assertThat(jobs().withdrawClaims(claims, "an earlier sbatch of this cycle was refused")).isEqualTo(2);

        assertThat(stored("r1", "a")).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(aBefore);
        assertThat(stored("r1", "b")).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(bBefore);
        assertThat(jobs().submissionsStartedAfter(START.plusSeconds(200))).as("no sbatch ran").isEmpty();
        assertThat(jobs().events("r1", "b")).last().satisfies(e -> {
            assertThat(e.fromState()).isEqualTo(JobState.SUBMITTING);
            assertThat(e.toState()).isEqualTo(JobState.PLANNED);
            assertThat(e.message()).isEqualTo("claim for attempt 1 withdrawn before sbatch ran: an earlier sbatch"
                    + " of this cycle was refused");
        });
        assertThat(jobs().withdrawClaims(claims, "again")).as("a claim is withdrawn once").isZero();
        assertThat(jobs().beginSubmits(claims("r1", "a", "b"))).as("claimable again").hasSize(2);
    }

    @Test
    void aClaimIsNotWithdrawnOnceItsJobMovedOn() {
        recordR1();
        List<JobStore.Claim> claims = jobs().beginSubmits(claims("r1", "a"));
        assertThat(jobs().submitted("r1", "a", "7")).isTrue();

        assertThat(jobs().withdrawClaims(claims, "too late")).isZero();

        assertThat(stored("r1", "a").state()).isEqualTo(JobState.PENDING);
        assertThat(stored("r1", "a").slurmJobId()).isEqualTo("7");
    }

    @Test
    void submittedManyRecordsEveryIdOnceAndKeepsAnIdThatArrivedLate() {
        recordPlannedJobs(3);
        jobs().beginSubmits(claims("r1", "j0", "j1", "j2"));
        jobs().transition("r1", "j2", JobState.SUBMITTING, JobState.CANCELLED, "cancelled while submitting", null);
        clock.advance(Duration.ofSeconds(3));

        int tracked = jobs().submitted(List.of(new JobStore.Submission("r1", "j0", "100"),
                new JobStore.Submission("r1", "j1", "101"), new JobStore.Submission("r1", "j2", "102")));

        assertThat(tracked).as("j2 had moved on, its id is kept but it is not tracked").isEqualTo(2);
        assertThat(stored("r1", "j0")).extracting(JobRecord::state, JobRecord::slurmJobId, JobRecord::submittedAt)
                .containsExactly(JobState.PENDING, "100", START_MICROS.plusSeconds(3));
        assertThat(stored("r1", "j1")).extracting(JobRecord::state, JobRecord::slurmJobId)
                .containsExactly(JobState.PENDING, "101");
        assertThat(stored("r1", "j2")).extracting(JobRecord::state, JobRecord::slurmJobId)
                .containsExactly(JobState.CANCELLED, "102");
        assertThat(jobs().events("r1", "j0")).extracting(EventRecord::message).contains("submitted as Slurm job 100");
        assertThat(jobs().events("r1", "j2")).extracting(EventRecord::kind).contains(EventKind.LATE_REPORT);
        assertThat(jobs().submitted(List.of(new JobStore.Submission("r1", "j0", "100"))))
                .as("replaying the same report is harmless").isEqualTo(1);
        assertThat(jobs().events("r1", "j0")).filteredOn(e -> e.toState() == JobState.PENDING).hasSize(1);
    }

    @Test
    void refusedManyEndsEachJobAsItsRefusalSays() {
        recordPlannedJobs(3);
        jobs().beginSubmits(claims("r1", "j0", "j1", "j2"));
        jobs().submitted("r1", "j2", "9");

        int done = jobs().refused(List.of(
                new JobStore.Refusal("r1", "j0", JobState.SUBMIT_FAILED, "sbatch refused the job: bad partition"),
                new JobStore.Refusal("r1", "j1", JobState.PLANNED, "sbatch refused for now (timeout)"),
                new JobStore.Refusal("r1", "j2", JobState.PLANNED, "late")));

        assertThat(done).isEqualTo(2);
        assertThat(stored("r1", "j0")).extracting(JobRecord::state, JobRecord::reason)
                .containsExactly(JobState.SUBMIT_FAILED, "sbatch refused the job: bad partition");
        assertThat(stored("r1", "j1")).extracting(JobRecord::state, JobRecord::reason, JobRecord::attempt)
                .containsExactly(JobState.PLANNED, "sbatch refused for now (timeout)", 1);
        assertThat(stored("r1", "j2").state()).as("a report for a job that moved on changes nothing")
                .isEqualTo(JobState.PENDING);
        assertThat(jobs().events("r1", "j2")).extracting(EventRecord::kind).contains(EventKind.LATE_REPORT);
        assertThatThrownBy(() -> new JobStore.Refusal("r1", "j0", JobState.RUNNING, "no"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdPlannedManyWritesOnlyTheReasonsThatChanged() {
        recordPlannedJobs(3);
        jobs().holdPlanned("r1", "j0", "waiting for a slot: A");
        jobs().beginSubmit("r1", "j2", "sweepd-j2");

        List<JobStore.Hold> written = jobs().holdPlanned(List.of(new JobStore.Hold("r1", "j0", "waiting for a slot: A"),
                new JobStore.Hold("r1", "j1", "waiting for a slot: B"), new JobStore.Hold("r1", "j2", "not planned")));

        assertThat(written).extracting(JobStore.Hold::jobKey).containsExactly("j1");
        assertThat(stored("r1", "j1").reason()).isEqualTo("waiting for a slot: B");
        assertThat(stored("r1", "j2").state()).isEqualTo(JobState.SUBMITTING);
        assertThat(jobs().events("r1", "j0")).filteredOn(e -> e.toState() == JobState.PLANNED
                && e.fromState() == JobState.PLANNED).hasSize(1);
    }

    @Test
    void liveJobsAreEveryJobSlurmMayStillChangeAcrossRuns() {
        recordR1();
        clock.advance(Duration.ofMinutes(5));
        runs().recordRun(run("o1", "other"), List.of(job("o1", "c"), job("o1", "d"), job("o1", "e")), List.of());

        jobs().beginSubmit("r1", "a", "sweepd-a");                      // SUBMITTING
        submit("o1", "c", "11");                                        // PENDING
        submit("o1", "d", "12");
        jobs().transition("o1", "d", JobState.PENDING, JobState.RUNNING, null, null);
        submit("o1", "e", "13");
        jobs().transition("o1", "e", JobState.PENDING, JobState.FAILED, "exit 1", null);
        // r1/b stays PLANNED

        assertThat(jobs().liveJobs()).extracting(j -> j.runId() + "/" + j.jobKey())
                .containsExactly("r1/a", "o1/c", "o1/d");
        assertThat(jobs().jobsInState(JobState.PLANNED)).extracting(JobRecord::jobKey).containsExactly("b");
        assertThat(jobs().jobsInState(JobState.FAILED)).extracting(JobRecord::jobKey).containsExactly("e");
        assertThat(jobs().jobsInState(JobState.LOST)).isEmpty();
    }

    @Test
    void aReusedSlurmIdFindsTheLiveJob() {
        recordR1();
        submit("r1", "a", "7");
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null, null);
        clock.advance(Duration.ofDays(1));
        runs().recordRun(run("r2", "other"), List.of(job("r2", "z")), List.of());
        submit("r2", "z", "7");

        assertThat(jobs().bySlurmJobId("7")).map(j -> j.runId() + "/" + j.jobKey()).contains("r2/z");
    }

    @Test
    void aHugeReasonIsKeptUpToALimitRatherThanFailingTheStateChange() {
        recordR1();
        jobs().beginSubmit("r1", "a", "sweepd-a");
        String huge = "x".repeat(Rows.MAX_TEXT * 2);

        assertThat(jobs().submitFailed("r1", "a", huge)).isTrue();
        String reason = stored("r1", "a").reason();
        assertThat(reason).startsWith("xxxx").endsWith(Rows.MAX_TEXT + " more characters]");
        assertThat(reason.length()).isLessThan(Rows.MAX_TEXT + 100);
    }

    @Test
    void anEndedJobIsUnsettledUntilSettledOnceAndAFailedSettleWaitsOutItsBackoff() {
        recordR1();
        submit("r1", "a", "5");
        submit("r1", "b", "6");
        assertThat(jobs().unsettled()).as("live jobs have no end to settle").isEmpty();
        jobs().transition("r1", "a", JobState.PENDING, JobState.FAILED, "exit 1", null);
        jobs().transition("r1", "b", JobState.PENDING, JobState.COMPLETED, null, null);
        assertThat(jobs().unsettled()).extracting(JobRecord::jobKey).containsExactly("a", "b");

        jobs().settleFailed("r1", "a", 1, "IOException: disk full", START.plusSeconds(60));
        JobRecord failed = stored("r1", "a");
        assertThat(failed.settleAttempts()).isEqualTo(1);
        assertThat(failed.settleError()).isEqualTo("IOException: disk full");
        assertThat(jobs().unsettled()).as("a waits out its backoff").extracting(JobRecord::jobKey)
                .containsExactly("b");
        clock.advance(Duration.ofSeconds(61));
        assertThat(jobs().unsettled()).extracting(JobRecord::jobKey).containsExactly("a", "b");

        assertThat(jobs().settled("r1", "a", 1, "handled FAILED")).isTrue();
        assertThat(jobs().settled("r1", "a", 1, "handled FAILED")).as("a second call settles nothing").isFalse();
        assertThat(jobs().settled("r1", "b", 7, "handled COMPLETED")).as("not b's attempt").isFalse();
        assertThat(stored("r1", "a").settled()).isTrue();
        assertThat(stored("r1", "a").settleError()).isNull();
        assertThat(jobs().unsettled()).extracting(JobRecord::jobKey).containsExactly("b");
        assertThat(jobs().events("r1", "a")).extracting(EventRecord::kind)
                .containsOnlyOnce(EventKind.SETTLED, EventKind.SETTLE_FAILED);
    }

    @Test
    void unsettledCountIsTheRunsJobsNotYetSettledWhatEverTheirState() {
        recordR1();
        assertThat(jobs().unsettledCount("r1")).as("planned jobs are not settled").isEqualTo(2);
        submit("r1", "a", "5");
        submit("r1", "b", "6");
        jobs().transition("r1", "a", JobState.PENDING, JobState.FAILED, "exit 1", null);
        assertThat(jobs().unsettledCount("r1")).isEqualTo(2);
        jobs().settled("r1", "a", 1, "handled FAILED");
        assertThat(jobs().unsettledCount("r1")).isEqualTo(1);
        jobs().transition("r1", "b", JobState.PENDING, JobState.COMPLETED, null, null);
        jobs().settled("r1", "b", 1, "collected");
        assertThat(jobs().unsettledCount("r1")).isZero();

        // A re-drop reuses the completed job: never sweepd's to settle; its planned job "a" is.
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a"), job("r2", "b")), List.of());
        assertThat(stored("r2", "b").reused()).isTrue();
        assertThat(jobs().unsettledCount("r2")).isEqualTo(1);
        assertThat(jobs().unsettledCount("nope")).isZero();
    }

    @Test
    void aRetriedJobsNextEndNeedsSettlingAgain() {
        recordR1();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.NODE_FAIL, "node gpu03 failed", null);
        jobs().settleFailed("r1", "a", 1, "boom", START);
        jobs().transition("r1", "a", JobState.NODE_FAIL, JobState.PLANNED, "retrying", null);
        assertThat(jobs().settled("r1", "a", 1, "handled NODE_FAIL; now PLANNED")).isTrue();

        submit("r1", "a", "6");
        jobs().transition("r1", "a", JobState.PENDING, JobState.FAILED, "exit 1", null);

        JobRecord again = stored("r1", "a");
        assertThat(again.settled()).isFalse();
        assertThat(again.settleAttempts()).isZero();
        assertThat(jobs().unsettled()).extracting(JobRecord::jobKey).containsExactly("a");
    }

    @Test
    void aReusedJobHasNothingToSettle() {
        recordR1();
        submit("r1", "a", "5");
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null, null);
        jobs().settled("r1", "a", 1, "handled COMPLETED");
        clock.advance(Duration.ofDays(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of());

        JobRecord reused = stored("r2", "a");
        assertThat(reused.reused()).isTrue();
        assertThat(reused.settled()).isTrue();
        assertThat(jobs().unsettled()).isEmpty();
    }

    /** Run r1 with jobs j0..j{count-1}, all PLANNED: the jobs the race tests fight over. */
    private void recordPlannedJobs(int count) {
        List<JobRecord> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            planned.add(job("r1", "j" + i));
        }
        runs().recordRun(run("r1", "dsr1"), planned, List.of());
    }
}
