package io.sweepd.results;

import io.sweepd.core.ResultFileName;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * aiperf's summary (the agentic-coding client's result) read into the result record the gate and the metrics use,
 * from the recorded file in src/test/resources/results/agentic/ (see the README there for its provenance).
 */
class AiperfResultParserTest {

    private static final String RECORDED = "agentic/aiperf_concurrency_16_gpus_2/profile_export_aiperf.json";
    private static final ResultFileName DIR = new ResultFileName("aiperf_concurrency_16_gpus_2", 16, 2, null, null);

    private final AiperfResultParser parser = new AiperfResultParser();

    private static String recorded() throws IOException {
        return Files.readString(TestPoints.recorded(RECORDED));
    }

    private BenchmarkResult parse(String text) {
        ParseOutcome<BenchmarkResult> outcome = parser.parse("x/" + ResultFileName.AIPERF_SUMMARY, DIR, text);
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed<BenchmarkResult>) outcome).value();
    }

    private String invalid(String text) {
        ParseOutcome<BenchmarkResult> outcome = parser.parse("x/" + ResultFileName.AIPERF_SUMMARY, DIR, text);
        assertThat(outcome).isInstanceOf(ParseOutcome.Invalid.class);
        return ((ParseOutcome.Invalid<BenchmarkResult>) outcome).reason();
    }

    @Test
    void theRecordedSummaryGivesCountsTokensThroughputsAndLatencies() throws IOException {
        ParseOutcome<BenchmarkResult> outcome = parser.parse(TestPoints.recorded(RECORDED), DIR);
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) outcome).value();

        assertThat(r.file()).isEqualTo("aiperf_concurrency_16_gpus_2/profile_export_aiperf.json");
        assertThat(r.maxConcurrency()).isEqualTo(16);
        assertThat(r.concFromFileName()).as("input_config.loadgen.concurrency says it").isFalse();
        assertThat(r.completed()).isEqualTo(1290);
        assertThat(r.failed()).isEqualTo(4);
        assertThat(r.numPrompts()).isEqualTo(1294);
        assertThat(r.totalInputTokens()).isEqualTo(58_050_000);
        assertThat(r.totalOutputTokens()).isEqualTo(774_000);
        assertThat(r.requestThroughput()).isEqualTo(0.711749);
        assertThat(r.outputThroughput()).isEqualTo(427.049326);
        assertThat(r.totalTokenThroughput()).isEqualTo(32455.748807);
        assertThat(r.duration()).isCloseTo(1812.437, within(1e-9));
        assertThat(r.modelId()).isEqualTo("openai/gpt-oss-120b");
        assertThat(r.ttft()).isEqualTo(new Latency(2851.214, 1904.337, 2711.388, 6571.44, 14120.958, null));
        assertThat(r.e2el().meanMs()).isEqualTo(22271.906);
        assertThat(r.itl()).isEqualTo(new Latency(32.418, 29.903, 12.906, 49.117, 81.76, null));
        assertThat(r.tpot()).as("process_agentic_result.py reports tpot as itl").isEqualTo(r.itl());
        assertThat(r.other()).containsKeys("aiperf_version", "input_config", "error_summary", "metadata",
                "time_to_second_token").doesNotContainKeys("request_count", "time_to_first_token");
        assertThat(new ValidityGate().check(r).valid()).as("4 of 1294 failed").isTrue();
    }

    @Test
    void derivedMetricsCarryTheScenarioAndAiperfsSubmissionVerdict() throws IOException {
        BenchmarkResult r = parse(recorded().replace("\"submission_valid\": true",
                "\"submission_valid\": false, \"submission_invalid_reasons\": [\"unsafe_override\"]"));
        PointSpec point = PointSpec.fromJson(TestPoints.json(TestPoints.singleNode("p1", "j1", 2, 1, false, 16, 2)));

        Map<String, Object> metrics = Metrics.derive(r, point, GpuCount.of(point, DIR).orElseThrow());

        assertThat(metrics).containsEntry("scenario_type", "agentic-coding")
                .containsEntry("submission_valid", false)
                .containsEntry("submission_invalid_reasons", List.of("unsafe_override"))
                .containsEntry("conc", 16);
        assertThat((double) metrics.get("tput_per_gpu")).isCloseTo(32455.748807 / 2, within(1e-6));
        assertThat((double) metrics.get("mean_ttft")).isCloseTo(2.851214, within(1e-9));
        assertThat((double) metrics.get("mean_intvty")).isCloseTo(1000 / 32.418, within(1e-9));
    }

    @Test
    void secondsAreReadAsMillisecondsAndMissingThroughputsComeFromTheTotals() {
        BenchmarkResult r = parse("""
                {"request_count": {"unit": "requests", "avg": 10.0},
                 "total_isl": {"unit": "tokens", "avg": 5000.0}, "total_osl": {"unit": "tokens", "avg": 1000.0},
                 "benchmark_duration": {"unit": "ms", "avg": 20000.0},
                 "time_to_first_token": {"unit": "sec", "avg": 1.5, "p50": 1.25}}""");

        assertThat(r.duration()).isEqualTo(20.0);
        assertThat(r.requestThroughput()).isEqualTo(0.5);
        assertThat(r.outputThroughput()).isEqualTo(50.0);
        assertThat(r.totalTokenThroughput()).isEqualTo(300.0);
        assertThat(r.ttft().meanMs()).isEqualTo(1500.0);
        assertThat(r.ttft().medianMs()).isEqualTo(1250.0);
        assertThat(r.failed()).as("no error_request_count: nothing failed").isZero();
        assertThat(r.concFromFileName()).isTrue();
    }

    @Test
    void aRunWhereNothingCompletedReachesTheGateWhichNamesIt() {
        BenchmarkResult r = parse("""
                {"error_request_count": {"unit": "requests", "avg": 12.0},
                 "benchmark_duration": {"unit": "sec", "avg": 60.0}}""");

        assertThat(new ValidityGate().check(r).reason()).startsWith("0 completed requests (12 failed, 12 prompts)");
    }

    @Test
    void aSummaryThatCannotBeAResultIsInvalidWithTheReason() throws IOException {
        assertThat(invalid("not json")).startsWith("x/profile_export_aiperf.json: is not JSON");
        assertThat(invalid(recorded().replace("\"concurrency\": 16", "\"concurrency\": 32")))
                .endsWith("input_config.loadgen.concurrency is 32 but the directory name says concurrency 16");
        assertThat(invalid("{\"request_count\": {\"unit\": \"requests\", \"avg\": 3.0}}"))
                .endsWith("required metric 'total_isl' is missing");
        assertThat(invalid("{\"request_count\": {\"unit\": \"requests\", \"avg\": 3.0}, \"total_isl\": {\"avg\": 1},"
                + " \"total_osl\": {\"avg\": 1}, \"request_latency\": {\"unit\": \"tokens\", \"avg\": 1}}"))
                .endsWith("metric 'request_latency' has unit 'tokens', not a time unit");
    }
}
