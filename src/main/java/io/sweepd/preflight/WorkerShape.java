package io.sweepd.preflight;

import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;

import java.util.List;

/**
 * One kind of worker a point runs, with what the memory checks need: its GPUs and how it splits the model.
 *
 * @param role srt-slurm's name for the worker's engine arguments: {@code prefill}, {@code decode} or
 *             {@code aggregated} (backend.&lt;type&gt;_config.&lt;role&gt;)
 */
public record WorkerShape(String role, int workers, int gpus, int tp, int ep, boolean dpAttn) {

    public static final String PREFILL = "prefill";
    public static final String DECODE = "decode";
    public static final String AGGREGATED = "aggregated";

    /** The workers of a point as placed by {@code topology}. */
    public static List<WorkerShape> of(MatrixPoint point, Topology topology) {
        if (topology.disaggregated()) {
            return List.of(
                    from(PREFILL, point.prefill(), topology.prefillWorkers(), topology.gpusPerPrefillWorker()),
                    from(DECODE, point.decode(), topology.decodeWorkers(), topology.gpusPerDecodeWorker()));
        }
        if (point.multinode()) {
            WorkerSpec spec = point.decode() != null ? point.decode() : point.prefill();
            return List.of(from(AGGREGATED, spec, topology.aggregatedWorkers(), topology.gpusPerAggregatedWorker()));
        }
        // Single-node defaults as the matrix applies them: ep 1, dp-attn false.
        return List.of(new WorkerShape(AGGREGATED, topology.aggregatedWorkers(), topology.gpusPerAggregatedWorker(),
                point.tp() == null ? 1 : point.tp(),
                point.ep() == null ? 1 : point.ep(),
                Boolean.TRUE.equals(point.dpAttn())));
    }

    private static WorkerShape from(String role, WorkerSpec spec, int workers, int gpus) {
        return new WorkerShape(role, workers, gpus, spec.tp(), spec.ep(), spec.dpAttn());
    }

    /** {@code TP1/EP16 dp-attn} — the layout as people write it. */
    public String layout() {
        return "TP" + tp + (ep > 1 ? "/EP" + ep : "") + (dpAttn ? " dp-attn" : "");
    }
}
