package io.sweepd.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How one worker's GPUs are split, in the sizes its engine is told: the one rule for how many GPUs a worker of a
 * matrix point occupies and what parallel arguments its engine gets. Slurm's GPU request (through
 * {@link io.sweepd.preflight.TopologyCalculator}), the synthesized engine arguments
 * ({@link io.sweepd.recipes.ServerConfigs}) and the GPUs the metrics divide by (the plan's topology) all come
 * from here.
 *
 * <p><b>The matrix convention</b> ({@link #forWorker}), as InferenceMAX's launchers and srt-slurm recipes use it.
 * A worker's GPU count is its {@code tp}: the single-node launchers allocate {@code --gres=gpu:$TP} and the
 * multinode configs write a data-parallel-attention worker over 8 GPUs as {@code {tp: 8, ep: 8, dp-attn: true}}.
 * The other spelling of the same worker, vLLM's {@code {tp: 1, ep: 8, dp-attn: true}} (attention TP 1 on each of
 * 8 data-parallel ranks, as in the seed PR), is read the same way: with dp-attn the worker has max(tp, ep) GPUs.
 * Against every recipe the two snapshots name, this is the recipe's own GPUs per worker. With dp-attn every GPU
 * is one attention data-parallel rank, as the launchers do it. Per engine:
 * <ul>
 *   <li>vLLM (and engines sweepd knows only by vLLM's flag names): {@code tensor-parallel-size: G}, or with
 *       dp-attn {@code tensor-parallel-size: 1, data-parallel-size: G}; ep &gt; 1 adds
 *       {@code enable-expert-parallel: true} (vLLM then runs EP over all tp x dp ranks).</li>
 *   <li>SGLang: {@code tensor-parallel-size: G}; dp-attn adds {@code data-parallel-size: G,
 *       enable-dp-attention: true} (SGLang's DP attention splits the TP group, it adds no GPUs); ep &gt; 1 adds
 *       {@code expert-parallel-size: ep}.</li>
 *   <li>TensorRT-LLM: {@code tensor_parallel_size: G}, {@code enable_attention_dp}, and ep &gt; 1 adds
 *       {@code moe_expert_parallel_size: ep}.</li>
 * </ul>
 *
 * <p><b>The engine's product rule</b> ({@link #gpus()}), which also reads a recipe's own arguments
 * ({@link #fromEngineArgs}): vLLM occupies tp x dp x pp GPUs; SGLang tp x pp, times dp only without DP attention
 * (then dp is independent replicas); TensorRT-LLM tp x pp (its attention DP runs on the TP ranks). This rule gives
 * the recipe's own GPUs per worker for the srt-slurm recipes checked.
 *
 * @param engine           srt-slurm's backend type: vllm, sglang, trtllm (anything else reads as vLLM)
 * @param tensorParallel   the engine's tensor-parallel size
 * @param dataParallel     the engine's data-parallel size (1 when it has none)
 * @param pipelineParallel the engine's pipeline-parallel size (1 when it has none)
 * @param expertParallel   the expert-parallel size the sweep asked for (1: off)
 * @param dpAttention      data-parallel attention on
 */
public record Parallelism(String engine, int tensorParallel, int dataParallel, int pipelineParallel,
                          int expertParallel, boolean dpAttention) {

    public static final String VLLM = "vllm";
    public static final String SGLANG = "sglang";
    public static final String TRTLLM = "trtllm";

    /**
     * srt-slurm's {@code backend.type} for an InferenceMAX framework: vllm / dynamo-vllm give vllm, sglang /
     * dynamo-sglang / sglang-disagg give sglang, trt / dynamo-trt give trtllm. Any other framework (atom) is used as
     * it is, without a {@code dynamo-} prefix, so rules can still address its {@code <type>_config}; it takes
     * vLLM's flag names.
     */
    public static String engineFor(String framework) {
        String engine = framework.toLowerCase(Locale.ROOT);
        if (engine.startsWith("dynamo-")) {
            engine = engine.substring("dynamo-".length());
        }
        if (engine.endsWith("-disagg")) {
            engine = engine.substring(0, engine.length() - "-disagg".length());
        }
        return switch (engine) {
            case "trt", "trtllm", "trt-llm" -> TRTLLM;
            default -> engine;
        };
    }

    /** The GPUs one worker of the matrix's {@code tp/ep/dp-attn} occupies: the convention above. */
    public static int workerGpus(int tp, int ep, boolean dpAttn) {
        return dpAttn ? Math.max(Math.max(1, tp), ep) : Math.max(1, tp);
    }

    /** The engine sizes of a matrix worker {@code tp/ep/dp-attn} under the convention above. */
    public static Parallelism forWorker(String engine, int tp, int ep, boolean dpAttn) {
        int gpus = workerGpus(tp, ep, dpAttn);
        int expert = Math.max(1, ep);
        return switch (family(engine)) {
            case SGLANG -> new Parallelism(engine, gpus, dpAttn ? gpus : 1, 1, expert, dpAttn);
            case TRTLLM -> new Parallelism(engine, gpus, 1, 1, expert, dpAttn);
            default -> new Parallelism(engine, dpAttn ? 1 : gpus, dpAttn ? gpus : 1, 1, expert, dpAttn);
        };
    }

    /**
     * The sizes a recipe's engine arguments for one role state, or empty when they state no parallel size (the
     * engine's defaults then decide, which sweepd does not guess).
     */
    public static Optional<Parallelism> fromEngineArgs(String engine, JsonNode args) {
        if (args == null || !args.isObject()) {
            return Optional.empty();
        }
        String family = family(engine);
        Optional<Integer> tp = intArg(args, "tensor-parallel-size", "tp-size", "tp");
        Optional<Integer> dp = family.equals(TRTLLM) ? Optional.empty()
                : intArg(args, "data-parallel-size", "dp-size", "dp");
        Optional<Integer> pp = intArg(args, "pipeline-parallel-size", "pp-size", "pp");
        if (tp.isEmpty() && dp.isEmpty() && pp.isEmpty()) {
            return Optional.empty();
        }
        int ep = switch (family) {
            case SGLANG -> intArg(args, "expert-parallel-size", "ep-size", "ep").orElse(1);
            case TRTLLM -> intArg(args, "moe-expert-parallel-size").orElse(1);
            default -> boolArg(args, "enable-expert-parallel") ? Math.max(1, tp.orElse(1) * dp.orElse(1)) : 1;
        };
        boolean dpAttn = switch (family) {
            case SGLANG -> boolArg(args, "enable-dp-attention");
            case TRTLLM -> boolArg(args, "enable-attention-dp");
            default -> dp.orElse(1) > 1;
        };
        return Optional.of(new Parallelism(engine, tp.orElse(1), dp.orElse(1), pp.orElse(1), ep, dpAttn));
    }

    /** The GPUs the engine occupies by its own product rule. */
    public int gpus() {
        int ranks = switch (family(engine)) {
            case SGLANG -> dpAttention ? tensorParallel : tensorParallel * dataParallel;
            case TRTLLM -> tensorParallel; // its attention DP runs on the TP ranks
            default -> tensorParallel * dataParallel;
        };
        return ranks * pipelineParallel;
    }

    /**
     * Why no engine can run this layout, or empty: expert-parallel ranks are a division of the worker's GPUs, so
     * an ep larger than the GPUs, or one that does not divide them, cannot be what runs.
     */
    public Optional<String> problem() {
        int gpus = gpus();
        if (expertParallel > gpus || gpus % expertParallel != 0) {
            return Optional.of(String.format(Locale.ROOT, "ep %d does not divide the worker's %d GPUs%s",
                    expertParallel, gpus, dpAttention ? "" : " (tp " + tensorParallel
                            + " without dp-attn; InferenceMAX writes a DP-attention worker as tp = ep = GPUs)"));
        }
        return Optional.empty();
    }

    /** Writes the parallel arguments under the engine's own names (see the class comment) into {@code args}. */
    public void writeTo(ObjectNode args) {
        switch (family(engine)) {
            case SGLANG -> {
                args.put("tensor-parallel-size", tensorParallel);
                if (dpAttention) {
                    args.put("data-parallel-size", dataParallel);
                    args.put("enable-dp-attention", true);
                }
                if (expertParallel > 1) {
                    args.put("expert-parallel-size", expertParallel);
                }
            }
            case TRTLLM -> {
                args.put("tensor_parallel_size", tensorParallel);
                if (dpAttention) {
                    args.put("enable_attention_dp", true);
                }
                if (expertParallel > 1) {
                    args.put("moe_expert_parallel_size", expertParallel);
                }
            }
            default -> {
                args.put("tensor-parallel-size", tensorParallel);
                if (dataParallel > 1) {
                    args.put("data-parallel-size", dataParallel);
                }
                if (expertParallel > 1) {
                    args.put("enable-expert-parallel", true);
                }
            }
        }
    }

    /** {@code tp8 x dp8 = 8 GPUs}, for messages. */
    public String describe() {
        StringBuilder s = new StringBuilder("tp").append(tensorParallel);
        if (dataParallel > 1) {
            s.append(" x dp").append(dataParallel).append(family(engine).equals(SGLANG) && dpAttention
                    ? " (dp-attention, within tp)" : "");
        }
        if (pipelineParallel > 1) {
            s.append(" x pp").append(pipelineParallel);
        }
        return s.append(" = ").append(gpus()).append(" GPUs").toString();
    }

    private static String family(String engine) {
        String e = engine == null ? VLLM : engine.toLowerCase(Locale.ROOT);
        return e.equals(SGLANG) || e.equals(TRTLLM) ? e : VLLM;
    }

    /** A positive count under any of the names, in the dashed or the underscored spelling. */
    private static Optional<Integer> intArg(JsonNode args, String... names) {
        for (String name : names) {
            for (String spelling : List.of(name, name.replace('-', '_'))) {
                JsonNode v = args.get(spelling);
                if (v != null && v.isIntegralNumber() && v.intValue() > 0) {
                    return Optional.of(v.intValue());
                }
                if (v != null && v.isTextual() && v.textValue().strip().matches("[1-9]\\d{0,8}")) {
                    return Optional.of(Integer.parseInt(v.textValue().strip()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean boolArg(JsonNode args, String name) {
        for (String spelling : List.of(name, name.replace('-', '_'))) {
            JsonNode v = args.get(spelling);
            if (v != null && v.asBoolean(false)) {
                return true;
            }
        }
        return false;
    }
}
