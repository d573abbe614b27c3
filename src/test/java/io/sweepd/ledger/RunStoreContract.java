package io.sweepd.ledger;

import io.sweepd.core.JobState;
import io.sweepd.core.PointState;
import io.sweepd.core.SweepCounts;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link RunStore} must do on every database: a run, its jobs and its points are recorded in one
 * transaction, looked up, finished once, and a re-dropped sweep reuses the jobs an earlier run completed.
 * {@link RunStoreH2Test} (unit layer) and {@link RunStorePostgresIT} run these same tests.
 */
abstract class RunStoreContract extends StoreContract {

    @Test
    void recordsARunWithItsJobsPlannedAndItsPointsInPlanOrder() {
        recordR1();

        RunRecord run = runs().run("r1").orElseThrow();
        assertThat(run.sweepName()).isEqualTo("dsr1");
        assertThat(run.sourceFile()).isEqualTo("/inbox/dsr1.yaml");
        assertThat(run.sourceDir()).isEqualTo("/inbox");
        assertThat(run.profileOverride()).isNull();
        assertThat(run.planJson()).isEqualTo("{\"sweep\":\"dsr1\",\"points\":[]}");
        assertThat(run.createdAt()).isEqualTo(START_MICROS);
        assertThat(run.finishedAt()).isNull();
        assertThat(run.state()).isEqualTo(RunState.ACTIVE);
        assertThat(runs().runs()).containsExactly(run);

        assertThat(jobs().jobs("r1")).extracting(JobRecord::jobKey).containsExactly("a", "b");
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

        List<PointRecord> points = runs().points("r1");
        assertThat(points).extracting(PointRecord::pointId).containsExactly("a-c4", "a-c8", "x-c4");
        assertThat(points.get(0).state()).isEqualTo(PointState.PLANNED);
        assertThat(points.get(0).matrixJson()).isEqualTo("{\"point-id\":\"a-c4\"}");
        assertThat(points.get(2).state()).isEqualTo(PointState.REFUSED);
        assertThat(points.get(2).refusedReason()).isEqualTo("needs 16 GPUs, the pool has 8");
        assertThat(points.get(2).jobKey()).isEqualTo("x");
        assertThat(jobs().job("r1", "x")).as("a refused point has no job").isEmpty();

        assertThat(jobs().events("r1")).extracting(EventRecord::kind, EventRecord::jobKey, EventRecord::toState)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EventKind.STATE, "a", JobState.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(EventKind.STATE, "b", JobState.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(EventKind.RUN_RECORDED, null, null));
        assertThat(jobs().events("r1").get(2).message()).isEqualTo("2 jobs (0 completed in earlier runs), "
                + "3 points (1 refused)");
    }

    @Test
    void runsAreListedNewestFirstWithoutTheirPlansAndPointsAreCountedAndFoundAcrossRuns() {
        recordR1();
        clock.advance(java.time.Duration.ofMinutes(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of(point("r2", "a-c4", "a")));

        assertThat(runs().runsNewestFirstWithoutPlan(0)).extracting(RunRecord::runId).containsExactly("r2", "r1");
        assertThat(runs().runsNewestFirstWithoutPlan(1)).extracting(RunRecord::runId).containsExactly("r2");
        assertThat(runs().runsNewestFirstWithoutPlan(0).get(0).planJson()).isEqualTo("{}");
        assertThat(runs().pointCounts("r1")).isEqualTo(new RunStore.PointCounts(3, 1));
        assertThat(runs().pointCounts("nosuch")).isEqualTo(new RunStore.PointCounts(0, 0));
        assertThat(runs().pointsWithId("a-c4")).extracting(PointRecord::runId).containsExactly("r1", "r2");
        assertThat(runs().pointsWithId("nosuch")).isEmpty();
    }

    @Test
    void aRunKeepsItsCountsFromWhenItWasRecordedAndARunWithoutThemHasThemWorkedOutFromItsPoints() throws Exception {
        // A multinode entry stands for its distinct concurrencies; x's only point is refused, so x has no job.
        runs().recordRun(run("r1", "dsr1"), List.of(job("r1", "a"), job("r1", "m")), List.of(
                point("r1", "a-c4", "a"), point("r1", "a-c8", "a"),
                PointRecord.of("r1", "m-multi", "m", "{\"conc\":[4,8,8,16]}", null),
                PointRecord.of("r1", "x-c4", "x", "{}", "needs 16 GPUs, the pool has 8")));
        SweepCounts expected = new SweepCounts(3, 2, 6, 1, 1);

        assertThat(runs().counts("r1")).isEqualTo(expected);
        assertThat(countRows("r1")).as("kept with the run").isEqualTo(1);

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM run_counts WHERE run_id = 'r1'");
        }
        assertThat(runs().counts("r1")).as("a run recorded before counts were kept").isEqualTo(expected);
        assertThat(countRows("r1")).as("kept from its first use").isEqualTo(1);
        assertThat(runs().counts("r1")).isEqualTo(expected);
        assertThat(runs().counts("nosuch")).isEqualTo(new SweepCounts(0, 0, 0, 0, 0));
        assertThat(countRows("nosuch")).as("no run, nothing kept").isZero();
    }

    private int countRows(String runId) throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM run_counts WHERE run_id = '"
                     + runId + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void recordingTheSameRunAgainChangesNothingButADifferentPlanUnderTheSameIdIsRefused() {
        recordR1();
        int events = jobs().events("r1").size();

        recordR1();
        assertThat(jobs().jobs("r1")).hasSize(2);
        assertThat(runs().points("r1")).hasSize(3);
        assertThat(jobs().events("r1")).hasSize(events);

        RunRecord other = RunRecord.planned("r1", "dsr1", null, null, null, "{\"other\":true}");
        assertThatThrownBy(() -> runs().recordRun(other, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("different plan");
    }

    @Test
    void aJobOrPointOfAnotherRunIsRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> runs().recordRun(run("r1", "dsr1"), List.of(job("r2", "a")), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r2");
        assertThatThrownBy(() -> runs().recordRun(run("r1", "dsr1"), List.of(), List.of(point("r2", "p", "a"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(runs().runs()).isEmpty();
    }

    @Test
    void aFailingRecordRunLeavesNoHalfRecordedRun() {
        List<JobRecord> duplicateKeys = List.of(job("r1", "a"), job("r1", "a"));
        assertThatThrownBy(() -> runs().recordRun(run("r1", "dsr1"), duplicateKeys, List.of()))
                .isInstanceOf(RuntimeException.class);
        assertThat(runs().runs()).isEmpty();
        assertThat(jobs().jobs("r1")).isEmpty();
    }

    @Test
    void aRunsHeadlineIsKeptReplacedAndOnlyForARunThatExists() {
        recordR1();
        assertThat(runs().headline("r1")).isEmpty();

        runs().recordHeadline("r1", "{\"completed\":1}");
        runs().recordHeadline("r1", "{\"completed\":2}");

        assertThat(runs().headline("r1")).contains("{\"completed\":2}");
        assertThat(runs().headline("nope")).isEmpty();
        assertThatThrownBy(() -> runs().recordHeadline("nope", "{}")).as("a headline needs its run")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void comparisonRowsAreKeptOnlyWhileTheRunsJobsAndResultsAreAsTheyWere() {
        recordR1();
        String seen = runs().jobsSeen("r1");
        assertThat(runs().comparisonRows("r1", seen)).isEmpty();

        runs().recordComparisonRows("r1", seen, "{\"rows\":1}");
        runs().recordComparisonRows("r1", seen, "{\"rows\":2}");
        assertThat(runs().comparisonRows("r1", seen)).contains("{\"rows\":2}");
        assertThat(runs().hasComparisonRows("r1", seen)).isTrue();
        runs().finishRun("r1", clock.instant());
        assertThat(runs().jobsSeen("r1")).as("no job changed: the run finishing is not its jobs changing")
                .isEqualTo(seen);

        // A job's change, even at the same instant of the clock: the rows no longer match what the run is.
        submit("r1", "a", "101");
        String after = runs().jobsSeen("r1");
        assertThat(after).isNotEqualTo(seen);
        assertThat(runs().comparisonRows("r1", after)).isEmpty();
        assertThat(runs().hasComparisonRows("r1", after)).isFalse();

        // A result recorded for the run drops them.
        runs().recordComparisonRows("r1", after, "{\"rows\":3}");
        results().recordResults("r1", "a", List.of(ResultStoreContract.completedResult("r1", "a-c4", 4, "a", 400.0)));
        assertThat(runs().comparisonRows("r1", after)).isEmpty();

        assertThatThrownBy(() -> runs().recordComparisonRows("nope", seen, "{}")).as("rows need their run")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void latestRunIsTheMostRecentOfThatSweepAndFinishRunKeepsTheFirstFinishTime() {
        recordR1();
        clock.advance(Duration.ofHours(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of());
        clock.advance(Duration.ofMinutes(1));
        runs().recordRun(run("o1", "other"), List.of(), List.of());

        assertThat(runs().latestRun("dsr1")).map(RunRecord::runId).contains("r2");
        assertThat(runs().latestRun("nope")).isEmpty();
        assertThat(runs().runs()).extracting(RunRecord::runId).containsExactly("r1", "r2", "o1");

        Instant end = START.plusSeconds(5000);
        runs().finishRun("r1", end);
        runs().finishRun("r1", end.plusSeconds(60));
        RunRecord finished = runs().run("r1").orElseThrow();
        assertThat(finished.finishedAt()).isEqualTo(Rows.micros(end));
        assertThat(finished.state()).isEqualTo(RunState.FINISHED);
        assertThat(jobs().events("r1")).filteredOn(e -> e.kind() == EventKind.RUN_FINISHED).hasSize(1);
        assertThat(runs().run("r2").orElseThrow().finished()).isFalse();
        assertThatThrownBy(() -> runs().finishRun("nope", end)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runIdIsTheSweepNameAndTheUtcSecond() {
        assertThat(RunRecord.runId("dsr1-fp8", Instant.parse("2025-06-01T08:09:10.5Z")))
                .isEqualTo("dsr1-fp8-20250601-080910");
    }

    @Test
    void aJobCompletedInAnEarlierRunOfTheSameSweepIsRecordedAsDoneAndNeverSubmittedAgain() {
        recordR1();
        submit("r1", "a", "100");
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, "exit 0", null);
        submit("r1", "b", "101");
        jobs().transition("r1", "b", JobState.PENDING, JobState.INVALID, "0 completed requests", null);

        assertThat(runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
        assertThat(runs().completedEarlier("dsr1", "b")).as("INVALID is not done").isEmpty();
        assertThat(runs().completedEarlier("other-sweep", "a")).as("another sweep's job").isEmpty();

        clock.advance(Duration.ofDays(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a"), job("r2", "b")), List.of());

        JobRecord reused = stored("r2", "a");
        assertThat(reused.state()).isEqualTo(JobState.COMPLETED);
        assertThat(reused.reusedFromRun()).isEqualTo("r1");
        assertThat(reused.jobDir()).as("where the results are").isEqualTo("/outputs/r1/a");
        assertThat(reused.reason()).contains("r1").contains("100");
        assertThat(jobs().beginSubmit("r2", "a", "sweepd-a")).isFalse();
        assertThat(state("r2", "b")).isEqualTo(JobState.PLANNED);
        assertThat(jobs().events("r2")).last().extracting(EventRecord::message)
                .isEqualTo("2 jobs (1 completed in earlier runs), 0 points (0 refused)");

        clock.advance(Duration.ofDays(1));
        runs().recordRun(run("r3", "dsr1"), List.of(job("r3", "a")), List.of());
        assertThat(stored("r3", "a").reusedFromRun()).as("always the run that actually ran it").isEqualTo("r1");
        assertThat(runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
    }

    @Test
    void aFreshRunPlansEveryJobEvenOnesAnEarlierRunCompleted() {
        recordR1();
        submit("r1", "a", "100");
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, "exit 0", null);

        clock.advance(Duration.ofDays(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a"), job("r2", "b")), List.of(), JobReuse.FRESH);

        JobRecord fresh = stored("r2", "a");
        assertThat(fresh.state()).isEqualTo(JobState.PLANNED);
        assertThat(fresh.reused()).isFalse();
        assertThat(fresh.jobDir()).as("its own directory").isEqualTo("/outputs/r2/a");
        assertThat(jobs().events("r2")).last().extracting(EventRecord::message)
                .isEqualTo("2 jobs (0 completed in earlier runs), 0 points (0 refused)");
        assertThat(jobs().beginSubmit("r2", "a", "sweepd-a")).as("submitted again").isTrue();
    }

    @Test
    void unfinishedRunsAreTheSweepsRunsNotMarkedFinished() {
        recordR1();
        clock.advance(Duration.ofHours(1));
        runs().recordRun(run("r2", "dsr1"), List.of(), List.of());
        runs().recordRun(run("o1", "other"), List.of(), List.of());
        runs().finishRun("r1", START.plusSeconds(60));

        assertThat(runs().unfinishedRuns("dsr1")).extracting(RunRecord::runId).containsExactly("r2");
        assertThat(runs().unfinishedRuns("nope")).isEmpty();
    }

    @Test
    void completedEarlierNamesTheMostRecentCompletionWhenTwoRunsRanTheSameJob() {
        // The sweep was re-dropped while its first run was still going: both runs planned and ran job "a".
        recordR1();
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of());
        submit("r1", "a", "1");
        submit("r2", "a", "2");
        clock.advance(Duration.ofHours(1));
        jobs().transition("r2", "a", JobState.PENDING, JobState.COMPLETED, null, null);
        clock.advance(Duration.ofHours(1));
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, null, null);

        assertThat(runs().completedEarlier("dsr1", "a")).map(JobRecord::runId).contains("r1");
        runs().recordRun(run("r3", "dsr1"), List.of(job("r3", "a")), List.of());
        assertThat(stored("r3", "a").reusedFromRun()).isEqualTo("r1");
    }

    @Test
    void aLargePlanIsStoredWhole() {
        // 3 MB: more than H2 allows in a VARCHAR, which is why plans are TEXT.
        String plan = "{\"points\":[" + ("{\"x\":\"" + "y".repeat(1000) + "\"},").repeat(3000) + "{}]}";
        runs().recordRun(RunRecord.planned("big", "big", null, null, "local", plan), List.of(), List.of());
        RunRecord run = runs().run("big").orElseThrow();
        assertThat(run.planJson()).isEqualTo(plan);
        assertThat(run.profileOverride()).isEqualTo("local");
    }

    @Test
    void reportLookupsFindTheBaselineTheActiveRunsAndOneJobsPointsWithoutReadingPlans() {
        recordR1();
        clock.advance(Duration.ofHours(1));
        runs().recordRun(run("r2", "dsr1"), List.of(job("r2", "a")), List.of(point("r2", "a-c4", "a")));
        clock.advance(Duration.ofHours(1));
        runs().recordRun(run("o1", "other"), List.of(), List.of());
        clock.advance(Duration.ofHours(1));
        runs().recordRun(run("r3", "dsr1"), List.of(job("r3", "a")), List.of());
        Instant r3Created = runs().run("r3").orElseThrow().createdAt();

        assertThat(runs().activeRunIds()).containsExactly("r1", "r2", "o1", "r3");
        assertThat(runs().exists("r2")).isTrue();
        assertThat(runs().exists("nope")).isFalse();
        assertThat(runs().previousFinishedRunId("dsr1", r3Created)).as("no finished run yet").isEmpty();

        runs().finishRun("r1", START.plusSeconds(60));
        runs().finishRun("r2", START.plusSeconds(7200));
        runs().finishRun("o1", START.plusSeconds(9000));
        assertThat(runs().activeRunIds()).containsExactly("r3");
        assertThat(runs().previousFinishedRunId("dsr1", r3Created)).as("the latest finished one of the sweep")
                .contains("r2");
        assertThat(runs().previousFinishedRunId("dsr1", runs().run("r2").orElseThrow().createdAt()))
                .as("only runs recorded before").contains("r1");
        assertThat(runs().previousFinishedRunId("dsr1", START_MICROS)).isEmpty();

        assertThat(runs().points("r1", "a")).extracting(PointRecord::pointId).containsExactly("a-c4", "a-c8");
        assertThat(runs().points("r1", "x")).as("a refused point keeps its job key").extracting(PointRecord::pointId)
                .containsExactly("x-c4");
        assertThat(runs().points("r1", "b")).isEmpty();
        RunRecord withoutPlan = runs().runNamedWithoutPlan("r2").orElseThrow();
        assertThat(withoutPlan.planJson()).isEqualTo("{}");
        assertThat(withoutPlan).isEqualTo(new RunRecord("r2", "dsr1", "/inbox/dsr1.yaml", "/inbox", null, "{}",
                runs().run("r2").orElseThrow().createdAt(), START_MICROS.plusSeconds(7200), RunState.FINISHED));
        assertThat(runs().runNamedWithoutPlan("dsr1")).map(RunRecord::runId).as("a sweep's latest run").contains("r3");
        assertThat(runs().runNamedWithoutPlan("nope")).isEmpty();
        PointRecord[] inPlanOrder = new PointRecord[runs().points("r1").size()];
        runs().forEachPoint("r1", (point, planIndex) -> inPlanOrder[planIndex] = point);
        assertThat(inPlanOrder).as("every point streamed with its plan index").containsExactlyElementsOf(runs().points("r1"));
    }
}
