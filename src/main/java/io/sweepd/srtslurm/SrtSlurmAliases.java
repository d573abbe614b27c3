package io.sweepd.srtslurm;

import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model and container aliases of one job, as srtctl resolves them from {@code srtslurm.yaml}
 * ({@code model_paths}, {@code containers}; core/config.py resolve_config_with_defaults). InferenceMAX's launch
 * scripts write the same two maps: the model prefix to the cluster's weights, and the image to its squash file.
 *
 * @param modelPath  what the recipe's {@code model.path} becomes: an alias of {@code modelPaths}; else
 *                   {@code hf:<model id>} when the profile has a Hugging Face cache; else the recipe's own value
 *                   (absolute, or unresolvable: {@link SrtctlSchema} then refuses it)
 * @param modelPaths every model alias of the profile ({@code paths.model-aliases})
 * @param containers the image (and the recipe's own container name, when it differs) to the squash file the
 *                   cluster keeps it in; empty unless the profile's runtime is pyxis and it names a containers
 *                   directory (srtctl then passes the image name to pyxis unchanged)
 */
public record SrtSlurmAliases(String modelPath, Map<String, String> modelPaths, Map<String, String> containers) {

    /** srtctl's prefix for a Hugging Face model id (core/runtime.py), fetched into HF_HOME before workers start. */
    public static final String HF_PREFIX = "hf:";

    public SrtSlurmAliases {
        // Sorted and insertion-ordered copies: srtslurm.yaml must read the same on every render.
        modelPaths = Collections.unmodifiableMap(new TreeMap<>(modelPaths));
        containers = Collections.unmodifiableMap(new LinkedHashMap<>(containers));
    }

    /**
     * @param recipeModelPath the server configuration's {@code model.path}
     * @param recipeContainer the server configuration's {@code model.container}
     */
    public static SrtSlurmAliases of(ClusterProfile profile, MatrixPoint point, String recipeModelPath,
                                     String recipeContainer) {
        Map<String, String> aliases = new TreeMap<>(profile.paths().modelAliases());
        String modelPath = recipeModelPath == null ? point.model() : recipeModelPath;
        if (!modelPath.startsWith("/") && !modelPath.startsWith(HF_PREFIX)) {
            Optional<String> alias = modelAlias(aliases, point, modelPath);
            if (alias.isPresent()) {
                modelPath = alias.get();
            } else if (profile.paths().hfCache() != null && point.model().contains("/")) {
                // No staged weights: the cluster's Hugging Face cache, as its single-node launch mounts it.
                modelPath = HF_PREFIX + point.model();
            }
        }
        Map<String, String> containers = new LinkedHashMap<>();
        String dir = profile.paths().containers();
        if ("pyxis".equals(profile.containerRuntime()) && dir != null && !dir.isBlank()) {
            String squash = profile.paths().imageFile(point.image(), "sqsh");
            containers.put(point.image(), squash);
            if (recipeContainer != null && !recipeContainer.equals(point.image()) && !recipeContainer.startsWith("/")) {
                // A recipe's own alias (dynamo-trtllm, dynamo-sglang) runs the point's image, as InferenceMAX maps it.
                containers.put(recipeContainer, squash);
            }
        }
        return new SrtSlurmAliases(modelPath, aliases, containers);
    }

    /**
     * The profile's alias for the model: the recipe's own name, then InferenceMAX's {@code <prefix>-<precision>}
     * (SRT_SLURM_MODEL_PREFIX dsr1-fp8), the model id, its last part (DeepSeek-R1-0528), and last the bare prefix:
     * some launch scripts call the FP4 weights just {@code dsr1}, so it is only used when nothing more exact is.
     */
    private static Optional<String> modelAlias(Map<String, String> aliases, MatrixPoint point, String recipePath) {
        String baseName = point.model().substring(point.model().lastIndexOf('/') + 1);
        for (String candidate : List.of(recipePath, point.modelPrefix() + "-" + point.precision(), point.model(),
                baseName, point.modelPrefix())) {
            if (aliases.containsKey(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
