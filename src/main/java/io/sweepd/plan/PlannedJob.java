package io.sweepd.plan;

import io.sweepd.enrich.Topology;
import io.sweepd.profiles.ClusterProfile;

import java.util.List;

/**
 * One Slurm allocation: the points that share a server configuration (everything but concurrency), so the
 * model loads once for all of their concurrencies.
 *
 * @param jobKey        stable hash of the enriched server configuration; names the job directory and the Slurm job
 * @param pointIds      the points the job runs, in plan order
 * @param concurrencies the union of the points' concurrencies, ascending
 * @param launch        how the profile launches the job; null when the plan was made without the profiles
 */
public record PlannedJob(String jobKey, String profile, Topology topology, List<String> pointIds,
                         List<Integer> concurrencies, Launch launch) {

    public PlannedJob {
        pointIds = List.copyOf(pointIds);
        concurrencies = List.copyOf(concurrencies);
    }

    /** Without a launch path. */
    public PlannedJob(String jobKey, String profile, Topology topology, List<String> pointIds,
                      List<Integer> concurrencies) {
        this(jobKey, profile, topology, pointIds, concurrencies, null);
    }

    /**
     * The launch path a profile gives its jobs, as the plan shows it.
     *
     * @param path             the profile's {@code launcher.type}: srt-slurm, command or simulator
     * @param containerRuntime the profile's {@code container-runtime}; "unstated" when it names none
     */
    public record Launch(String path, String containerRuntime) {

        public static Launch of(ClusterProfile profile) {
            return new Launch(profile.launcher().type(),
                    profile.containerRuntime() == null ? "unstated" : profile.containerRuntime());
        }

        /** "srt-slurm / pyxis". */
        public String describe() {
            return path + " / " + containerRuntime;
        }
    }
}
