package io.sweepd.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Parallelism;
import io.sweepd.enrich.ServingRole;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.sweep.WorkerSpec;

import java.util.List;
import java.util.OptionalInt;

/**
 * How many GPUs and nodes a point occupies on a profile: what the job asks Slurm for, and what the metrics divide
 * by. The workers are the point's {@link ServingRole}s; a worker's GPUs are the one rule of {@link Parallelism}
 * (InferenceMAX's convention: tp, or max(tp, ep) with dp-attn), unless the point's srt-slurm recipe says otherwise,
 * because srt-slurm runs what the recipe says.
 *
 * <ul>
 *   <li>Single-node: one aggregated worker on one node, asking Slurm for exactly its GPUs (as InferenceMAX's
 *       launchers ask for {@code --gres=gpu:$TP}).</li>
 *   <li>Multinode: per role, workers = the matrix's {@code num-worker}; GPUs per worker = the recipe's
 *       {@code resources} (srt-slurm's spelling: {@code gpus_per_prefill}, or {@code prefill_nodes x gpus_per_node /
 *       prefill_workers}, a decode side on {@code decode_nodes: 0} sharing the prefill's nodes and size; likewise
 *       {@code agg}) when a recipe is given, else the rule; nodes = the recipe's node counts, else per role
 *       ceil(workers x GPUs per worker / GPUs per node). {@code num-worker: 0} on one side is aggregated multinode
 *       serving ({@link ServingRole}).</li>
 * </ul>
 * GPUs per node is what the job asks Slurm for on each node: the recipe's {@code gpus_per_node} when it says, else
 * the profile's; preflight refuses a recipe that asks for more than the profile's nodes have.
 */
public final class TopologyCalculator {

    private TopologyCalculator() {
    }

    /**
     * @param recipe the point's srt-slurm recipe (or server configuration in recipe shape), or null
     */
    public static Topology topology(MatrixPoint point, ClusterProfile profile, ObjectNode recipe) {
        List<ServingRole> roles = ServingRole.of(point);
        if (!point.multinode()) {
            int gpus = gpusPerWorker(point, roles.get(0).spec());
            return new Topology(0, 0, 0, 0, 1, gpus, 1, gpus);
        }
        JsonNode resources = recipe == null ? MissingNode.getInstance() : recipe.path("resources");
        int gpusPerNode = intAt(resources, "gpus_per_node").orElse(profile.hardware().gpusPerNode());
        if (roles.size() == 2) {
            Side prefill = side(point, roles.get(0), resources, gpusPerNode, OptionalInt.empty());
            Side decode = side(point, roles.get(1), resources, gpusPerNode, OptionalInt.of(prefill.gpusPerWorker));
            OptionalInt recipeNodes = sum(intAt(resources, "prefill_nodes"), intAt(resources, "decode_nodes"));
            // Never fewer nodes than the workers need, whatever the recipe claims (preflight flags a disagreement).
            boolean sharedNodes = intAt(resources, "decode_nodes").orElse(-1) == 0;
            int needed = sharedNodes
                    ? ceilDiv(prefill.workers * prefill.gpusPerWorker + decode.workers * decode.gpusPerWorker, gpusPerNode)
                    : prefill.nodes(gpusPerNode) + decode.nodes(gpusPerNode);
            int nodes = Math.max(recipeNodes.orElse(needed), needed);
            return new Topology(prefill.workers, prefill.gpusPerWorker, decode.workers, decode.gpusPerWorker,
                    0, 0, nodes, gpusPerNode);
        }
        Side agg = side(point, roles.get(0), resources, gpusPerNode, OptionalInt.empty());
        int nodes = intAt(resources, "agg_nodes").orElse(agg.nodes(gpusPerNode));
        return new Topology(0, 0, 0, 0, agg.workers, agg.gpusPerWorker, nodes, gpusPerNode);
    }

    /** The GPUs one worker of {@code spec} occupies without a recipe: the rule of {@link Parallelism}. */
    public static int gpusPerWorker(MatrixPoint point, WorkerSpec spec) {
        return Parallelism.forWorker(Parallelism.engineFor(point.framework()), spec.tp(), spec.ep(), spec.dpAttn())
                .gpus();
    }

    private record Side(int workers, int gpusPerWorker) {
        int nodes(int gpusPerNode) {
            return ceilDiv(workers * gpusPerWorker, gpusPerNode);
        }
    }

    /**
     * @param prefillGpus GPUs per prefill worker, for a decode side that shares the prefill's nodes
     */
    private static Side side(MatrixPoint point, ServingRole role, JsonNode resources, int gpusPerNode,
                             OptionalInt prefillGpus) {
        String name = role.resourceName();
        OptionalInt explicit = intAt(resources, "gpus_per_" + name);
        OptionalInt nodes = intAt(resources, name + "_nodes");
        OptionalInt workers = intAt(resources, name + "_workers");
        int gpus;
        if (explicit.isPresent()) {
            gpus = explicit.getAsInt();
        } else if (nodes.isPresent() && nodes.getAsInt() > 0 && workers.isPresent() && workers.getAsInt() > 0) {
            // srt-slurm's own default when a recipe gives nodes and workers but not GPUs per worker.
            gpus = nodes.getAsInt() * gpusPerNode / workers.getAsInt();
        } else if (nodes.isPresent() && nodes.getAsInt() == 0 && prefillGpus.isPresent()) {
            // srt-slurm: decode_nodes 0 means the decode workers share the prefill's nodes, sized like them.
            gpus = prefillGpus.getAsInt();
        } else {
            gpus = gpusPerWorker(point, role.spec());
        }
        return new Side(role.spec().numWorker(), gpus);
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
