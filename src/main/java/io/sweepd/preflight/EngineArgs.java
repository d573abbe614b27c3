package io.sweepd.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a worker role's engine arguments from a server configuration in srt-slurm recipe shape:
 * {@code backend.type} names the engine (vllm, sglang, trtllm) and {@code backend.<type>_config.<role>}
 * holds the flags, spelled as on the command line ({@code gpu-memory-utilization}); recipes also use the
 * underscore spelling, so both are accepted.
 */
public final class EngineArgs {

    /**
     * The flag that caps the memory an engine takes for weights + KV cache, as a fraction of the GPU.
     * TensorRT-LLM has none: its {@code free_gpu_memory_fraction} is taken from what is left after the
     * weights, so its weights may fill the card.
     */
    private static final Map<String, List<String>> MEMORY_FRACTION = Map.of(
            "vllm", List.of("gpu-memory-utilization"),
            "sglang", List.of("mem-fraction-static"));

    private static final Map<String, List<String>> MAX_LENGTH = Map.of(
            "vllm", List.of("max-model-len"),
            "sglang", List.of("context-length"),
            "trtllm", List.of("max-seq-len"));

    /** A value and where it was found, e.g. {@code backend.vllm_config.decode.gpu-memory-utilization}. */
    public record Arg<T>(T value, String key, String path) {
    }

    private EngineArgs() {
    }

    /** {@code backend.type}, or the engine of the only {@code *_config} section when the type is not written. */
    public static Optional<String> backendType(ObjectNode serverConfig) {
        if (serverConfig == null) {
            return Optional.empty();
        }
        JsonNode backend = serverConfig.path("backend");
        if (backend.path("type").isTextual()) {
            return Optional.of(backend.path("type").textValue());
        }
        String found = null;
        for (Iterator<String> names = backend.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.endsWith("_config") && backend.get(name).isObject()) {
                if (found != null) {
                    return Optional.empty();
                }
                found = name.substring(0, name.length() - "_config".length());
            }
        }
        return Optional.ofNullable(found);
    }

    /** The role's engine flags, if the configuration has them. */
    public static Optional<ObjectNode> roleArgs(ObjectNode serverConfig, String role) {
        return backendType(serverConfig).flatMap(type -> {
            JsonNode args = serverConfig.path("backend").path(type + "_config").path(role);
            return args.isObject() ? Optional.of((ObjectNode) args) : Optional.empty();
        });
    }

    /** {@code gpu-memory-utilization} (vLLM) or {@code mem-fraction-static} (SGLang) for the role. */
    public static Optional<Arg<Double>> memoryFraction(ObjectNode serverConfig, String role) {
        return find(serverConfig, role, MEMORY_FRACTION).flatMap(found -> number(found.value())
                .map(v -> new Arg<>(v, found.key(), found.path())));
    }

    /** {@code max-model-len} (vLLM), {@code context-length} (SGLang) or {@code max-seq-len} (TRT-LLM). */
    public static Optional<Arg<Integer>> maxModelLen(ObjectNode serverConfig, String role) {
        return find(serverConfig, role, MAX_LENGTH).flatMap(found -> number(found.value())
                .filter(v -> v == Math.floor(v) && v > 0)
                .map(v -> new Arg<>((int) Math.min(v, Integer.MAX_VALUE), found.key(), found.path())));
    }

    /** Whether the configuration's engine caps weights + KV cache by a fraction of the GPU (vLLM, SGLang). */
    public static boolean capsWeights(ObjectNode serverConfig) {
        return MEMORY_FRACTION.containsKey(backendType(serverConfig).orElse("vllm"));
    }

    /** The name of the memory-fraction flag for this configuration's engine (for messages). */
    public static String memoryFractionFlag(ObjectNode serverConfig) {
        String type = backendType(serverConfig).orElse("vllm");
        return MEMORY_FRACTION.getOrDefault(type, List.of("gpu-memory-utilization")).get(0);
    }

    private static Optional<Arg<JsonNode>> find(ObjectNode serverConfig, String role, Map<String, List<String>> keys) {
        Optional<String> type = backendType(serverConfig);
        Optional<ObjectNode> args = roleArgs(serverConfig, role);
        if (type.isEmpty() || args.isEmpty()) {
            return Optional.empty();
        }
        for (String key : keys.getOrDefault(type.get(), List.of())) {
            for (String spelling : List.of(key, key.replace('-', '_'))) {
                JsonNode value = args.get().get(spelling);
                if (value != null && !value.isNull()) {
                    return Optional.of(new Arg<>(value, spelling,
                            "backend." + type.get() + "_config." + role + "." + spelling));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> number(JsonNode value) {
        if (value.isNumber()) {
            return Optional.of(value.doubleValue());
        }
        if (value.isTextual()) {
            try {
                return Optional.of(Double.parseDouble(value.textValue().strip()));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
