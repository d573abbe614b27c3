package io.sweepd.render.harness;

import io.sweepd.profiles.ClusterProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the server loads a job's weights from on the cluster, and the name it serves them under.
 *
 * <p>The profile's {@code paths.model-aliases} are looked up by the recipe's {@code model.path} (srt-slurm
 * recipes name models by alias: {@code dsr1-fp8}), then by the Hugging Face id, its last segment, and
 * {@code <model-prefix>-<precision>}; a recipe path that is already absolute is used as it is. Otherwise the
 * server gets the Hugging Face id and finds (or downloads) the weights in the profile's hub cache, which is what
 * InferenceMAX's single-node scripts do ({@code hf download $MODEL} into the mounted cache).
 *
 * @param path       what the server is told to load: a directory on the cluster or a Hugging Face id
 * @param servedName the Hugging Face id, so benchmark and eval clients ask for the model by the name the
 *                   sweep gave it wherever the weights came from
 */
public record ModelLocation(String path, String servedName) {

    public static ModelLocation of(ClusterProfile.Paths paths, String recipeModelPath, String hfId, String modelPrefix,
                                   String precision) {
        Map<String, String> aliases = paths == null ? Map.of() : paths.modelAliases();
        List<String> keys = new ArrayList<>();
        if (recipeModelPath != null) {
            keys.add(recipeModelPath);
        }
        keys.add(hfId);
        keys.add(hfId.substring(hfId.lastIndexOf('/') + 1));
        if (modelPrefix != null && precision != null) {
            keys.add(modelPrefix + "-" + precision);
        }
        for (String key : keys) {
            String aliased = aliases.get(key);
            if (aliased != null && !aliased.isBlank()) {
                return new ModelLocation(aliased, hfId);
            }
        }
        if (recipeModelPath != null && recipeModelPath.startsWith("/")) {
            return new ModelLocation(recipeModelPath, hfId);
        }
        return new ModelLocation(hfId, hfId);
    }
}
