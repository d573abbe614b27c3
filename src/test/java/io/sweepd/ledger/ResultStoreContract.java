package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link ResultStore} must do on every database: a job's results are replaced as a whole, rows that did not
 * change are left alone, and rows that do not belong to the job are refused. {@link ResultStoreH2Test} (unit
 * layer) and {@link ResultStorePostgresIT} run these same tests.
 */
abstract class ResultStoreContract extends StoreContract {

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
        jobs().transition("r1", "a", JobState.PENDING, JobState.COMPLETED, "exit 0", null);
        List<ResultRecord> results = List.of(
                completedResult("r1", "a-c8", 8, "a", 812.5),
                invalidResult("r1", "a-c4", 4, "a", "results_concurrency_4_gpus_8.json: 0 output tokens"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(results().recordResults("r1", "a", results)).isEqualTo(2);
        return results;
    }

    @Test
    void resultsAreRecordedPerPointAndConcurrencyAndReadBackInPlanOrder() {
        recordR1Results();

        List<ResultRecord> stored = results().results("r1");
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

        assertThat(results().results("r1", "a")).isEqualTo(stored);
        assertThat(results().results("r1", "b")).isEmpty();
        assertThat(results().results("nope")).isEmpty();
        List<ResultRecord> streamed = new java.util.ArrayList<>();
        results().forEachResult("r1", streamed::add);
        assertThat(streamed).as("every result, streamed in no particular order").containsExactlyInAnyOrderElementsOf(stored);
    }

    @Test
    void recordingTheSameResultsAgainChangesNothing() {
        List<ResultRecord> results = recordR1Results();
        List<ResultRecord> before = results().results("r1");
        clock.advance(Duration.ofHours(1));

        assertThat(results().recordResults("r1", "a", results)).isZero();
        assertThat(results().results("r1")).as("recorded times too").isEqualTo(before);
    }

    @Test
    void aRecollectionReplacesTheJobsResults() {
        recordR1Results();
        clock.advance(Duration.ofHours(1));

        // The job's results are collected again: c4 now has a valid file, c8 is gone from the list.
        assertThat(results().recordResults("r1", "a", List.of(completedResult("r1", "a-c4", 4, "a", 400.0))))
                .as("one row changed, one removed").isEqualTo(2);

        List<ResultRecord> stored = results().results("r1");
        assertThat(stored).singleElement().satisfies(c4 -> {
            assertThat(c4.pointId()).isEqualTo("a-c4");
            assertThat(c4.state()).isEqualTo(ResultState.COMPLETED);
            assertThat(c4.reason()).isNull();
            assertThat(c4.metricsJson()).contains("400.0");
            assertThat(c4.recordedAt()).isEqualTo(START_MICROS.plus(Duration.ofMinutes(65)));
        });
        assertThat(results().recordResults("r1", "a", List.of())).isEqualTo(1);
        assertThat(results().results("r1")).isEmpty();
    }

    @Test
    void resultsMustBelongToTheJobTheyAreRecordedForAndNothingIsRecordedOtherwise() {
        recordR1();
        ResultRecord good = completedResult("r1", "a-c4", 4, "a", 1.0);

        assertThatThrownBy(() -> results().recordResults("r1", "a", List.of(good,
                completedResult("r1", "x-c4", 4, "a", 1.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("point x-c4 is not a point of job a in run r1");
        assertThatThrownBy(() -> results().recordResults("r1", "a", List.of(good,
                completedResult("r1", "a-c8", 8, "b", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r1/b, not r1/a");
        assertThatThrownBy(() -> results().recordResults("r1", "a", List.of(good,
                completedResult("r2", "a-c8", 8, "a", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r2/a, not r1/a");
        assertThatThrownBy(() -> results().recordResults("r1", "a", List.of(good, good)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two results for point a-c4 at concurrency 4");
        assertThatThrownBy(() -> results().recordResults("r1", "nope", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no job nope in run r1");
        assertThat(results().results("r1")).isEmpty();
    }

    @Test
    void resultsSurviveAReopenAndRecordingResultsLeavesJobsAndEventsAlone() {
        recordR1Results();
        List<ResultRecord> results = results().results("r1");
        List<JobRecord> jobs = jobs().jobs("r1");
        List<EventRecord> events = jobs().events("r1");

        ledger.close();
        ledger = open(clock);

        assertThat(results().results("r1")).isEqualTo(results);
        assertThat(jobs().jobs("r1")).isEqualTo(jobs);
        assertThat(jobs().events("r1")).isEqualTo(events);
    }

    @Test
    void largeMetricsAndAHugeReasonAreStored() {
        recordR1();
        String metrics = "{\"x\":\"" + "y".repeat(2_000_000) + "\"}";
        String huge = "z".repeat(Rows.MAX_TEXT * 2);
        results().recordResults("r1", "a", List.of(
                ResultRecord.of("r1", "a-c4", 4, "a", ResultState.COMPLETED, null, metrics, null, "f.json"),
                invalidResult("r1", "a-c8", 8, "a", huge)));

        List<ResultRecord> stored = results().results("r1");
        assertThat(stored.get(0).metricsJson()).isEqualTo(metrics);
        assertThat(stored.get(1).reason()).startsWith("zzz").endsWith(Rows.MAX_TEXT + " more characters]");
        assertThat(results().recordResults("r1", "a", List.of(
                ResultRecord.of("r1", "a-c4", 4, "a", ResultState.COMPLETED, null, metrics, null, "f.json"),
                invalidResult("r1", "a-c8", 8, "a", huge)))).as("a clamped reason compares equal").isZero();
    }
}
