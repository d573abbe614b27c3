package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Parallelism;
import io.sweepd.enrich.ServingRole;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;

import java.util.List;
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
 *   &lt;role&gt;_environment: {}                       one per {@link ServingRole}: aggregated, or prefill + decode
 *   &lt;type&gt;_config: {&lt;role&gt;: {parallelism args, max length}}
 * benchmark: {type: sa-bench, isl, osl, concurrencies: "4x8x16"}
 * </pre>
 *
 * The parallelism arguments are {@link Parallelism}'s, the same rule that sizes the worker's GPUs, so the engine
 * runs on exactly the GPUs Slurm gives it; the max length is {@code max-model-len} (vLLM), {@code context-length}
 * (SGLang) or {@code max_seq_len} (TensorRT-LLM), left out for agentic-coding points, which have none.
 */
public final class ServerConfigs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ServerConfigs() {
    }

    /** srt-slurm's {@code backend.type} for an InferenceMAX framework ({@link Parallelism#engineFor}). */
    public static String backendType(String framework) {
        return Parallelism.engineFor(framework);
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
        List<ServingRole> roles = ServingRole.of(point);
        for (ServingRole role : roles) {
            backend.putObject(role.role() + "_environment");
        }
        ObjectNode engine = backend.putObject(type + "_config");
        for (ServingRole role : roles) {
            engine.set(role.role(), engineArgs(type, role.spec(), point.maxModelLen()));
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
        Parallelism.forWorker(type, worker.tp(), worker.ep(), worker.dpAttn()).writeTo(args);
        if (maxModelLen <= 0) {
            // Agentic-coding points have no max-model-len (the generator writes none, the workflow passes 0, and
            // each InferenceMAX agentic script picks its own: 131072 in most, 1000000 for DeepSeek-V4). Without a
            // recipe or rule the engine keeps the model's own context length; 0 would not start the server.
            return args;
        }
        switch (type) {
            case Parallelism.SGLANG -> args.put("context-length", maxModelLen);
            case Parallelism.TRTLLM -> args.put("max_seq_len", maxModelLen);
            default -> args.put("max-model-len", maxModelLen); // vllm, and vLLM's names for engines sweepd knows nothing about
        }
        return args;
    }
}
