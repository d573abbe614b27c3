package io.sweepd.render.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Parallelism;
import io.sweepd.json.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The argv that starts a job's server, from the engine arguments of its (patched) server configuration:
 *
 * <pre>
 * vllm     vllm serve &lt;model&gt; --host 127.0.0.1 --port P --served-model-name &lt;hf id&gt; --&lt;arg&gt; ...
 * sglang   python3 -m sglang.launch_server --model-path &lt;model&gt; --host 127.0.0.1 --port P
 *          --served-model-name &lt;hf id&gt; --&lt;arg&gt; ...
 * trtllm   trtllm-serve &lt;model&gt; --host 127.0.0.1 --port P --backend pytorch [--tp_size ...]
 *          --extra_llm_api_options &lt;yaml&gt;
 * </pre>
 *
 * vLLM and SGLang take every argument as a flag: {@code true} is the bare flag and {@code false} leaves it out
 * (as vLLM's own {@code --config} file loader does: their boolean flags have no negative spelling in common),
 * lists are one word per element, objects are compact JSON ({@code --speculative-config '{...}'}), and
 * underscores in names become dashes. TensorRT-LLM takes the few settings trtllm-serve has flags for as flags
 * (as InferenceMAX's scripts pass them) and everything else in the {@code --extra_llm_api_options} YAML, the
 * LLM API's own field names.
 */
public final class ServerCommand {

    /** The server listens on loopback only: every client runs in the same allocation, on the same node. */
    public static final String HOST = "127.0.0.1";

    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** Names sweepd sets itself: a recipe that sets them would start a server the clients cannot reach. */
    private static final Set<String> RESERVED = Set.of("host", "port", "model", "model-path", "served-model-name");

    /**
     * trtllm-serve's flags for LLM API fields, by the field's name; {@code custom_tokenizer} is a flag of
     * trtllm-serve's own (InferenceMAX's DeepSeek-V4 scripts pass it), not an LLM API field.
     */
    private static final Map<String, String> TRTLLM_FLAGS = Map.of(
            "tensor_parallel_size", "--tp_size",
            "pipeline_parallel_size", "--pp_size",
            "moe_expert_parallel_size", "--ep_size",
            "max_seq_len", "--max_seq_len",
            "max_batch_size", "--max_batch_size",
            "max_num_tokens", "--max_num_tokens",
            "custom_tokenizer", "--custom_tokenizer");

    private ServerCommand() {
    }

    /**
     * @param servedName   the model name clients must ask for: the Hugging Face id where the server can be told
     *                     a name, else what it loaded (trtllm-serve serves the model under its argument)
     * @param extraOptions the TensorRT-LLM YAML, when the engine needs one
     */
    public record Launch(List<String> argv, String servedName, Optional<String> extraOptions) {

        public Launch {
            argv = List.copyOf(argv);
        }
    }

    /**
     * @param engine           srt-slurm's backend type ({@link Parallelism#VLLM}, SGLANG or TRTLLM)
     * @param engineArgs       the aggregated role's engine arguments (may be null: the engine's defaults)
     * @param extraOptionsFile where the TensorRT-LLM YAML will be written (the argv names it)
     */
    public static Launch of(String engine, JsonNode engineArgs, ModelLocation model, int port, Path extraOptionsFile) {
        ObjectNode args = engineArgs instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        List<String> argv = new ArrayList<>();
        switch (engine) {
            case Parallelism.VLLM -> {
                argv.addAll(List.of("vllm", "serve", model.path()));
                argv.addAll(common(port, model));
                argv.addAll(flags(args, "vllm"));
                return new Launch(argv, model.servedName(), Optional.empty());
            }
            case Parallelism.SGLANG -> {
                argv.addAll(List.of("python3", "-m", "sglang.launch_server", "--model-path", model.path()));
                argv.addAll(common(port, model));
                argv.addAll(flags(args, "sglang"));
                return new Launch(argv, model.servedName(), Optional.empty());
            }
            case Parallelism.TRTLLM -> {
                argv.addAll(List.of("trtllm-serve", model.path(), "--host", HOST, "--port", Integer.toString(port),
                        "--backend", "pytorch"));
                ObjectNode yaml = Json.MAPPER.createObjectNode();
                args.properties().forEach(e -> {
                    String field = checkedName(e.getKey(), "trtllm").replace('-', '_');
                    String flag = TRTLLM_FLAGS.get(field);
                    if (flag != null && e.getValue().isValueNode() && !e.getValue().isNull()) {
                        argv.addAll(List.of(flag, e.getValue().asText()));
                    } else if (!e.getValue().isNull()) {
                        yaml.set(field, e.getValue());
                    }
                });
                if (yaml.isEmpty()) {
                    return new Launch(argv, model.path(), Optional.empty());
                }
                argv.addAll(List.of("--extra_llm_api_options", extraOptionsFile.toString()));
                try {
                    return new Launch(argv, model.path(), Optional.of(Json.YAML.writeValueAsString(yaml)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write the TensorRT-LLM options as YAML", e);
                }
            }
            default -> throw new IllegalArgumentException("the single-node launcher starts vllm, sglang or trtllm"
                    + " servers; this job's engine is '" + engine + "'");
        }
    }

    private static List<String> common(int port, ModelLocation model) {
        return List.of("--host", HOST, "--port", Integer.toString(port), "--served-model-name", model.servedName());
    }

    private static List<String> flags(ObjectNode args, String engine) {
        List<String> out = new ArrayList<>();
        args.properties().forEach(e -> {
            String name = checkedName(e.getKey(), engine).replace('_', '-');
            JsonNode value = e.getValue();
            String flag = "--" + name;
            if (value.isNull() || value.isBoolean() && !value.booleanValue()) {
                return;
            }
            if (value.isBoolean()) {
                out.add(flag);
            } else if (value.isArray()) {
                out.add(flag);
                value.forEach(element -> out.add(element.isValueNode() ? element.asText() : compact(element)));
            } else if (value.isObject()) {
                out.addAll(List.of(flag, compact(value)));
            } else {
                out.addAll(List.of(flag, value.asText()));
            }
        });
        return out;
    }

    private static String checkedName(String name, String engine) {
        if (!ARG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(engine + " engine argument '" + name + "' is not an argument name"
                    + " (letters, digits, '-', '_' or '.', without leading dashes)");
        }
        if (RESERVED.contains(name.replace('_', '-'))) {
            throw new IllegalArgumentException(engine + " engine argument '" + name + "' is set by sweepd's"
                    + " single-node launcher (the clients must reach the server on its port under its model name);"
                    + " remove it from the recipe");
        }
        return name;
    }

    private static String compact(JsonNode value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an engine argument as JSON", e);
        }
    }
}
