package io.sweepd.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.KvOffload;
import io.sweepd.enrich.Parallelism;
import io.sweepd.enrich.ServingRole;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Refuses a point that cannot work on a profile before it costs GPU hours, with a one-line reason that
 * carries the numbers. Checks run in this order and the first failure is the reason:
 * <ol>
 *   <li>agreement: the recipe's serving mode and worker counts vs the sweep's; each worker's parallel layout vs
 *       its GPUs ({@link Parallelism});</li>
 *   <li>placement: GPUs per node and nodes needed vs the profile's nodes and pool;</li>
 *   <li>one replica: the whole model vs the memory of one worker's GPUs (coarse, nominal GB);</li>
 *   <li>per rank: the weights one GPU holds ({@link RankWeights}) plus a minimum headroom vs usable
 *       memory x the engine's memory fraction;</li>
 *   <li>context: isl + osl vs the engine's max-model-len;</li>
 *   <li>launch: an agentic-coding point on the single-node launcher needs the profile's trace directory and an
 *       offloading the harness can apply to its engine ({@link KvOffload}).</li>
 * </ol>
 * A refusal whose numbers rest on a fact the profile marks assumed ({@code assumed:}) ends by saying so.
 * A model without weight facts is not refused: the memory checks are skipped and a note says so.
 * Missing recipes and cross-node tensor parallelism are checked elsewhere.
 */
public final class Preflight {

    /**
     * Memory a rank needs beyond its weights, in GiB: KV cache for at least a few long sequences,
     * activation peaks, CUDA graphs (1.28 GiB in seed case 5's log) and NCCL buffers. Seed case 9 loaded
     * 74.99 GiB of weights with 75.23 GiB allowed (0.24 GiB left) and died; case 5 shows that even ~4 GiB
     * outside vLLM's accounting is consumed at warm-up. Below this the engine cannot serve.
     */
    public static final double MIN_HEADROOM_GIB = 4.0;

    /** vLLM's default gpu-memory-utilization (SGLang's mem-fraction-static default is close to it). */
    public static final double DEFAULT_MEMORY_FRACTION = 0.9;

    /**
     * The highest memory fraction launchers set (InferenceMAX's single-node scripts go up to 0.95, e.g. SGLang
     * DeepSeek-R1 FP8 at TP4 on B200). When the configuration does not set the flag, the launch may still set it
     * that high, so only weights that do not fit even there are refused.
     */
    public static final double HIGHEST_LAUNCHER_FRACTION = 0.95;

    private final ModelCatalog models;

    public Preflight(ModelCatalog models) {
        this.models = models;
    }

    /** The verdict: a refusal (or none) and notes on what could not be checked or was assumed. */
    public record Verdict(String refusal, List<String> notes) {

        public Verdict {
            notes = List.copyOf(notes);
        }

        public boolean refused() {
            return refusal != null;
        }

        public Optional<String> refusalReason() {
            return Optional.ofNullable(refusal);
        }
    }

    /** The first failing check's one-line reason, or empty when the point may be submitted. */
    public Optional<String> refusal(MatrixPoint point, ClusterProfile profile, Topology topology,
                                    ObjectNode serverConfig) {
        return check(point, profile, topology, serverConfig).refusalReason();
    }

    public Verdict check(MatrixPoint point, ClusterProfile profile, Topology topology, ObjectNode serverConfig) {
        return check(point, profile, topology, serverConfig, false);
    }

    /**
     * @param memoryOverridden a person explicitly overrode the memory checks for this sweep: their verdicts
     *                         become notes (the caller logs them) instead of refusals
     */
    public Verdict check(MatrixPoint point, ClusterProfile profile, Topology topology, ObjectNode serverConfig,
                         boolean memoryOverridden) {
        List<String> notes = new ArrayList<>();
        List<WorkerShape> workers = WorkerShape.of(point, topology);
        Optional<ModelFacts> facts = models.lookup(point.model(), point.precision());
        if (facts.isEmpty()) {
            notes.add("no weight facts for " + point.model() + " " + point.precision()
                    + " (models/model-facts.yaml): memory fit not checked");
        }
        String refusal = recipeAgreement(point, serverConfig);
        if (refusal == null) {
            refusal = layout(point, topology, serverConfig);
        }
        if (refusal == null) {
            refusal = placement(point, profile, topology);
        }
        if (refusal == null && facts.isPresent()) {
            refusal = replica(facts.get(), profile, workers, topology);
            if (refusal == null) {
                refusal = perRank(facts.get(), profile, workers, topology, serverConfig, notes);
            }
            if (refusal != null && memoryOverridden) {
                notes.add("memory check OVERRIDDEN by the sweep's override-preflight: " + refusal);
                refusal = null;
            }
        }
        if (refusal == null) {
            refusal = context(point, workers, serverConfig);
        }
        if (refusal == null) {
            refusal = agenticLaunch(point, profile, serverConfig);
        }
        return new Verdict(refusal, notes);
    }

    /**
     * What the single-node harness needs to replay agentic-coding traces: refused here rather than when the job is
     * rendered, so one such point does not stop the rest of its sweep from being recorded.
     */
    private static String agenticLaunch(MatrixPoint point, ClusterProfile profile, ObjectNode serverConfig) {
        if (!point.isAgentic() || point.multinode() || profile.launcher() == null
                || !"single-node".equals(profile.launcher().typeFor(false))) {
            return null;
        }
        if (profile.launcher().agentic().traces() == null) {
            return "agentic-coding replays InferenceMAX's trace corpus, and profile " + profile.name()
                    + " names no local copy of it (launcher.agentic.traces: a directory of Weka trace JSON files;"
                    + " jobs do not download it)";
        }
        String engine = EngineArgs.backendType(serverConfig).orElse(Parallelism.engineFor(point.framework()));
        if (KvOffload.recipeOffloads(EngineArgs.roleArgs(serverConfig, "aggregated").orElse(null))) {
            return null;
        }
        return KvOffload.refusal(engine, point.agentic().offloading()).orElse(null);
    }

    /**
     * The sweep's workers vs the recipe's resources: srt-slurm runs what the recipe says, the report counts what
     * the sweep says, so a disagreement would run something else than was planned. The serving mode must agree
     * ({@code num-worker: 0} is aggregated serving, which an srt-slurm recipe writes as {@code agg_nodes /
     * agg_workers}), and so must each role's worker count.
     */
    private static String recipeAgreement(MatrixPoint point, ObjectNode serverConfig) {
        if (!point.multinode() || serverConfig == null) {
            return null;
        }
        JsonNode resources = serverConfig.path("resources");
        boolean recipeDisagg = resources.has("prefill_nodes") || resources.has("decode_nodes");
        boolean recipeAgg = resources.has("agg_nodes") || resources.has("agg_workers");
        List<ServingRole> roles = ServingRole.of(point);
        boolean pointDisagg = roles.size() == 2;
        if (recipeDisagg && !pointDisagg) {
            return "the sweep runs aggregated workers (" + aggregatedBecause(point) + ") but the recipe's resources"
                    + " are disaggregated (prefill_nodes/decode_nodes): make them agree";
        }
        if (recipeAgg && !recipeDisagg && pointDisagg) {
            return "the sweep runs separate prefill and decode workers but the recipe's resources are aggregated"
                    + " (agg_nodes/agg_workers): make them agree, or set the unused side's num-worker to 0";
        }
        for (ServingRole role : roles) {
            String name = role.resourceName();
            OptionalInt workers = TopologyCalculator.intAt(resources, name + "_workers");
            if (workers.isPresent() && workers.getAsInt() != role.spec().numWorker()) {
                return String.format(Locale.ROOT, "the recipe's resources.%s_workers is %d but the sweep's %s "
                        + "num-worker is %d: make them agree", name, workers.getAsInt(),
                        role.role().equals(ServingRole.AGGREGATED) ? "serving side's" : role.role(),
                        role.spec().numWorker());
            }
        }
        return null;
    }

    private static String aggregatedBecause(MatrixPoint point) {
        if (!point.disagg()) {
            return "disagg is false";
        }
        return point.decode() != null && point.decode().numWorker() == 0 ? "decode num-worker is 0"
                : "prefill num-worker is 0";
    }

    /**
     * Each worker's parallel layout vs its GPUs: the matrix's tp/ep/dp-attn must be one that an engine can run,
     * and engine arguments that state parallel sizes (a recipe's, or the synthesized ones) must occupy exactly
     * the GPUs the worker is given, else the engine either fails to start or leaves GPUs idle that the metrics
     * count.
     */
    private static String layout(MatrixPoint point, Topology topology, ObjectNode serverConfig) {
        String engine = EngineArgs.backendType(serverConfig).orElse(Parallelism.engineFor(point.framework()));
        for (WorkerShape worker : WorkerShape.of(point, topology)) {
            String who = worker.role().equals(WorkerShape.AGGREGATED) ? "worker " : worker.role() + " worker ";
            Optional<String> problem = Parallelism.forWorker(engine, worker.tp(), worker.ep(), worker.dpAttn())
                    .problem();
            if (problem.isPresent()) {
                return who + "(" + worker.layout() + "): " + problem.get();
            }
            Optional<Parallelism> stated = EngineArgs.roleArgs(serverConfig, worker.role())
                    .flatMap(args -> Parallelism.fromEngineArgs(engine, args));
            if (stated.isPresent() && stated.get().gpus() != worker.gpus()) {
                return String.format(Locale.ROOT, "the %s engine arguments (backend.%s_config.%s) run %s per worker,"
                                + " but each %s worker is given %d GPUs: make the parallel sizes and the worker's GPUs"
                                + " agree", worker.role(), engine, worker.role(), stated.get().describe(),
                        worker.role(), worker.gpus());
            }
        }
        return null;
    }

    /** (a) GPUs per node and nodes vs the profile. */
    private static String placement(MatrixPoint point, ClusterProfile profile, Topology topology) {
        ClusterProfile.Hardware hw = profile.hardware();
        if (topology.gpusPerNode() > hw.gpusPerNode()) {
            if (!point.multinode()) {
                return String.format(Locale.ROOT, "needs %d GPUs in one node (%s) but each %s node has %d %s GPUs",
                        topology.gpusPerNode(), WorkerShape.of(point, topology).get(0).layout(), profile.name(),
                        hw.gpusPerNode(), gpuName(hw)) + profile.assumptionNote("hardware.gpus-per-node");
            }
            // Only a recipe's resources.gpus_per_node can make a multinode topology ask for more.
            return String.format(Locale.ROOT, "the recipe asks for %d GPUs per node (resources.gpus_per_node)"
                            + " but each %s node has %d %s GPUs",
                    topology.gpusPerNode(), profile.name(), hw.gpusPerNode(), gpuName(hw))
                    + profile.assumptionNote("hardware.gpus-per-node");
        }
        if (topology.nodes() > hw.nodes()) {
            return String.format(Locale.ROOT, "needs %d nodes%s; the %s pool has %d",
                    topology.nodes(), nodeBreakdown(topology), profile.name(), hw.nodes())
                    + profile.assumptionNote("hardware.nodes", "hardware.gpus-per-node");
        }
        return null;
    }

    private static String nodeBreakdown(Topology topology) {
        if (!topology.disaggregated()) {
            return "";
        }
        int prefill = TopologyCalculator.ceilDiv(topology.prefillGpus(), topology.gpusPerNode());
        int decode = TopologyCalculator.ceilDiv(topology.decodeGpus(), topology.gpusPerNode());
        return prefill + decode == topology.nodes() ? " (" + prefill + " prefill + " + decode + " decode)" : "";
    }

    /** (c) The whole model vs the nominal memory of the GPUs one worker spans. */
    private static String replica(ModelFacts facts, ClusterProfile profile, List<WorkerShape> workers,
                                  Topology topology) {
        ClusterProfile.Hardware hw = profile.hardware();
        for (WorkerShape worker : workers) {
            double replicaGb = worker.gpus() * hw.gpuMemoryGb();
            if (facts.totalGb() > replicaGb) {
                int gpusNeeded = (int) Math.ceil(facts.totalGb() / hw.gpuMemoryGb());
                return String.format(Locale.ROOT,
                        "%s%s %s weights (~%.0f GB) exceed one replica's GPU memory: %d x %s = %s GB;"
                                + " a replica needs at least %d such GPUs",
                        prefix(worker, topology), facts.shortName(), facts.precision(), facts.totalGb(),
                        worker.gpus(), gpuName(hw), num(replicaGb), gpusNeeded)
                        + profile.assumptionNote("hardware.gpu-memory-gb");
            }
        }
        return null;
    }

    /** (b) Weights one GPU holds + headroom vs usable memory x the engine's memory fraction. */
    private static String perRank(ModelFacts facts, ClusterProfile profile, List<WorkerShape> workers,
                                  Topology topology, ObjectNode serverConfig, List<String> notes) {
        ClusterProfile.Hardware hw = profile.hardware();
        for (WorkerShape worker : workers) {
            RankWeights weights = RankWeights.of(facts, worker);
            Optional<EngineArgs.Arg<Double>> set = EngineArgs.memoryFraction(serverConfig, worker.role());
            String flag = set.map(EngineArgs.Arg::key).orElse(EngineArgs.memoryFractionFlag(serverConfig));
            double fraction;
            String budgetSource;
            if (set.isPresent()) {
                fraction = set.get().value();
                budgetSource = flag + " " + num(fraction);
            } else if (!EngineArgs.capsWeights(serverConfig)) {
                // TensorRT-LLM loads the weights first and gives the KV cache a fraction of what is left.
                fraction = 1.0;
                budgetSource = "the whole card: TensorRT-LLM does not cap weights";
            } else {
                fraction = HIGHEST_LAUNCHER_FRACTION;
                budgetSource = flag + " " + num(fraction) + ", the most a launcher sets; this configuration does"
                        + " not set it";
                double atDefault = hw.usableGib() * DEFAULT_MEMORY_FRACTION - weights.perRankGib();
                double atHighest = hw.usableGib() * HIGHEST_LAUNCHER_FRACTION - weights.perRankGib();
                if (atDefault < MIN_HEADROOM_GIB && atHighest >= MIN_HEADROOM_GIB) {
                    notes.add(String.format(Locale.ROOT, "%sfits only with %s of at least %s (%.2f GiB of weights"
                                    + " per GPU); the engine's default %s leaves too little: the launch must set it",
                            roleWord(worker, topology), flag,
                            num(Math.ceil((weights.perRankGib() + MIN_HEADROOM_GIB) / hw.usableGib() * 100) / 100),
                            weights.perRankGib(), num(DEFAULT_MEMORY_FRACTION)));
                } else {
                    notes.add(String.format(Locale.ROOT, "%s%s not set; memory check assumes %s",
                            roleWord(worker, topology), flag, num(DEFAULT_MEMORY_FRACTION)));
                }
            }
            double budgetGib = hw.usableGib() * fraction;
            double leftGib = budgetGib - weights.perRankGib();
            if (leftGib < MIN_HEADROOM_GIB) {
                String room = leftGib <= 0
                        ? ": no room for KV cache"
                        : String.format(Locale.ROOT, ", leaving %.2f GiB where KV cache, activations and NCCL"
                                + " buffers need at least %s GiB", leftGib, num(MIN_HEADROOM_GIB));
                String fix = worker.dpAttn()
                        ? "use a topology that shards attention (TP) or larger-memory GPUs"
                        : "spread the worker over more GPUs or use larger-memory GPUs";
                return String.format(Locale.ROOT,
                        "%sweights alone need %.2f GiB per GPU (%s) but each %s offers %.2f GiB"
                                + " (%s GiB x %s)%s; %s",
                        prefix(worker, topology), weights.perRankGib(), weights.explain(), gpuName(hw), budgetGib,
                        num(hw.usableGib()), budgetSource, room, fix)
                        + profile.assumptionNote("hardware.usable-gib");
            }
        }
        return null;
    }

    /**
     * (d) isl + osl vs max-model-len. Decode and aggregated engines hold the whole sequence; a
     * disaggregated prefill engine only sees the prompt and generates one token, so it needs isl + 1.
     */
    private static String context(MatrixPoint point, List<WorkerShape> workers, ObjectNode serverConfig) {
        int sequence = point.isl() + point.osl();
        boolean engineSaid = false;
        for (WorkerShape worker : workers) {
            Optional<EngineArgs.Arg<Integer>> limit = EngineArgs.maxModelLen(serverConfig, worker.role());
            if (limit.isEmpty()) {
                continue;
            }
            engineSaid = true;
            int max = limit.get().value();
            boolean prefillOnly = worker.role().equals(WorkerShape.PREFILL);
            if (prefillOnly && point.isl() + 1 > max) {
                return String.format(Locale.ROOT, "isl %d plus the one token prefill generates exceeds the prefill"
                                + " engine's %s %d (%s)", point.isl(), limit.get().key(), max, limit.get().path());
            }
            if (!prefillOnly && sequence > max) {
                return String.format(Locale.ROOT, "isl %d + osl %d = %d tokens exceed the %s engine's %s %d (%s)",
                        point.isl(), point.osl(), sequence, worker.role(), limit.get().key(), max,
                        limit.get().path());
            }
        }
        if (!engineSaid && point.maxModelLen() > 0 && sequence > point.maxModelLen()) {
            return String.format(Locale.ROOT, "isl %d + osl %d = %d tokens exceed the point's max-model-len %d",
                    point.isl(), point.osl(), sequence, point.maxModelLen());
        }
        return null;
    }

    /** {@code decode worker (TP1/EP16 dp-attn, 16 GPUs): } for disaggregated points, else nothing. */
    private static String prefix(WorkerShape worker, Topology topology) {
        if (!topology.disaggregated()) {
            return "";
        }
        return worker.role() + " worker (" + worker.layout() + ", " + worker.gpus() + " GPUs): ";
    }

    private static String roleWord(WorkerShape worker, Topology topology) {
        return topology.disaggregated() ? worker.role() + ": " : "";
    }

    /** {@code H100 80GB}: the card as people name it. */
    static String gpuName(ClusterProfile.Hardware hw) {
        return hw.gpu().toUpperCase(Locale.ROOT) + " " + num(hw.gpuMemoryGb()) + "GB";
    }

    /** A number without trailing zeros: 80, 79.19, 0.85. */
    static String num(double value) {
        if (value == Math.rint(value)) {
            return String.valueOf((long) value);
        }
        return java.math.BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }
}
