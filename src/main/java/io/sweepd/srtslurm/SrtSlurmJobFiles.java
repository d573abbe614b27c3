package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.util.List;
import java.util.Map;

/**
 * The two files an srt-slurm job hands srtctl, built together because the recipe's aliases must be the ones
 * srtslurm.yaml defines, and checked with {@link SrtctlSchema} before anything is written: a recipe srtctl would
 * reject is a render error naming every problem, not a job that fails on the cluster after queueing.
 *
 * @param recipe       the recipe ({@link SrtctlRecipe})
 * @param srtslurmYaml the cluster configuration ({@link SrtslurmYaml})
 */
public record SrtSlurmJobFiles(ObjectNode recipe, Map<String, Object> srtslurmYaml) {

    /**
     * @param jobConfig      the job's server configuration with its name and benchmark set
     * @param point          the job's first point (a job's points share one server configuration)
     * @param timeLimit      the job's Slurm time limit
     * @param healthySeconds the job's healthy deadline
     * @throws IllegalArgumentException when srtctl would reject the result
     */
    public static SrtSlurmJobFiles of(ObjectNode jobConfig, MatrixPoint point, Topology topology,
                                      ClusterProfile profile, String timeLimit, int healthySeconds) {
        JsonNode model = jobConfig.path("model");
        SrtSlurmAliases aliases = SrtSlurmAliases.of(profile, point,
                model.path("path").isTextual() ? model.path("path").textValue() : null,
                model.path("container").isTextual() ? model.path("container").textValue() : null);
        ObjectNode recipe = SrtctlRecipe.complete(jobConfig, point, topology, profile, aliases, healthySeconds);
        Map<String, Object> yaml = SrtslurmYaml.of(profile, timeLimit, aliases);
        List<String> problems = SrtctlSchema.problems(recipe, Json.MAPPER.valueToTree(yaml));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("srtctl would reject the recipe of " + point.configKey()
                    + " on profile " + profile.name() + ":\n  " + String.join("\n  ", problems));
        }
        return new SrtSlurmJobFiles(recipe, yaml);
    }
}
