package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;

import java.util.List;

/**
 * Completes a job's server configuration into a recipe srtctl loads (SrtConfig in core/schema.py): the fields
 * srtctl requires and sweepd's synthesized configurations lack, and nothing else changed.
 *
 * <pre>
 * name                                   kept (the renderer sets the job key when there is none)
 * model.path                             the profile's alias for the model ({@link SrtSlurmAliases})
 * backend.&lt;role&gt;_environment.HF_HOME   the profile's Hugging Face cache, for an hf: model
 * model.precision                        the point's, when missing (required by srtctl)
 * resources                              when missing, from the planned topology; gpu_type when missing
 * backend.type                           the point's engine, when missing
 * health_check                           when missing, the profile's healthy deadline in 10 s attempts, so
 *                                        srtctl gives up when sweepd's deadline would
 * </pre>
 *
 * The resources name GPUs per worker explicitly ({@code gpus_per_prefill}...): srtctl's fallback,
 * {@code nodes x gpus_per_node / workers}, gives a 4-GPU worker on an 8-GPU node all eight.
 */
public final class SrtctlRecipe {

    /** srtctl's health-check interval default (HealthCheckConfig.interval_seconds). */
    static final int HEALTH_INTERVAL_SECONDS = 10;

    private SrtctlRecipe() {
    }

    /** A completed copy; {@code serverConfig} is not changed. */
    public static ObjectNode complete(ObjectNode serverConfig, MatrixPoint point, Topology topology,
                                      ClusterProfile profile, SrtSlurmAliases aliases, int healthySeconds) {
        ObjectNode recipe = serverConfig.deepCopy();
        ObjectNode model = recipe.get("model") instanceof ObjectNode m ? m : recipe.putObject("model");
        model.put("path", aliases.modelPath());
        if (!model.path("container").isTextual()) {
            model.put("container", point.image());
        }
        if (!model.path("precision").isTextual()) {
            model.put("precision", point.precision());
        }
        if (recipe.get("resources") instanceof ObjectNode resources) {
            if (!resources.path("gpu_type").isTextual()) {
                resources.put("gpu_type", profile.hardware().gpu());
            }
        } else {
            recipe.set("resources", resources(topology, profile.hardware().gpu()));
        }
        ObjectNode backend = recipe.get("backend") instanceof ObjectNode b ? b : recipe.putObject("backend");
        if (!backend.path("type").isTextual()) {
            backend.put("type", ServerConfigs.backendType(point.framework()));
        }
        String hfCache = profile.paths().hfCache();
        if (aliases.modelPath().startsWith(SrtSlurmAliases.HF_PREFIX) && hfCache != null) {
            // srtctl downloads an hf: model into HF_HOME once, before the workers start; without it every worker
            // would fill its own ~/.cache. HF_HUB_CACHE: the cluster's cache is a hub cache (InferenceMAX mounts it so).
            for (String role : List.of("prefill", "decode", "aggregated")) {
                if (backend.get(role + "_environment") instanceof ObjectNode env) {
                    env.put("HF_HOME", hfCache);
                    env.put("HF_HUB_CACHE", hfCache);
                }
            }
        }
        if (!recipe.has("health_check")) {
            ObjectNode health = recipe.putObject("health_check");
            health.put("max_attempts", Math.max(1, (healthySeconds + HEALTH_INTERVAL_SECONDS - 1)
                    / HEALTH_INTERVAL_SECONDS));
            health.put("interval_seconds", HEALTH_INTERVAL_SECONDS);
        }
        return recipe;
    }

    /** srtctl's resources block (ResourceConfig) for a planned topology. */
    static ObjectNode resources(Topology t, String gpuType) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("gpu_type", gpuType);
        r.put("gpus_per_node", t.gpusPerNode());
        if (t.disaggregated()) {
            r.put("prefill_nodes", ceilDiv(t.prefillGpus(), t.gpusPerNode()));
            r.put("decode_nodes", ceilDiv(t.decodeGpus(), t.gpusPerNode()));
            r.put("prefill_workers", t.prefillWorkers());
            r.put("decode_workers", t.decodeWorkers());
            r.put("gpus_per_prefill", t.gpusPerPrefillWorker());
            r.put("gpus_per_decode", t.gpusPerDecodeWorker());
        } else {
            r.put("agg_nodes", t.nodes());
            r.put("agg_workers", t.aggregatedWorkers());
            r.put("gpus_per_agg", t.gpusPerAggregatedWorker());
        }
        return r;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
