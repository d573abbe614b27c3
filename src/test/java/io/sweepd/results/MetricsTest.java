package io.sweepd.results;

import io.sweepd.core.ResultFileName;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sweepd.results.TestPoints.recorded;
import static io.sweepd.results.TestPoints.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every expected number here is worked out by hand from the recorded file it names. */
class MetricsTest {

    private final BenchmarkResultParser parser = new BenchmarkResultParser();

    private BenchmarkResult result(String recordedFile) {
        return ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(recorded(recordedFile))).value();
    }

    private static Map<String, Object> derive(BenchmarkResult result, PointSpec point) {
        ResultFileName name = ResultFileName.parse(result.file()).orElseThrow();
        return Metrics.derive(result, point, GpuCount.of(point, name).orElseThrow());
    }

    private static double number(Map<String, Object> metrics, String key) {
        assertThat(metrics).containsKey(key);
        return ((Number) metrics.get(key)).doubleValue();
    }

    @Test
    void singleNodeTp8DividesByItsEightGpus() {
        // total_token_throughput 8000 tok/s, output 4000 tok/s (655360 tokens each way in 163.84 s), 8 GPUs.
        Map<String, Object> m = derive(result("single-node-tp8/results_concurrency_64_gpus_8.json"),
                spec(TestPoints.singleNode("gptoss-c64", "j1", 8, 1, false, 64, 8)));

        assertThat(number(m, "tput_per_gpu")).isEqualTo(1000.0);          // 8000 / 8
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(500.0);    // 4000 / 8
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(500.0);     // (8000 - 4000) / 8
        assertThat(m).containsEntry("hw", "h100").containsEntry("conc", 64)
                .containsEntry("image", "vllm/vllm-openai:v0.18.0").containsEntry("model", "openai/gpt-oss-120b")
                .containsEntry("infmax_model_prefix", "gptoss").containsEntry("framework", "vllm")
                .containsEntry("precision", "fp4").containsEntry("spec_decoding", "none")
                .containsEntry("disagg", false).containsEntry("isl", 1024).containsEntry("osl", 1024)
                .containsEntry("is_multinode", false).containsEntry("tp", 8).containsEntry("ep", 1)
                .containsEntry("dp_attention", "false")
                .containsEntry("num_gpu", 8).containsEntry("gpus_counted_from", "topology");
    }

    @Test
    void everyMillisecondKeyAlsoInSecondsAndEveryTpotAsInteractivity() {
        Map<String, Object> m = derive(result("single-node-tp8/results_concurrency_64_gpus_8.json"),
                spec(TestPoints.singleNode("gptoss-c64", "j1", 8, 1, false, 64, 8)));

        assertThat(number(m, "mean_ttft")).isEqualTo(0.25);               // 250.0 ms
        assertThat(number(m, "p99.9_ttft")).isEqualTo(0.455);             // 455.0 ms
        assertThat(number(m, "median_itl")).isCloseTo(0.01502, within(1e-15));
        assertThat(number(m, "mean_e2el")).isEqualTo(16.234375);          // 16234.375 ms
        assertThat(number(m, "mean_tpot")).isEqualTo(0.015625);           // 15.625 ms
        assertThat(number(m, "mean_intvty")).isEqualTo(64.0);             // 1000 / 15.625
        assertThat(number(m, "median_intvty")).isCloseTo(64.516129032, within(1e-8));   // 1000 / 15.5
        assertThat(number(m, "std_intvty")).isCloseTo(1250.0, within(1e-9));   // 1000 / 0.8: process_result does it too
        assertThat(number(m, "p90_intvty")).isEqualTo(62.5);              // 1000 / 16
        assertThat(number(m, "p99_intvty")).isEqualTo(50.0);              // 1000 / 20
        assertThat(number(m, "p99.9_intvty")).isEqualTo(40.0);            // 1000 / 25
        assertThat(m).doesNotContainKeys("mean_ttft_ms", "mean_itl_intvty", "mean_e2el_intvty");
    }

    @Test
    void theFieldNamesAreProcessResultsPlusTheGpuCountAndItsSource() {
        Map<String, Object> m = derive(result("single-node-tp8/results_concurrency_64_gpus_8.json"),
                spec(TestPoints.singleNode("gptoss-c64", "j1", 8, 1, false, 64, 8)));

        List<String> head = List.of("hw", "conc", "image", "model", "infmax_model_prefix", "framework", "precision",
                "spec_decoding", "disagg", "isl", "osl", "is_multinode", "tp", "ep", "dp_attention", "tput_per_gpu",
                "output_tput_per_gpu", "input_tput_per_gpu");
        assertThat(m.keySet()).startsWith(head.toArray(String[]::new));
        assertThat(m.keySet()).endsWith("num_gpu", "gpus_counted_from");
        // 24 latency keys in seconds + 6 tpot statistics as interactivity
        assertThat(m).hasSize(head.size() + 24 + 6 + 2);
    }

    @Test
    void dpAttentionTp8CountsItsEightGpusNotOneAttentionRank() {
        // sa-bench file: total 32000 tok/s, output 16000 tok/s (2621440 tokens each way in 163.84 s).
        Map<String, Object> m = derive(result("dp-attention/results_concurrency_256_gpus_8.json"),
                spec(TestPoints.dpAttention("dsr1-c256", "j2", 256)));

        assertThat(number(m, "tput_per_gpu")).isEqualTo(4000.0);          // 32000 / 8, not / 1
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(2000.0);   // 16000 / 8
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(2000.0);    // (32000 - 16000) / 8
        assertThat(number(m, "mean_intvty")).isEqualTo(80.0);             // 1000 / 12.5
        assertThat(number(m, "median_intvty")).isCloseTo(78.125, within(1e-9));   // 1000 / 12.8
        assertThat(number(m, "mean_ttft")).isEqualTo(0.82);
        assertThat(m).containsEntry("tp", 8).containsEntry("ep", 8).containsEntry("dp_attention", "true")
                .containsEntry("hw", "h200").containsEntry("framework", "sglang").containsEntry("num_gpu", 8)
                .doesNotContainKeys("p90_ttft", "p90_intvty", "p99.9_ttft");
    }

    @Test
    void gpusComeFromTheTopologyNotFromTp() {
        // A data-parallel layout whose tp is 1 but which occupies 8 GPUs (vLLM --data-parallel-size 8):
        // process_result would divide by TP = 1 and report 8x the real throughput per GPU.
        Map<String, Object> point = TestPoints.dpAttention("dsr1-dp8-c256", "j3", 256);
        point.put("tp", 1);
        point.put("ep", 8);
        Map<String, Object> m = derive(result("dp-attention/results_concurrency_256_gpus_8.json"), spec(point));

        assertThat(number(m, "tput_per_gpu")).isEqualTo(4000.0);          // 32000 / 8 GPUs, not 32000 / 1
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(2000.0);
        assertThat(m).containsEntry("tp", 1).containsEntry("num_gpu", 8).containsEntry("gpus_counted_from", "topology");
    }

    @Test
    void disaggregatedDividesInputByPrefillOutputByDecodeAndTotalByAll() {
        // 1 prefill worker x 16 GPUs + 1 decode worker x 16 GPUs; 8k1k at conc 1024:
        // input 41943040 tokens and output 5242880 tokens in 327.68 s -> 128000 + 16000 = 144000 tok/s.
        Map<String, Object> m = derive(
                result("disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json"),
                spec(TestPoints.disagg("dsr1-1p1d", "j4", List.of(512, 1024), 1, 1, null)));

        assertThat(number(m, "tput_per_gpu")).isEqualTo(4500.0);          // 144000 / 32
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(1000.0);   // 16000 / 16 decode GPUs
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(8000.0);    // (144000 - 16000) / 16 prefill GPUs
        assertThat(number(m, "mean_intvty")).isEqualTo(25.0);             // 1000 / 40
        assertThat(number(m, "mean_ttft")).isEqualTo(2.5);
        assertThat(m).containsEntry("is_multinode", true).containsEntry("disagg", true)
                .containsEntry("prefill_tp", 16).containsEntry("prefill_ep", 16)
                .containsEntry("prefill_dp_attention", "true").containsEntry("prefill_num_workers", 1)
                .containsEntry("decode_tp", 16).containsEntry("decode_ep", 16)
                .containsEntry("decode_dp_attention", "true").containsEntry("decode_num_workers", 1)
                .containsEntry("num_prefill_gpu", 16).containsEntry("num_decode_gpu", 16)
                .containsEntry("num_gpu", 32).containsEntry("conc", 1024).containsEntry("isl", 8192)
                .containsEntry("hw", "h100-multinode").doesNotContainKeys("tp", "ep", "dp_attention");
        assertThat(m.keySet()).containsSubsequence("is_multinode", "prefill_tp", "prefill_ep", "prefill_dp_attention",
                "prefill_num_workers", "decode_tp", "decode_ep", "decode_dp_attention", "decode_num_workers",
                "num_prefill_gpu", "num_decode_gpu", "tput_per_gpu", "output_tput_per_gpu", "input_tput_per_gpu");
    }

    @Test
    void withoutATopologyTheFileNameCountsTheGpusAndSaysSo() {
        Map<String, Object> point = TestPoints.disagg("dsr1-1p1d", "j4", List.of(1024), 1, 1, null);
        point.put("topology", null);
        PointSpec spec = spec(point);
        BenchmarkResult r = result("disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        GpuCount gpus = GpuCount.of(spec, ResultFileName.parse(r.file()).orElseThrow()).orElseThrow();
        Map<String, Object> m = Metrics.derive(r, spec, gpus);

        assertThat(gpus).isEqualTo(new GpuCount(16, 16, 32, "file-name"));
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(8000.0);
        assertThat(m).containsEntry("gpus_counted_from", "file-name");
    }

    @Test
    void multinodeWithoutDisaggUsesTheAggregatedFormulas() {
        Map<String, Object> point = TestPoints.disagg("dsr1-agg", "j5", List.of(1024), 1, 1, null);
        point.put("disagg", false);
        point.put("topology", Map.of("nodes", 4, "gpus", 32));
        BenchmarkResult r = result("disagg-1p1d/results_concurrency_1024_gpus_32_ctx_16_gen_16.json");
        Map<String, Object> m = Metrics.derive(r, spec(point), new GpuCount(0, 0, 32, GpuCount.TOPOLOGY));

        assertThat(number(m, "tput_per_gpu")).isEqualTo(4500.0);          // 144000 / 32
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(500.0);    // 16000 / 32
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(4000.0);    // 128000 / 32
        assertThat(m).containsEntry("num_prefill_gpu", 0).containsEntry("num_decode_gpu", 0);
    }

    @Test
    void theOldShapesConcurrencyFromTheFileNameIsTheConc() {
        // old vllm: 40 prompts, 40960 input + 5120 output tokens in 32 s -> 1440 tok/s total, 160 output.
        Map<String, Object> point = TestPoints.singleNode("gptoss-c4", "j6", 8, 1, false, 4, 8);
        point.put("osl", 128);
        Map<String, Object> m = derive(result("old-vllm/results_concurrency_4_gpus_8.json"), spec(point));

        assertThat(m).containsEntry("conc", 4);
        assertThat(number(m, "tput_per_gpu")).isEqualTo(180.0);           // 1440 / 8
        assertThat(number(m, "output_tput_per_gpu")).isEqualTo(20.0);     // 160 / 8
        assertThat(number(m, "input_tput_per_gpu")).isEqualTo(160.0);     // 1280 / 8
        assertThat(number(m, "mean_intvty")).isEqualTo(40.0);             // 1000 / 25
    }

    @Test
    void aZeroTpotGivesNoInteractivityRatherThanInfinity() {
        String text = TestPoints.read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replace("\"std_tpot_ms\": 0.8", "\"std_tpot_ms\": 0.0");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                "results_concurrency_64_gpus_8.json", text)).value();
        Map<String, Object> m = derive(r, spec(TestPoints.singleNode("gptoss-c64", "j1", 8, 1, false, 64, 8)));

        assertThat(m).containsEntry("std_tpot", 0.0).doesNotContainKey("std_intvty");
    }

    @Test
    void theModelFallsBackToThePointsWhenTheFileHasNoModelId() {
        String text = TestPoints.read("single-node-tp8/results_concurrency_64_gpus_8.json")
                .replace("\"model_id\": \"openai/gpt-oss-120b\",", "");
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                "results_concurrency_64_gpus_8.json", text)).value();
        Map<String, Object> point = TestPoints.singleNode("gptoss-c64", "j1", 8, 1, false, 64, 8);
        point.put("model", "/models/gpt-oss-120b");

        assertThat(derive(r, spec(point))).containsEntry("model", "/models/gpt-oss-120b");
    }
}
