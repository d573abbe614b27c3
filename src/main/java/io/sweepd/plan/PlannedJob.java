package io.sweepd.plan;

import io.sweepd.enrich.Topology;
import io.sweepd.profiles.LaunchPath;

import java.util.List;

/**
 * One Slurm allocation: the points that share a server configuration (everything but concurrency), so the
 * model loads once for all of their concurrencies.
 *
 * @param jobKey        stable hash of the enriched server configuration; names the job directory and the Slurm job
 * @param pointIds      the points the job runs, in plan order
 * @param concurrencies the union of the points' concurrencies, ascending
 * @param launch        the profile's launcher and container runtime, or null when the planner was given no profiles
 */
public record PlannedJob(String jobKey, String profile, Topology topology, List<String> pointIds,
                         List<Integer> concurrencies, LaunchPath launch) {

    public PlannedJob {
        pointIds = List.copyOf(pointIds);
        concurrencies = List.copyOf(concurrencies);
    }

    /** A job whose launch path is not known here. */
    public PlannedJob(String jobKey, String profile, Topology topology, List<String> pointIds,
                      List<Integer> concurrencies) {
        this(jobKey, profile, topology, pointIds, concurrencies, null);
    }
}
