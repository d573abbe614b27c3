package io.sweepd.enrich;

/**
 * How many GPUs and nodes a point really occupies. Metrics divide by these counts (not by tp), and
 * preflight compares them with the cluster profile's pool.
 *
 * Disaggregated points have prefill and decode workers; aggregated points (single-node, or multinode
 * without disagg) have only {@code aggregatedWorkers}.
 */
public record Topology(
        int prefillWorkers,
        int gpusPerPrefillWorker,
        int decodeWorkers,
        int gpusPerDecodeWorker,
        int aggregatedWorkers,
        int gpusPerAggregatedWorker,
        int nodes,
        int gpusPerNode) {

    public int prefillGpus() { return prefillWorkers * gpusPerPrefillWorker; }

    public int decodeGpus() { return decodeWorkers * gpusPerDecodeWorker; }

    public int aggregatedGpus() { return aggregatedWorkers * gpusPerAggregatedWorker; }

    public int totalGpus() { return prefillGpus() + decodeGpus() + aggregatedGpus(); }

    public boolean disaggregated() { return prefillWorkers + decodeWorkers > 0; }
}
