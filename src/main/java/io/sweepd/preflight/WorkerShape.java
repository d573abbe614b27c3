package io.sweepd.preflight;

import io.sweepd.enrich.ServingRole;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;

import java.util.List;

/**
 * One kind of worker a point runs, with what the memory checks need: its GPUs and how it splits the model.
 *
 * @param role srt-slurm's name for the worker's engine arguments: {@code prefill}, {@code decode} or
 *             {@code aggregated} (backend.&lt;type&gt;_config.&lt;role&gt;)
 */
public record WorkerShape(String role, int workers, int gpus, int tp, int ep, boolean dpAttn) {

    public static final String PREFILL = ServingRole.PREFILL;
    public static final String DECODE = ServingRole.DECODE;
    public static final String AGGREGATED = ServingRole.AGGREGATED;

    /** The workers of a point ({@link ServingRole}) as placed by {@code topology}. */
    public static List<WorkerShape> of(MatrixPoint point, Topology topology) {
        return ServingRole.of(point).stream().map(r -> new WorkerShape(r.role(), workers(r.role(), topology),
                gpus(r.role(), topology), r.spec().tp(), r.spec().ep(), r.spec().dpAttn())).toList();
    }

    private static int workers(String role, Topology t) {
        return switch (role) {
            case PREFILL -> t.prefillWorkers();
            case DECODE -> t.decodeWorkers();
            default -> t.aggregatedWorkers();
        };
    }

    private static int gpus(String role, Topology t) {
        return switch (role) {
            case PREFILL -> t.gpusPerPrefillWorker();
            case DECODE -> t.gpusPerDecodeWorker();
            default -> t.gpusPerAggregatedWorker();
        };
    }

    /** {@code TP1/EP16 dp-attn} — the layout as people write it. */
    public String layout() {
        return "TP" + tp + (ep > 1 ? "/EP" + ep : "") + (dpAttn ? " dp-attn" : "");
    }
}
