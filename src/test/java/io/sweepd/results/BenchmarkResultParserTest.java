package io.sweepd.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.sweepd.results.TestPoints.read;
import static io.sweepd.results.TestPoints.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchmarkResultParserTest {

    private final BenchmarkResultParser parser = new BenchmarkResultParser();

    private BenchmarkResult parsed(String recordedFile) {
        ParseOutcome<BenchmarkResult> outcome = parser.parse(recorded(recordedFile));
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed<BenchmarkResult>) outcome).value();
    }

    private String invalidReason(String fileName, String text) {
        ParseOutcome<BenchmarkResult> outcome = parser.parse(fileName, text);
        assertThat(outcome).isInstanceOf(ParseOutcome.Invalid.class);
        return ((ParseOutcome.Invalid<BenchmarkResult>) outcome).reason();
    }

    @Test
    void readsTheNewVllmBenchServeShape() {
        BenchmarkResult r = parsed("single-node-tp8/results_concurrency_64_gpus_8.json");

        assertThat(r.file()).isEqualTo("results_concurrency_64_gpus_8.json");
        assertThat(r.maxConcurrency()).isEqualTo(64);
        assertThat(r.concFromFileName()).isFalse();
        assertThat(r.numPrompts()).isEqualTo(640);
        assertThat(r.completed()).isEqualTo(640);
        assertThat(r.failed()).isZero();
        assertThat(r.failedRequests()).isZero();
        assertThat(r.totalInputTokens()).isEqualTo(655_360L);
        assertThat(r.totalOutputTokens()).isEqualTo(655_360L);
        assertThat(r.requestThroughput()).isEqualTo(3.90625);
        assertThat(r.outputThroughput()).isEqualTo(4000.0);
        assertThat(r.totalTokenThroughput()).isEqualTo(8000.0);
        assertThat(r.modelId()).isEqualTo("openai/gpt-oss-120b");
        assertThat(r.duration()).isEqualTo(163.84);
        assertThat(r.ttft()).isEqualTo(new Latency(250.0, 231.5, 48.2, 310.4, 402.75, 455.0));
        assertThat(r.tpot()).isEqualTo(new Latency(15.625, 15.5, 0.8, 16.0, 20.0, 25.0));
        assertThat(r.itl().p999Ms()).isEqualTo(58.6);
        assertThat(r.e2el().meanMs()).isEqualTo(16234.375);
    }

    @Test
    void unknownKeysAreKeptAsTheFileHasThem() {
        BenchmarkResult newShape = parsed("single-node-tp8/results_concurrency_64_gpus_8.json");
        assertThat(newShape.other()).containsEntry("max_output_tokens_per_s", 4352.0)
                .containsEntry("max_concurrent_requests", 64)
                .containsEntry("request_rate", "inf")
                .containsEntry("endpoint_type", "vllm")
                .containsEntry("label", null)
                .doesNotContainKeys("completed", "request_goodput", "mean_ttft_ms", "model_id");

        BenchmarkResult saBench = parsed("disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        assertThat(saBench.other()).containsEntry("benchmark_start_time_unix", 1748830336.12)
                .containsEntry("backend", "dynamo");

        BenchmarkResult old = parsed("old-vllm/results_concurrency_4_gpus_8.json");
        assertThat(old.other()).containsKeys("input_lens", "output_lens", "ttfts", "itls", "generated_texts", "errors",
                "best_of");
        assertThat((List<?>) old.other().get("itls")).hasSize(40);
    }

    @Test
    void goodputIsReadWithAndWithoutTheColon() {
        assertThat(parsed("single-node-tp8/results_concurrency_64_gpus_8.json").requestGoodput())
                .as("vllm bench serve: request_goodput").isEqualTo(3.75);
        assertThat(parsed("dp-attention/results_concurrency_256_gpus_8.json").requestGoodput())
                .as("sa-bench: request_goodput: (with the colon)").isEqualTo(15.2);
        assertThat(parsed("old-vllm/results_concurrency_4_gpus_8.json").requestGoodput())
                .as("no SLO given: the tools write null").isNull();
        assertThat(parsed("dp-attention/results_concurrency_256_gpus_8.json").other())
                .as("a spelling of a typed key is not an unknown key").doesNotContainKey("request_goodput:");
    }

    @Test
    void theOldShapeTakesTheConcurrencyFromTheFileNameAndImpliesFailures() {
        BenchmarkResult r = parsed("old-vllm/results_concurrency_4_gpus_8.json");

        assertThat(r.maxConcurrency()).isEqualTo(4);
        assertThat(r.concFromFileName()).isTrue();
        assertThat(r.failed()).as("old shapes have no 'failed'").isNull();
        assertThat(r.failedRequests()).as("num_prompts - completed").isZero();
        assertThat(r.tpot()).as("no p90 / p99.9 in old files")
                .isEqualTo(new Latency(25.0, 24.9, 0.6, null, 26.7, null));
    }

    @Test
    void missingOptionalKeysAreNull() {
        String minimal = """
                {"max_concurrency": 8, "num_prompts": 80, "completed": 78, "total_input_tokens": 79872,
                 "total_output_tokens": 79872, "request_throughput": 0.5, "output_throughput": 512.0,
                 "total_token_throughput": 1024.0}""";
        ParseOutcome<BenchmarkResult> outcome = parser.parse("results_concurrency_8_gpus_1.json", minimal);
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) outcome).value();

        assertThat(r.failed()).isNull();
        assertThat(r.failedRequests()).isEqualTo(2);
        assertThat(r.requestGoodput()).isNull();
        assertThat(r.modelId()).isNull();
        assertThat(r.duration()).isNull();
        assertThat(r.ttft()).isEqualTo(new Latency(null, null, null, null, null, null));
        assertThat(r.other()).isEmpty();
        assertThat(r.millisecondValues()).isEmpty();
    }

    @Test
    void nanStatisticsOfARunWhereNothingCompletedReadAsNoValue() {
        BenchmarkResult r = parsed("zero-completed/results_concurrency_64_gpus_8.json");

        assertThat(r.completed()).isZero();
        assertThat(r.failed()).isEqualTo(640);
        assertThat(r.ttft().meanMs()).isNull();
        assertThat(r.millisecondValues()).isEmpty();
    }

    @Test
    void millisecondValuesIncludeUnknownMsKeys() {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replace("\"mean_ttft_ms\"", "\"p95_ttft_ms\": 350.5, \"mean_ttft_ms\"");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                "results_concurrency_64_gpus_8.json", text)).value();

        assertThat(r.other()).containsEntry("p95_ttft_ms", 350.5);
        assertThat(r.millisecondValues()).containsEntry("p95_ttft_ms", 350.5).containsEntry("mean_ttft_ms", 250.0)
                .containsEntry("p99.9_e2el_ms", 25980.0).hasSize(25);
    }

    @Test
    void notJsonIsInvalidAndNamesTheFile() {
        assertThat(invalidReason("results_concurrency_64_gpus_8.json", "{\"completed\": 640, \"num_pro"))
                .startsWith("results_concurrency_64_gpus_8.json: is not JSON (");
        assertThat(invalidReason("results_concurrency_64_gpus_8.json", ""))
                .isEqualTo("results_concurrency_64_gpus_8.json: is not a JSON object");
        assertThat(invalidReason("results_concurrency_64_gpus_8.json", "[1, 2]"))
                .isEqualTo("results_concurrency_64_gpus_8.json: is not a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"num_prompts", "completed", "total_input_tokens", "total_output_tokens",
            "request_throughput", "output_throughput", "total_token_throughput"})
    void aMissingRequiredKeyIsInvalidAndNamedWithTheFile(String key) {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replaceFirst("\"" + key + "\": [0-9.]+,", "");
        assertThat(text).doesNotContain("\"" + key + "\"");

        assertThat(invalidReason("results_concurrency_64_gpus_8.json", text))
                .isEqualTo("results_concurrency_64_gpus_8.json: required key '" + key + "' is missing");
    }

    @Test
    void maxConcurrencyIsRequiredWhenTheFileNameCannotGiveIt() {
        String old = read("old-vllm/results_concurrency_4_gpus_8.json");

        assertThat(invalidReason("bench-output.json", old)).isEqualTo("bench-output.json: required key "
                + "'max_concurrency' is missing, and the file name gives no concurrency");
    }

    @Test
    void aFileWhoseContentsContradictItsNameIsInvalid() {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json");

        assertThat(invalidReason("results_concurrency_32_gpus_8.json", text)).isEqualTo(
                "results_concurrency_32_gpus_8.json: key 'max_concurrency' is 64 "
                        + "but the file name says concurrency 32");
    }

    @Test
    void aNullMaxConcurrencyFallsBackToTheFileName() {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replace("\"max_concurrency\": 64", "\"max_concurrency\": null");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                "results_concurrency_64_gpus_8.json", text)).value();

        assertThat(r.maxConcurrency()).isEqualTo(64);
        assertThat(r.concFromFileName()).isTrue();
    }

    @Test
    void wrongTypesAreInvalidAndNamed() {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json");

        assertThat(invalidReason("r.json", text.replace("\"completed\": 640", "\"completed\": \"640\"")))
                .isEqualTo("r.json: key 'completed' is not a whole number: \"640\"");
        assertThat(invalidReason("r.json", text.replace("\"completed\": 640", "\"completed\": 639.5")))
                .isEqualTo("r.json: key 'completed' is not a whole number: 639.5");
        assertThat(invalidReason("r.json", text.replace("\"completed\": 640", "\"completed\": null")))
                .isEqualTo("r.json: required key 'completed' is null");
        assertThat(invalidReason("r.json", text.replace("\"failed\": 0", "\"failed\": \"none\"")))
                .isEqualTo("r.json: key 'failed' is not a whole number: \"none\"");
        assertThat(invalidReason("r.json", text.replace("\"output_throughput\": 4000.0", "\"output_throughput\": NaN")))
                .isEqualTo("r.json: required key 'output_throughput' is not a finite number");
        assertThat(invalidReason("r.json", text.replace("\"mean_ttft_ms\": 250.0", "\"mean_ttft_ms\": \"fast\"")))
                .isEqualTo("r.json: key 'mean_ttft_ms' is not a number: \"fast\"");
    }

    @Test
    void wholeNumbersWrittenAsFloatsAreAccepted() {
        String text = read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replace("\"completed\": 640", "\"completed\": 640.0");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse("r.json", text)).value();

        assertThat(r.completed()).isEqualTo(640);
    }

    @Test
    void anUnreadableFileIsInvalid(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results_concurrency_64_gpus_8.json");
        Files.write(file, new byte[] {'{', (byte) 0xC3});   // cut off inside a UTF-8 character

        ParseOutcome<BenchmarkResult> outcome = parser.parse(file);
        assertThat(((ParseOutcome.Invalid<BenchmarkResult>) outcome).reason())
                .startsWith("results_concurrency_64_gpus_8.json: cannot be read: ");
        assertThat(((ParseOutcome.Invalid<BenchmarkResult>) parser.parse(dir.resolve("absent.json"))).reason())
                .startsWith("absent.json: cannot be read: ");
    }

    @Test
    void failedRequestsNeverGoNegative() {
        String text = read("old-vllm/results_concurrency_4_gpus_8.json")
                .replace("\"num_prompts\": 40", "\"num_prompts\": 30");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                "results_concurrency_4_gpus_8.json", text)).value();

        assertThat(r.failedRequests()).isZero();
        assertThat(r.requestThroughput()).isCloseTo(1.25, within(1e-12));
    }
}
