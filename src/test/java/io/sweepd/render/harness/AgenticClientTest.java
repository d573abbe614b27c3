package io.sweepd.render.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agentic-coding client's argv, golden: InferenceMAX's build_replay_cmd (benchmarks/benchmark_lib.sh at
 * 4d69c38b) with the point's values, every flag checked against aiperf's CLI reference
 * (utils/aiperf/docs/cli-options.md) and the inferencex-agentx-mvp tutorial (utils/aiperf/docs/tutorials/agentx-mvp.md).
 */
class AgenticClientTest {

    private static final String TRACES = "/shared/agentic/cc-traces-weka-with-subagents-052726";

    @Test
    void aScenarioLengthRunReplaysTheLocalTracesAtTheConcurrencyForTheDuration() {
        AgenticClient client = new AgenticClient("openai/gpt-oss-120b", "/models/gpt-oss-120b", 28415, TRACES, 131072);

        assertThat(client.benchmark(16, 1800, 2, Path.of("/jobs/j1/results"))).containsExactly(
                "aiperf", "profile",
                "--scenario", "inferencex-agentx-mvp",
                "--url", "http://127.0.0.1:28415",
                "--endpoint", "/v1/chat/completions",
                "--endpoint-type", "chat",
                "--streaming",
                "--model", "openai/gpt-oss-120b",
                "--tokenizer", "/models/gpt-oss-120b",
                "--concurrency", "16",
                "--benchmark-duration", "1800",
                "--random-seed", "42",
                "--failed-request-threshold", "0.10",
                "--trajectory-start-min-ratio", "0.25",
                "--trajectory-start-max-ratio", "0.75",
                "--use-server-token-count",
                "--tokenizer-trust-remote-code",
                "--max-context-length", "131072",
                "--num-dataset-entries", "472",
                "--slice-duration", "1.0",
                "--output-artifact-dir", "/jobs/j1/results/aiperf_concurrency_16_gpus_2",
                "--custom-dataset-type", "weka_trace",
                "--input-file", TRACES);
    }

    @Test
    void aRunShorterThanTheScenariosMinimumOverridesItAsInferenceMaxDoes() {
        AgenticClient client = new AgenticClient("m", "/models/m", 20000, TRACES, null);

        List<String> smoke = client.benchmark(1, 300, 8, Path.of("/r"));
        List<String> minimum = client.benchmark(1, AgenticClient.SCENARIO_MIN_DURATION_SECONDS, 8, Path.of("/r"));

        assertThat(smoke).contains("--unsafe-override");
        assertThat(minimum).doesNotContain("--unsafe-override");
        assertThat(smoke).as("the engine keeps the model's own length: nothing to filter by")
                .doesNotContain("--max-context-length");
    }
}
