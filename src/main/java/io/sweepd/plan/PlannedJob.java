package io.sweepd.plan;

import io.sweepd.enrich.Topology;

import java.util.List;

/**
 * One Slurm allocation: the points that share a server configuration (everything but concurrency), so the
 * model loads once for all of their concurrencies.
 *
 * @param jobKey        stable hash of the enriched server configuration; names the job directory and the Slurm job
 * @param pointIds      the points the job runs, in plan order
 * @param concurrencies the union of the points' concurrencies, ascending
 */
public record PlannedJob(String jobKey, String profile, Topology topology, List<String> pointIds,
                         List<Integer> concurrencies) {

    public PlannedJob {
        pointIds = List.copyOf(pointIds);
        concurrencies = List.copyOf(concurrencies);
    }
}
