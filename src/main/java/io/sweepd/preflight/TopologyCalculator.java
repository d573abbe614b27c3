package io.sweepd.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.sweep.WorkerSpec;

import java.util.OptionalInt;

/**
 * How many GPUs and nodes a point occupies on a profile.
 *
 * <ul>
 *   <li>Single-node: one aggregated worker of {@code tp} GPUs on one node (InferenceMAX's tp is the GPU
 *       count; ep and dp-attn split work inside those GPUs).</li>
 *   <li>Multinode: per side, workers = the matrix's {@code num-worker}; GPUs per worker = the recipe's
 *       {@code resources} (srt-slurm v1 spelling: {@code gpus_per_prefill}, or {@code prefill_nodes x
 *       gpus_per_node / prefill_workers}, likewise decode and agg) when a recipe is given, else
 *       max(tp, ep) of the worker spec; nodes = the recipe's node counts, else per side
 *       ceil(workers x GPUs per worker / GPUs per node). Multinode without disagg runs aggregated
 *       workers shaped like the decode spec.</li>
 * </ul>
 * GPUs per node is what the job asks Slurm for on each node: the recipe's {@code gpus_per_node} when it
 * says, else the profile's; preflight refuses a recipe that asks for more than the profile's nodes have.
 */
public final class TopologyCalculator {

    private TopologyCalculator() {
    }

    /**
     * @param recipe the point's srt-slurm recipe (or server configuration in recipe shape), or null
     */
    public static Topology topology(MatrixPoint point, ClusterProfile profile, ObjectNode recipe) {
        if (!point.multinode()) {
            int tp = point.tp() == null ? 1 : point.tp();
            return new Topology(0, 0, 0, 0, 1, tp, 1, tp);
        }
        JsonNode resources = recipe == null ? MissingNode.getInstance() : recipe.path("resources");
        int gpusPerNode = intAt(resources, "gpus_per_node").orElse(profile.hardware().gpusPerNode());
        if (point.disagg()) {
            Side prefill = side(require(point.prefill(), point, "prefill"), resources, "prefill", gpusPerNode);
            Side decode = side(require(point.decode(), point, "decode"), resources, "decode", gpusPerNode);
            OptionalInt recipeNodes = sum(intAt(resources, "prefill_nodes"), intAt(resources, "decode_nodes"));
            // Never fewer nodes than the workers need, whatever the recipe claims (preflight flags a disagreement).
            int needed = prefill.nodes(gpusPerNode) + decode.nodes(gpusPerNode);
            int nodes = Math.max(recipeNodes.orElse(needed), needed);
            return new Topology(prefill.workers, prefill.gpusPerWorker, decode.workers, decode.gpusPerWorker,
                    0, 0, nodes, gpusPerNode);
        }
        WorkerSpec spec = point.decode() != null ? point.decode() : require(point.prefill(), point, "decode");
        Side agg = side(spec, resources, "agg", gpusPerNode);
        int nodes = intAt(resources, "agg_nodes").orElse(agg.nodes(gpusPerNode));
        return new Topology(0, 0, 0, 0, agg.workers, agg.gpusPerWorker, nodes, gpusPerNode);
    }

    private record Side(int workers, int gpusPerWorker) {
        int nodes(int gpusPerNode) {
            return ceilDiv(workers * gpusPerWorker, gpusPerNode);
        }
    }

    private static Side side(WorkerSpec spec, JsonNode resources, String role, int gpusPerNode) {
        OptionalInt explicit = intAt(resources, "gpus_per_" + role);
        int gpus;
        if (explicit.isPresent()) {
            gpus = explicit.getAsInt();
        } else {
            OptionalInt nodes = intAt(resources, role + "_nodes");
            OptionalInt workers = intAt(resources, role + "_workers");
            if (nodes.isPresent() && workers.isPresent() && workers.getAsInt() > 0) {
                // srt-slurm's own default when a recipe gives nodes and workers but not GPUs per worker.
                gpus = nodes.getAsInt() * gpusPerNode / workers.getAsInt();
            } else {
                gpus = Math.max(spec.tp(), spec.ep());
            }
        }
        return new Side(spec.numWorker(), gpus);
    }

    private static WorkerSpec require(WorkerSpec spec, MatrixPoint point, String side) {
        if (spec == null) {
            throw new IllegalArgumentException("multinode point " + point.configKey() + " has no " + side + " worker");
        }
        return spec;
    }

    private static OptionalInt sum(OptionalInt a, OptionalInt b) {
        return a.isPresent() && b.isPresent() ? OptionalInt.of(a.getAsInt() + b.getAsInt()) : OptionalInt.empty();
    }

    static int ceilDiv(int a, int b) {
        return b <= 0 ? 0 : (a + b - 1) / b;
    }

    /** An integer field, written as a number or as digits in a string; empty when absent or not a count. */
    static OptionalInt intAt(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return OptionalInt.of(value.intValue());
        }
        if (value.isTextual() && value.textValue().strip().matches("\\d{1,9}")) {
            return OptionalInt.of(Integer.parseInt(value.textValue().strip()));
        }
        return OptionalInt.empty();
    }
}
