package io.sweepd.enrich;

import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;

import java.util.List;

/**
 * One kind of worker a point runs, with the matrix's spec for it: the one place that decides which of a point's
 * specs serve which srt-slurm role.
 *
 * <ul>
 *   <li>Single-node: one {@code aggregated} worker of the point's tp/ep/dp-attn (defaults ep 1, dp-attn false).</li>
 *   <li>Multinode with disagg and workers on both sides: {@code prefill} and {@code decode}.</li>
 *   <li>Multinode with {@code num-worker: 0} on one side: aggregated multinode serving, as InferenceMAX means it
 *       (e.g. {@code dsv4-fp4-gb200-dynamo-vllm-mtp2}: prefill {@code {num-worker: 1, tp: 8}}, decode
 *       {@code {num-worker: 0}}, and an srt-slurm recipe with {@code agg_workers}): the other side's spec is the
 *       aggregated worker; InferenceMAX counts all its GPUs as the single worker's and none as decode.</li>
 *   <li>Multinode without disagg: aggregated workers shaped like the decode spec (the prefill spec without one).</li>
 * </ul>
 *
 * @param role srt-slurm's role name: {@value #PREFILL}, {@value #DECODE} or {@value #AGGREGATED}
 *             (backend.&lt;type&gt;_config.&lt;role&gt;)
 * @param spec the matrix's worker spec; {@code numWorker} is how many such workers run
 */
public record ServingRole(String role, WorkerSpec spec) {

    public static final String PREFILL = "prefill";
    public static final String DECODE = "decode";
    public static final String AGGREGATED = "aggregated";

    /** The worker kinds of a point, prefill before decode. */
    public static List<ServingRole> of(MatrixPoint point) {
        if (!point.multinode()) {
            return List.of(new ServingRole(AGGREGATED, new WorkerSpec(1, orOne(point.tp()), orOne(point.ep()),
                    Boolean.TRUE.equals(point.dpAttn()), null)));
        }
        WorkerSpec prefill = point.prefill();
        WorkerSpec decode = point.decode();
        if (prefill == null && decode == null) {
            throw new IllegalArgumentException("multinode point " + point.configKey() + " has no worker spec");
        }
        if (point.disagg() && serves(prefill) && serves(decode)) {
            return List.of(new ServingRole(PREFILL, prefill), new ServingRole(DECODE, decode));
        }
        if (point.disagg() && (serves(prefill) || serves(decode))) {
            return List.of(new ServingRole(AGGREGATED, serves(prefill) ? prefill : decode));
        }
        if (point.disagg()) {
            throw new IllegalArgumentException("multinode point " + point.configKey()
                    + " has num-worker 0 on both sides: nothing would serve");
        }
        return List.of(new ServingRole(AGGREGATED, decode != null ? decode : prefill));
    }

    /** srt-slurm's short name in {@code resources}: {@code gpus_per_prefill}, {@code decode_nodes}, {@code agg_workers}. */
    public String resourceName() {
        return role.equals(AGGREGATED) ? "agg" : role;
    }

    private static boolean serves(WorkerSpec spec) {
        return spec != null && spec.numWorker() > 0;
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }
}
