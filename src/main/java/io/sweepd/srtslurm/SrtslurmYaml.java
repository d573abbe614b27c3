package io.sweepd.srtslurm;

import io.sweepd.profiles.ClusterProfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's {@code srtslurm.yaml} (srtctl's ClusterConfig), written beside the recipe and named to srtctl by
 * {@code SRTSLURM_CONFIG}. It holds what InferenceMAX's launch scripts write into theirs: the Slurm defaults of
 * the profile, {@code srtctl_root}, and the model and container aliases. The directive switches mirror the
 * profile too, so the file also describes the cluster correctly to anyone who runs {@code srtctl apply} on it.
 */
public final class SrtslurmYaml {

    private SrtslurmYaml() {
    }

    /**
     * @param timeLimit the job's Slurm time limit, as the job script asks for it
     */
    public static Map<String, Object> of(ClusterProfile profile, String timeLimit, SrtSlurmAliases aliases) {
        ClusterProfile.Slurm slurm = profile.slurm();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", profile.name());
        if (slurm.account() != null && !slurm.account().isBlank()) {
            out.put("default_account", slurm.account());
        }
        out.put("default_partition", slurm.partition());
        out.put("default_time_limit", timeLimit);
        out.put("gpus_per_node", profile.hardware().gpusPerNode());
        out.put("use_gpus_per_node_directive", "gpus-per-node".equals(slurm.gpuDirective()));
        out.put("use_segment_sbatch_directive", slurm.segment());
        out.put("use_exclusive_sbatch_directive", slurm.exclusive());
        if (profile.paths().srtSlurm() != null) {
            out.put("srtctl_root", profile.paths().srtSlurm());
        }
        if (!aliases.modelPaths().isEmpty()) {
            out.put("model_paths", aliases.modelPaths());
        }
        if (!aliases.containers().isEmpty()) {
            out.put("containers", aliases.containers());
        }
        return out;
    }
}
