package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds a server configuration in srt-slurm recipe shape for points that name no recipe (single-node
 * points, mostly), so workarounds, job keys and the plan treat every point the same way. It holds only what
 * the matrix says; it is not a tuned recipe.
 *
 * <pre>
 * model:     {path: &lt;model&gt;, container: &lt;image&gt;, precision: &lt;precision&gt;}
 * backend:
 *   type: vllm | sglang | trtllm
 *   &lt;role&gt;_environment: {}                       role = aggregated (single-node) or prefill + decode
 *   &lt;type&gt;_config: {&lt;role&gt;: {parallelism args, max length}}
 * benchmark: {type: sa-bench, isl, osl, concurrencies: "4x8x16"}
 * </pre>
 *
 * Parallelism, from the point's (or each worker's) tp, ep and dp-attn, under each engine's own argument
 * names. With dp-attn the worker's GPU count is taken as max(tp, ep), because master configs write a DP16/EP16
 * worker both as {tp: 16, ep: 16} and as {tp: 1, ep: 16}:
 * <ul>
 *   <li>vllm: {@code tensor-parallel-size: tp}; with dp-attn {@code tensor-parallel-size: 1} and
 *       {@code data-parallel-size: gpus} (vLLM's DP attention); ep &gt; 1 adds {@code enable-expert-parallel: true}
 *       (vLLM sizes EP itself as tp x dp); {@code max-model-len}.</li>
 *   <li>sglang: {@code tensor-parallel-size: tp}; with dp-attn {@code tensor-parallel-size: gpus},
 *       {@code data-parallel-size: gpus}, {@code enable-dp-attention: true}; ep &gt; 1 adds
 *       {@code expert-parallel-size: ep}; {@code context-length}.</li>
 *   <li>trtllm (LLM API option names): {@code tensor_parallel_size}, {@code enable_attention_dp},
 *       {@code moe_expert_parallel_size}, {@code max_seq_len}, same sizes as sglang.</li>
 * </ul>
 */
public final class ServerConfigs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ServerConfigs() {
    }

    /**
     * srt-slurm's {@code backend.type} for an InferenceMAX framework: vllm / dynamo-vllm give vllm,
     * sglang / dynamo-sglang give sglang, trt / dynamo-trt give trtllm. Any other framework is used as it is
     * (without a {@code dynamo-} prefix), so rules can still address its {@code <type>_config}.
     */
    public static String backendType(String framework) {
        String engine = framework.toLowerCase(Locale.ROOT);
        if (engine.startsWith("dynamo-")) {
            engine = engine.substring("dynamo-".length());
        }
        return switch (engine) {
            case "trt", "trtllm", "trt-llm" -> "trtllm";
            default -> engine;
        };
    }

    /** A minimal configuration for a point without a recipe; a new tree on every call. */
    public static ObjectNode synthesize(MatrixPoint point) {
        ObjectNode root = NODES.objectNode();

        ObjectNode model = root.putObject("model");
        model.put("path", point.model());
        model.put("container", point.image());
        model.put("precision", point.precision());

        String type = backendType(point.framework());
        ObjectNode backend = root.putObject("backend");
        backend.put("type", type);
        if (point.multinode()) {
            backend.putObject("prefill_environment");
            backend.putObject("decode_environment");
            ObjectNode engine = backend.putObject(type + "_config");
            engine.set("prefill", engineArgs(type, point.prefill(), point.maxModelLen()));
            engine.set("decode", engineArgs(type, point.decode(), point.maxModelLen()));
        } else {
            backend.putObject("aggregated_environment");
            WorkerSpec single = new WorkerSpec(1, orOne(point.tp()), orOne(point.ep()),
                    Boolean.TRUE.equals(point.dpAttn()), null);
            backend.putObject(type + "_config").set("aggregated", engineArgs(type, single, point.maxModelLen()));
        }

        ObjectNode benchmark = root.putObject("benchmark");
        benchmark.put("type", "sa-bench");
        benchmark.put("isl", point.isl());
        benchmark.put("osl", point.osl());
        benchmark.put("concurrencies", point.conc().stream().map(String::valueOf).collect(Collectors.joining("x")));
        return root;
    }

    private static ObjectNode engineArgs(String type, WorkerSpec worker, int maxModelLen) {
        ObjectNode args = NODES.objectNode();
        int tp = Math.max(1, worker.tp());
        int ep = Math.max(1, worker.ep());
        int gpus = Math.max(tp, ep);
        switch (type) {
            case "sglang" -> {
                args.put("tensor-parallel-size", worker.dpAttn() ? gpus : tp);
                if (worker.dpAttn()) {
                    args.put("data-parallel-size", gpus);
                    args.put("enable-dp-attention", true);
                }
                if (ep > 1) {
                    args.put("expert-parallel-size", ep);
                }
                args.put("context-length", maxModelLen);
            }
            case "trtllm" -> {
                args.put("tensor_parallel_size", worker.dpAttn() ? gpus : tp);
                if (worker.dpAttn()) {
                    args.put("enable_attention_dp", true);
                }
                if (ep > 1) {
                    args.put("moe_expert_parallel_size", ep);
                }
                args.put("max_seq_len", maxModelLen);
            }
            default -> { // vllm, and vLLM's names for engines sweepd knows nothing about
                args.put("tensor-parallel-size", worker.dpAttn() ? 1 : tp);
                if (worker.dpAttn()) {
                    args.put("data-parallel-size", gpus);
                }
                if (ep > 1) {
                    args.put("enable-expert-parallel", true);
                }
                args.put("max-model-len", maxModelLen);
            }
        }
        return args;
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }
}
