package io.sweepd.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an agentic-coding point's {@code offloading} asks of its server: the engine arguments and environment that
 * move KV-cache blocks to host memory, as InferenceMAX's {@code benchmarks/single_node/agentic/*.sh} set them (each
 * script's {@code case "$OFFLOADING"}). The forms here are the ones most of those scripts share; per-model tuning
 * they add on top (lazy offload through {@code --kv-transfer-config}, HiCache page sizes and I/O backends, keeping
 * vLLM's hybrid KV manager) belongs in the recipe or a workaround rule, whose arguments win ({@link #applyTo}).
 *
 * <ul>
 *   <li>{@code none}: nothing (the engine's own prefix cache stays on: agentic replay relies on it).</li>
 *   <li>{@code cpu}, vLLM: {@code --kv-offloading-backend native --kv-offloading-size <GB>
 *       --disable-hybrid-kv-cache-manager} with {@code VLLM_USE_SIMPLE_KV_OFFLOAD=1} (gptoss, minimaxm2.5 and
 *       kimik2.5 on H100/H200/B200/B300, 15 of the 23 cpu scripts). The size is the profile's pool; with DP attention
 *       every GPU runs its own engine, each of which allocates the whole size, so it is divided by the worker's GPUs
 *       (dsv4_fp4_b200_vllm.sh, dsv4_fp4_b300_vllm.sh).</li>
 *   <li>{@code hicache}, SGLang: {@code --enable-hierarchical-cache --hicache-size <GB per rank>
 *       --hicache-write-policy write_through_selective}; SGLang's size is per TP rank, so the pool is divided by the
 *       worker's GPUs (glm5.1_*.sh, qwen3.5_*.sh).</li>
 *   <li>{@code lmcache}, {@code lmcache-mp}: InferenceMAX starts an {@code lmcache server} process beside the engine
 *       and points vLLM's LMCacheMPConnector at it; the single-node harness runs one server process, so these are
 *       refused. {@code ssd}: no InferenceMAX script implements it. Any other engine: none of the scripts offloads.</li>
 * </ul>
 *
 * @param engineArgs  engine arguments, in recipe spelling (flag names without dashes)
 * @param environment environment variables for the server
 */
public record KvOffload(Map<String, Object> engineArgs, Map<String, String> environment) {

    public static final String NONE = "none";

    /** The offloading values the single-node harness can apply, by engine. */
    private static final Map<String, List<String>> SUPPORTED = Map.of(
            Parallelism.VLLM, List.of(NONE, "cpu"),
            Parallelism.SGLANG, List.of(NONE, "hicache"));

    /** Engine arguments that already say how the recipe offloads: with any of them, sweepd adds nothing. */
    private static final List<String> RECIPE_OFFLOAD_ARGS = List.of("kv-offloading-backend", "kv-offloading-size",
            "kv-transfer-config", "enable-hierarchical-cache", "hicache-size");

    public KvOffload {
        engineArgs = Map.copyOf(engineArgs);
        environment = Map.copyOf(environment);
    }

    /** Why {@code offloading} cannot run on this engine under the single-node harness, or empty when it can. */
    public static Optional<String> refusal(String engine, String offloading) {
        String mode = offloading == null ? NONE : offloading;
        List<String> supported = SUPPORTED.getOrDefault(engine, List.of(NONE));
        if (supported.contains(mode)) {
            return Optional.empty();
        }
        String why = switch (mode) {
            case "lmcache", "lmcache-mp" -> "InferenceMAX runs an lmcache server process beside the engine for it,"
                    + " and the single-node launcher runs the server alone";
            case "ssd" -> "no InferenceMAX launcher implements it";
            default -> "InferenceMAX's " + engine + " launchers do not offer it";
        };
        return Optional.of("offloading '" + mode + "' cannot run on " + engine + " with the single-node launcher ("
                + why + "); it takes " + String.join(" or ", supported));
    }

    /**
     * @param poolGb    host memory the job's offload pool may take (the profile's {@code launcher.agentic.kv-offload-gb})
     * @param workerGpus the GPUs of the one aggregated worker ({@link Parallelism#workerGpus})
     * @throws IllegalArgumentException when {@link #refusal} refuses the combination
     */
    public static KvOffload of(String engine, String offloading, int poolGb, int workerGpus, boolean dpAttn) {
        refusal(engine, offloading).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        String mode = offloading == null ? NONE : offloading;
        int gpus = Math.max(1, workerGpus);
        return switch (mode) {
            case "cpu" -> new KvOffload(Map.of(
                    "kv-offloading-backend", "native",
                    "kv-offloading-size", dpAttn ? Math.max(1, poolGb / gpus) : poolGb,
                    "disable-hybrid-kv-cache-manager", true),
                    Map.of("VLLM_USE_SIMPLE_KV_OFFLOAD", "1"));
            case "hicache" -> new KvOffload(Map.of(
                    "enable-hierarchical-cache", true,
                    "hicache-size", Math.max(1, poolGb / gpus),
                    "hicache-write-policy", "write_through_selective"),
                    Map.of());
            default -> new KvOffload(Map.of(), Map.of());
        };
    }

    public boolean isEmpty() {
        return engineArgs.isEmpty() && environment.isEmpty();
    }

    /**
     * The engine arguments with these added, as a new tree; unchanged when the recipe already offloads (one of
     * {@link #RECIPE_OFFLOAD_ARGS}, in either spelling): its tuned form wins over the common one.
     */
    public ObjectNode applyTo(JsonNode recipeArgs) {
        ObjectNode args = recipeArgs instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (recipeOffloads(args)) {
            return args;
        }
        engineArgs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (e.getValue() instanceof Boolean b) {
                args.put(e.getKey(), b);
            } else if (e.getValue() instanceof Integer i) {
                args.put(e.getKey(), i);
            } else {
                args.put(e.getKey(), String.valueOf(e.getValue()));
            }
        });
        return args;
    }

    /** Whether the recipe's own arguments already configure offloading. */
    public static boolean recipeOffloads(JsonNode recipeArgs) {
        if (!(recipeArgs instanceof ObjectNode args)) {
            return false;
        }
        return RECIPE_OFFLOAD_ARGS.stream().anyMatch(name -> args.has(name) || args.has(name.replace('-', '_')));
    }
}
