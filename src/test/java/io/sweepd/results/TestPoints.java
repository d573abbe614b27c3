package io.sweepd.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Point JSON as io.sweepd.plan.PlanJson writes it into the ledger (InferenceMAX matrix fields, then point-id,
 * config-key, job-key, profile, topology, recipe, workarounds, refused, server-config), and the recorded result
 * files under src/test/resources/results/.
 */
final class TestPoints {

    private TestPoints() {
    }

    /** gpt-oss-120b on H100, single-node, one concurrency: topology = one worker of {@code gpus} GPUs. */
    static Map<String, Object> singleNode(String pointId, String jobKey, int tp, int ep, boolean dpAttn, int conc,
                                          int gpus) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("image", "vllm/vllm-openai:v0.18.0");
        p.put("model", "openai/gpt-oss-120b");
        p.put("model-prefix", "gptoss");
        p.put("precision", "fp4");
        p.put("framework", "vllm");
        p.put("runner", "h100");
        p.put("isl", 1024);
        p.put("osl", 1024);
        p.put("tp", tp);
        p.put("conc", conc);
        p.put("max-model-len", 2304);
        p.put("ep", ep);
        p.put("dp-attn", dpAttn);
        p.put("spec-decoding", "none");
        p.put("exp-name", "gptoss_1k1k");
        p.put("disagg", false);
        p.put("run-eval", false);
        p.put("point-id", pointId);
        p.put("config-key", "gptoss-fp4-h100-vllm");
        p.put("job-key", jobKey);
        p.put("profile", "h100-local");
        p.put("topology", Map.of("nodes", 1, "gpus", gpus));
        p.put("recipe", null);
        p.put("workarounds", List.of());
        p.put("refused", null);
        p.put("server-config", Map.of("backend", Map.of("type", "vllm")));
        return p;
    }

    /** DeepSeek-R1 FP8 on H200 with DP attention (tp 8, ep 8, dp-attn), as InferenceMAX plans it. */
    static Map<String, Object> dpAttention(String pointId, String jobKey, int conc) {
        Map<String, Object> p = singleNode(pointId, jobKey, 8, 8, true, conc, 8);
        p.put("image", "lmsysorg/sglang:v0.5.5-cu129");
        p.put("model", "deepseek-ai/DeepSeek-R1-0528");
        p.put("model-prefix", "dsr1");
        p.put("precision", "fp8");
        p.put("framework", "sglang");
        p.put("runner", "h200");
        p.put("max-model-len", 2304);
        p.put("exp-name", "dsr1_1k1k");
        p.put("config-key", "dsr1-fp8-h200-sglang");
        p.put("profile", "h200-local");
        return p;
    }

    /**
     * DeepSeek-R1 FP8 on H100, disaggregated multinode: prefill and decode each {@code workers} x tp16 ep16 dpa
     * workers of 16 GPUs, 8k1k, a concurrency list.
     */
    static Map<String, Object> disagg(String pointId, String jobKey, List<Integer> conc, int prefillWorkers,
                                      int decodeWorkers, Integer evalConc) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("image", "nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.6.1");
        p.put("model", "deepseek-ai/DeepSeek-R1-0528");
        p.put("model-prefix", "dsr1");
        p.put("precision", "fp8");
        p.put("framework", "dynamo-sglang");
        p.put("runner", "h100-multinode");
        p.put("isl", 8192);
        p.put("osl", 1024);
        p.put("spec-decoding", "none");
        p.put("prefill", worker(prefillWorkers, 16, 16, true));
        p.put("decode", worker(decodeWorkers, 16, 16, true));
        p.put("conc", conc);
        p.put("max-model-len", 9472);
        p.put("exp-name", "dsr1_8k1k");
        p.put("disagg", true);
        p.put("run-eval", evalConc != null);
        if (evalConc != null) {
            p.put("eval-conc", evalConc);
        }
        p.put("point-id", pointId);
        p.put("config-key", "dsr1-fp8-h100-dynamo-sglang");
        p.put("job-key", jobKey);
        p.put("profile", "h100-multinode");
        Map<String, Object> topology = new LinkedHashMap<>();
        topology.put("nodes", (prefillWorkers + decodeWorkers) * 2);
        topology.put("gpus", (prefillWorkers + decodeWorkers) * 16);
        topology.put("prefill-workers", prefillWorkers);
        topology.put("prefill-gpus", prefillWorkers * 16);
        topology.put("decode-workers", decodeWorkers);
        topology.put("decode-gpus", decodeWorkers * 16);
        p.put("topology", topology);
        p.put("recipe", "recipes/dsr1/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml");
        p.put("workarounds", List.of(Map.of("id", "dsr1-h100-nvshmem-ipc",
                "changes", List.of("set env NVSHMEM_DISABLE_CUDA_VMM=1"))));
        p.put("refused", null);
        p.put("server-config", Map.of("backend", Map.of("type", "sglang")));
        return p;
    }

    private static Map<String, Object> worker(int workers, int tp, int ep, boolean dpAttn) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("num-worker", workers);
        w.put("tp", tp);
        w.put("ep", ep);
        w.put("dp-attn", dpAttn);
        return w;
    }

    static String json(Map<String, Object> point) {
        try {
            return Json.MAPPER.writeValueAsString(point);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static PointSpec spec(Map<String, Object> point) {
        return PointSpec.fromJson(json(point));
    }

    /** A recorded result file, e.g. {@code recorded("single-node-tp8/results_concurrency_64_gpus_8.json")}. */
    static Path recorded(String relative) {
        try {
            Path file = Path.of(TestPoints.class.getResource("/results/" + relative).toURI());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("no recorded file " + relative);
            }
            return file;
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no recorded file " + relative, e);
        }
    }

    static String read(String relative) {
        try {
            return Files.readString(recorded(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a recorded file into a job's results directory under the given relative name. */
    static void place(Path resultsDir, String recorded, String as) {
        try {
            Path target = resultsDir.resolve(as);
            Files.createDirectories(target.getParent());
            Files.copy(recorded(recorded), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
