package io.sweepd.results;

import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.sweepd.results.TestPoints.json;
import static io.sweepd.results.TestPoints.place;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The collector end to end on job directories laid out as a real job leaves them. */
class JobResultsCollectorTest {

    @TempDir
    Path outputs;

    private final JobResultsCollector collector = new JobResultsCollector();

    static JobRecord completedJob(String runId, String jobKey, Path jobDir) {
        return job(runId, jobKey, jobDir, JobState.COMPLETED);
    }

    static JobRecord job(String runId, String jobKey, Path jobDir, JobState state) {
        Instant t = Instant.parse("2025-06-01T08:00:00Z");
        return new JobRecord(runId, jobKey, "h100-local", jobDir.toString(), 600, 1800, 7200, state, "exit 0",
                "4242", "sweepd-" + jobKey, 1, null, t, t, t, t, t.plusSeconds(3600), 0, t.plusSeconds(3600), null, 0,
                null, null);
    }

    static PointRecord point(String runId, Map<String, Object> point) {
        return PointRecord.of(runId, (String) point.get("point-id"), (String) point.get("job-key"), json(point), null);
    }

    private static Map<String, Object> withEval(Map<String, Object> point) {
        point.put("run-eval", true);
        return point;
    }

    private static Map<String, ConcurrencyResult> byId(JobResults results) {
        Map<String, ConcurrencyResult> out = new java.util.LinkedHashMap<>();
        results.results().forEach(r -> out.put(r.pointId() + "@" + r.conc(), r));
        return out;
    }

    @Test
    void anAgenticJobIsReadFromAiperfsSummaryAndItsOtherArtifactsAreLeftAlone() throws IOException {
        Path dir = outputs.resolve("r1/j-agentic");
        Path results = dir.resolve("results");
        String summary = "aiperf_concurrency_16_gpus_2/profile_export_aiperf.json";
        place(results, "agentic/" + summary, summary);
        Files.writeString(results.resolve("aiperf_concurrency_16_gpus_2/server_metrics_export.json"), "{}");
        Files.writeString(results.resolve("aiperf_concurrency_16_gpus_2/inputs.json"), "{}");
        Map<String, Object> c16 = TestPoints.singleNode("agentic-c16", "j-agentic", 2, 1, false, 16, 2);
        Map<String, Object> c32 = TestPoints.singleNode("agentic-c32", "j-agentic", 2, 1, false, 32, 2);

        JobResults collected = collector.collect(completedJob("r1", "j-agentic", dir),
                List.of(point("r1", c16), point("r1", c32)));

        Map<String, ConcurrencyResult> rows = byId(collected);
        ConcurrencyResult row = rows.get("agentic-c16@16");
        assertThat(row.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(row.resultFile()).isEqualTo(summary);
        assertThat(row.metrics()).containsEntry("scenario_type", "agentic-coding").containsEntry("conc", 16)
                .containsEntry("num_gpu", 2);
        assertThat(rows.get("agentic-c32@32").reason()).isEqualTo("no result file for concurrency 32");
        assertThat(collected.notes()).as("aiperf's other files are not results, nor unknown files").isEmpty();
    }

    @Test
    void aSingleNodeJobGetsOneVerdictPerPlannedConcurrency() throws IOException {
        Path dir = outputs.resolve("r1/j-gptoss");
        Path results = dir.resolve("results");
        place(results, "old-vllm/results_concurrency_4_gpus_8.json", "results_concurrency_4_gpus_8.json");
        place(results, "single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");
        place(results, "old-vllm/results_concurrency_4_gpus_8.json", "results_concurrency_8_gpus_8.json");
        place(results, "evals/eval_gsm8k.json", "eval_gsm8k.json");
        Files.writeString(results.resolve("server-metrics.json"), "{}");
        Map<String, Object> c4 = TestPoints.singleNode("gptoss-c4", "j-gptoss", 8, 1, false, 4, 8);
        c4.put("osl", 128);
        List<PointRecord> points = List.of(
                point("r1", c4),
                point("r1", TestPoints.singleNode("gptoss-c32", "j-gptoss", 8, 1, false, 32, 8)),
                point("r1", withEval(TestPoints.singleNode("gptoss-c64", "j-gptoss", 8, 1, false, 64, 8))),
                PointRecord.of("r1", "gptoss-c128", "j-gptoss",
                        json(TestPoints.singleNode("gptoss-c128", "j-gptoss", 8, 1, false, 128, 8)), "refused: test"),
                point("r1", TestPoints.singleNode("other-c4", "j-other", 8, 1, false, 4, 8)));

        JobResults collected = collector.collect(completedJob("r1", "j-gptoss", dir), points);

        assertThat(collected.results()).extracting(r -> r.pointId() + "@" + r.conc(), ConcurrencyResult::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gptoss-c4@4", ResultState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple("gptoss-c32@32", ResultState.INVALID),
                        org.assertj.core.groups.Tuple.tuple("gptoss-c64@64", ResultState.COMPLETED));
        Map<String, ConcurrencyResult> rows = byId(collected);

        ConcurrencyResult c4Row = rows.get("gptoss-c4@4");
        assertThat(c4Row.resultFile()).isEqualTo("results_concurrency_4_gpus_8.json");
        assertThat(c4Row.metrics()).containsEntry("tput_per_gpu", 180.0).containsEntry("conc", 4)
                .containsEntry("osl", 128);
        assertThat(c4Row.eval()).isNull();

        ConcurrencyResult c32 = rows.get("gptoss-c32@32");
        assertThat(c32.reason()).isEqualTo("no result file for concurrency 32");
        assertThat(c32.metrics()).isNull();
        assertThat(c32.resultFile()).isNull();

        ConcurrencyResult c64 = rows.get("gptoss-c64@64");
        assertThat(c64.metrics()).containsEntry("tput_per_gpu", 1000.0).containsEntry("output_tput_per_gpu", 500.0)
                .containsEntry("mean_intvty", 64.0);
        assertThat(c64.eval()).containsOnlyKeys("gsm8k");
        assertThat((Map<String, Object>) c64.eval().get("gsm8k")).containsEntry("passed", true)
                .containsEntry("exact_match,strict-match", 0.9356).containsEntry("threshold", 0.85);

        assertThat(collected.completed()).isEqualTo(2);
        assertThat(collected.invalid()).isEqualTo(1);
        assertThat(collected.nothingValid()).isFalse();
        assertThat(collected.notes()).containsExactlyInAnyOrder(
                "results_concurrency_8_gpus_8.json: concurrency 8 is not planned for any point of job j-gptoss; "
                        + "ignored",
                "server-metrics.json: neither a benchmark result nor an lm-eval file; ignored");
    }

    @Test
    void aDisaggregatedJobChecksGpuCountsAgainstTheTopologyAndFindsFilesInSubdirectories() {
        Path dir = outputs.resolve("r1/j-dsr1");
        Path results = dir.resolve("results");
        String bench = "sa-bench_isl_8192_osl_1024/";
        place(results, "disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json",
                bench + "results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        place(results, "disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json",
                bench + "results_concurrency_512_gpus_16_ctx_8_gen_8.json");
        place(results, "evals/results_2025-06-01T09-12-44.512301.json",
                "lm_eval/deepseek-ai__DeepSeek-R1-0528/results_2025-06-01T09-12-44.512301.json");
        List<PointRecord> points = List.of(point("r1",
                TestPoints.disagg("dsr1-1p1d", "j-dsr1", List.of(256, 512, 1024), 1, 1, 1024)));

        JobResults collected = collector.collect(completedJob("r1", "j-dsr1", dir), points);
        Map<String, ConcurrencyResult> rows = byId(collected);

        assertThat(rows.keySet()).containsExactly("dsr1-1p1d@256", "dsr1-1p1d@512", "dsr1-1p1d@1024");
        assertThat(rows.get("dsr1-1p1d@256").reason()).isEqualTo("no result file for concurrency 256");
        assertThat(rows.get("dsr1-1p1d@512").state()).isEqualTo(ResultState.INVALID);
        assertThat(rows.get("dsr1-1p1d@512").reason()).isEqualTo("results_concurrency_512_gpus_16_ctx_8_gen_8.json "
                + "names 16 GPUs (8 prefill + 8 decode), but point dsr1-1p1d was planned on 32 GPUs "
                + "(16 prefill + 16 decode)");
        assertThat(rows.get("dsr1-1p1d@512").resultFile())
                .isEqualTo(bench + "results_concurrency_512_gpus_16_ctx_8_gen_8.json");

        ConcurrencyResult c1024 = rows.get("dsr1-1p1d@1024");
        assertThat(c1024.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(c1024.resultFile()).isEqualTo(bench + "results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        assertThat(c1024.metrics()).containsEntry("tput_per_gpu", 4500.0).containsEntry("output_tput_per_gpu", 1000.0)
                .containsEntry("input_tput_per_gpu", 8000.0).containsEntry("num_prefill_gpu", 16);
        Map<String, Object> gsm8k = (Map<String, Object>) c1024.eval().get("gsm8k");
        assertThat(gsm8k).containsEntry("passed", false)
                .containsEntry("verdict", "gsm8k strict-match 0.6217 < 0.85")
                .containsEntry("file", "results_2025-06-01T09-12-44.512301.json");
        assertThat(c1024.state()).as("a failed eval does not invalidate the benchmark")
                .isEqualTo(ResultState.COMPLETED);
        assertThat(collected.notes()).isEmpty();
    }

    /**
     * srtctl's output directory is the job directory (SRTCTL_OUTPUT_DIR): its sa-bench results and lm-eval files
     * are under logs/, and the job has no results/ of its own. src/test/resources/srtctl-output/ is such a tree.
     */
    @Test
    @SuppressWarnings("unchecked")
    void srtctlsOutputTreeInTheJobDirectoryIsCollected() throws Exception {
        Path dir = outputs.resolve("r1/j-srt");
        Path recorded = Path.of(getClass().getResource("/srtctl-output").toURI());
        try (var files = Files.walk(recorded)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = dir.resolve(recorded.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        List<PointRecord> points = List.of(point("r1",
                TestPoints.disagg("dsr1-1p1d", "j-srt", List.of(256, 512, 1024), 1, 1, 512)));

        JobResults collected = collector.collect(completedJob("r1", "j-srt", dir), points);
        Map<String, ConcurrencyResult> rows = byId(collected);

        String bench = "logs/sa-bench_isl_8192_osl_1024/";
        assertThat(rows.get("dsr1-1p1d@256").reason()).isEqualTo("no result file for concurrency 256");
        ConcurrencyResult c512 = rows.get("dsr1-1p1d@512");
        assertThat(c512.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(c512.resultFile()).isEqualTo(bench + "results_concurrency_512_gpus_32_ctx_16_gen_16.json");
        assertThat(c512.metrics()).containsEntry("tput_per_gpu", 2250.0).containsEntry("num_prefill_gpu", 16);
        assertThat((Map<String, Object>) c512.eval().get("gsm8k")).containsEntry("passed", true)
                .containsEntry("exact_match,strict-match", 0.9462);
        ConcurrencyResult c1024 = rows.get("dsr1-1p1d@1024");
        assertThat(c1024.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(c1024.resultFile()).isEqualTo(bench + "results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        assertThat(c1024.metrics()).containsEntry("tput_per_gpu", 4500.0);
        assertThat(c1024.eval()).as("the eval ran at eval-conc 512 only").isNull();
        assertThat(collected.notes()).as("srtctl's logs, lockfile and eval companions are not results").isEmpty();
    }

    @Test
    void unusableFilesMakeTheirConcurrencyInvalidWithTheFileAndTheNumbersInTheReason() throws IOException {
        Path dir = outputs.resolve("r1/j-bad");
        Path results = dir.resolve("results");
        place(results, "zero-completed/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");
        Files.writeString(results.resolve("results_concurrency_128_gpus_8.json"), "{\"completed\": 12");
        Files.writeString(results.resolve("results_concurrency_256_gpus_8.json"), "{\"max_concurrency\": 256}");
        place(results, "single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_512_gpus_4.json");
        List<PointRecord> points = List.of(
                point("r1", TestPoints.singleNode("c64", "j-bad", 8, 1, false, 64, 8)),
                point("r1", TestPoints.singleNode("c128", "j-bad", 8, 1, false, 128, 8)),
                point("r1", TestPoints.singleNode("c256", "j-bad", 8, 1, false, 256, 8)),
                point("r1", TestPoints.singleNode("c512", "j-bad", 8, 1, false, 512, 8)));

        JobResults collected = collector.collect(completedJob("r1", "j-bad", dir), points);

        assertThat(collected.results()).extracting(ConcurrencyResult::state).containsOnly(ResultState.INVALID);
        assertThat(collected.nothingValid()).isTrue();
        List<String> reasons = collected.results().stream().map(ConcurrencyResult::reason).toList();
        assertThat(reasons.get(0)).isEqualTo("results_concurrency_64_gpus_8.json: 0 completed requests (640 failed, "
                + "640 prompts); 0 output tokens (0 completed requests); 640 of 640 requests failed (100.00% > 5%)");
        assertThat(reasons.get(1)).startsWith("results_concurrency_128_gpus_8.json: is not JSON (");
        assertThat(reasons.get(2))
                .isEqualTo("results_concurrency_256_gpus_8.json: required key 'num_prompts' is missing");
        assertThat(reasons.get(3)).isEqualTo("results_concurrency_512_gpus_4.json names 4 GPUs, but point c512 was "
                + "planned on 8 GPUs");
        assertThat(collected.results()).extracting(ConcurrencyResult::metrics).containsOnlyNulls();
    }

    @Test
    void anEvalNoPointAskedForGoesOnTheHighestConcurrency() {
        Path dir = outputs.resolve("r1/j-eval");
        Path results = dir.resolve("results");
        place(results, "old-vllm/results_concurrency_4_gpus_8.json", "results_concurrency_4_gpus_8.json");
        place(results, "single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");
        place(results, "evals/eval_gsm8k.json", "eval_gsm8k.json");
        List<PointRecord> points = List.of(
                point("r1", TestPoints.singleNode("c4", "j-eval", 8, 1, false, 4, 8)),
                point("r1", TestPoints.singleNode("c64", "j-eval", 8, 1, false, 64, 8)));

        Map<String, ConcurrencyResult> rows = byId(collector.collect(completedJob("r1", "j-eval", dir), points));

        assertThat(rows.get("c4@4").eval()).isNull();
        assertThat(rows.get("c64@64").eval()).containsKey("gsm8k");
    }

    @Test
    void anUnreadableEvalFileIsListedUnderErrors() throws IOException {
        Path dir = outputs.resolve("r1/j-evalbad");
        Path results = dir.resolve("results");
        place(results, "single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");
        Files.writeString(results.resolve("eval_gsm8k.json"), "{\"config\": {}}");
        List<PointRecord> points = List.of(
                point("r1", withEval(TestPoints.singleNode("c64", "j-evalbad", 8, 1, false, 64, 8))));

        ConcurrencyResult row = collector.collect(completedJob("r1", "j-evalbad", dir), points).results().get(0);

        assertThat(row.state()).isEqualTo(ResultState.COMPLETED);
        assertThat(row.eval()).containsExactly(Map.entry("errors", List.of("eval_gsm8k.json: required key "
                + "'results' is missing or not an object (not an lm-eval results file)")));
    }

    @Test
    void aJobThatWroteNoResultsDirectoryIsInvalidAtEveryConcurrency() {
        Path dir = outputs.resolve("r1/j-empty");
        List<PointRecord> points = List.of(point("r1",
                TestPoints.disagg("dsr1", "j-empty", List.of(64, 128), 1, 1, null)));

        JobResults collected = collector.collect(completedJob("r1", "j-empty", dir), points);

        assertThat(collected.results()).extracting(ConcurrencyResult::reason).containsExactly(
                "no result file for concurrency 64 (the job wrote no results directory)",
                "no result file for concurrency 128 (the job wrote no results directory)");
        assertThat(collected.notes()).singleElement().asString().startsWith("job j-empty has no results directory");
    }

    @Test
    void onlyACompletedJobIsCollectedOrOneWhoseResultsWereRejectedBefore() {
        JobRecord failed = job("r1", "j", outputs, JobState.FAILED);

        assertThatThrownBy(() -> collector.collect(failed, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job j is FAILED: only a COMPLETED job has results to collect");
        List<PointRecord> points = List.of(point("r1", TestPoints.singleNode("c8", "j", 8, 1, false, 8, 8)));
        assertThat(collector.collect(job("r1", "j", outputs, JobState.INVALID), points).results())
                .singleElement().extracting(ConcurrencyResult::state).isEqualTo(ResultState.INVALID);
    }

    @Test
    void theRowsBecomeLedgerRecordsWithMetricsAndEvalAsJson() {
        Path dir = outputs.resolve("r1/j-gptoss");
        place(dir.resolve("results"), "single-node-tp8/results_concurrency_64_gpus_8.json",
                "results_concurrency_64_gpus_8.json");
        place(dir.resolve("results"), "evals/eval_gsm8k.json", "eval_gsm8k.json");
        List<PointRecord> points = List.of(
                point("r1", withEval(TestPoints.singleNode("c64", "j-gptoss", 8, 1, false, 64, 8))),
                point("r1", TestPoints.singleNode("c32", "j-gptoss", 8, 1, false, 32, 8)));

        JobResults collected = collector.collect(completedJob("r1", "j-gptoss", dir), points);
        List<ResultRecord> records = collected.toRecords();

        assertThat(records).extracting(ResultRecord::pointId, ResultRecord::conc, ResultRecord::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c64", 64, ResultState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple("c32", 32, ResultState.INVALID));
        ResultRecord c64 = records.get(0);
        assertThat(c64.runId()).isEqualTo("r1");
        assertThat(c64.jobKey()).isEqualTo("j-gptoss");
        assertThat(c64.metricsJson()).startsWith("{\"hw\":\"h100\",\"conc\":64,").contains("\"tput_per_gpu\":1000.0");
        assertThat(ResultJson.read(c64.metricsJson())).isEqualTo(collected.results().get(0).metrics());
        assertThat(ResultJson.read(c64.evalJson())).isEqualTo(collected.results().get(0).eval());
        assertThat(records.get(1).metricsJson()).isNull();
        assertThat(records.get(1).reason()).isEqualTo("no result file for concurrency 32");
        assertThat(collector.collect(completedJob("r1", "j-gptoss", dir), points).toRecords())
                .as("collecting twice gives the same rows").isEqualTo(records);
    }
}
