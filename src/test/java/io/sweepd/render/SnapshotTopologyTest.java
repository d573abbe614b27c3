package io.sweepd.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.Fixtures;
import io.sweepd.core.JobDirectory;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.Parallelism;
import io.sweepd.enrich.ServingRole;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.matrix.MatrixPoints;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.preflight.EngineArgs;
import io.sweepd.preflight.ModelCatalog;
import io.sweepd.preflight.Preflight;
import io.sweepd.preflight.TopologyCalculator;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.results.GpuCount;
import io.sweepd.results.PointSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every point of both whole InferenceMAX snapshots (the generator's own output), placed without a recipe: the GPUs
 * the job script asks Slurm for, the GPUs the synthesized engine arguments occupy by each engine's product rule,
 * and the GPUs the metrics divide by are one number; single-node that number is InferenceMAX's own allocation,
 * {@code --gres=gpu:$TP}. Preflight's layout checks refuse none of them.
 */
class SnapshotTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Enough GPUs per node for every single-node point (8) and enough nodes for every multinode one. */
    private static final ClusterProfile PROFILE = withNodes(RenderFixtures.profile("h200-dgxc-slurm"), 1000);

    @TempDir
    Path jobDir;

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void slurmsGpusTheEnginesGpusAndTheMetricsDivisorAreOneNumber(String snapshot) throws IOException {
        JsonNode points = JSON.readTree(Fixtures.fixture("inferencemax/snapshots/" + snapshot
                + "/full-sweep.expected.json").toFile());
        Preflight preflight = new Preflight(ModelCatalog.of(List.of())); // no weight facts: layout, not memory
        List<String> disagreements = new ArrayList<>();
        int aggregatedMultinode = 0;
        for (JsonNode json : points) {
            MatrixPoint point = MatrixPoints.fromInferenceMax(json);
            Topology topology = TopologyCalculator.topology(point, PROFILE, null);
            ObjectNode config = ServerConfigs.synthesize(point);
            String at = point.expName() + " " + point.framework() + " " + point.runner() + " " + describe(json) + ": ";

            int slurmGpus = slurmGpus(topology);
            Map<String, Integer> engineGpus = engineGpusByRole(point, config, topology);
            int engineTotal = engineGpus.values().stream().mapToInt(Integer::intValue).sum();
            GpuCount divisor = divisor(point, topology, config);

            if (divisor.total() != engineTotal) {
                disagreements.add(at + "metrics divide by " + divisor.total() + " but the engines occupy " + engineTotal);
            }
            if (!point.multinode() && (slurmGpus != engineTotal || slurmGpus != point.tp())) {
                disagreements.add(at + "Slurm is asked for " + slurmGpus + " GPUs, the engine occupies " + engineTotal
                        + ", InferenceMAX allocates tp = " + point.tp());
            }
            if (point.multinode()) {
                // Slurm hands out whole nodes: the fewest that hold each role's workers.
                int nodesNeeded = engineGpus.values().stream()
                        .mapToInt(g -> (g + topology.gpusPerNode() - 1) / topology.gpusPerNode()).sum();
                if (topology.nodes() != nodesNeeded || slurmGpus < engineTotal) {
                    disagreements.add(at + "Slurm is asked for " + topology.nodes() + " nodes x "
                            + topology.gpusPerNode() + " GPUs for engines on " + engineGpus);
                }
                if (divisor.disaggregated() && (divisor.prefill() != engineGpus.getOrDefault(ServingRole.PREFILL, -1)
                        || divisor.decode() != engineGpus.getOrDefault(ServingRole.DECODE, -1))) {
                    disagreements.add(at + "metrics divide by " + divisor + " but the engines occupy " + engineGpus);
                }
                if (!topology.disaggregated()) {
                    aggregatedMultinode++;
                }
            }
            Optional<String> refusal = preflight.refusal(point, PROFILE, topology, config);
            refusal.ifPresent(reason -> disagreements.add(at + "refused: " + reason));
        }
        assertThat(points.size()).isGreaterThan(2000);
        assertThat(disagreements).isEmpty();
        // Both snapshots have one decode {num-worker: 0} item (dsv4-fp4-gb200-dynamo-vllm-mtp2): it was checked.
        assertThat(aggregatedMultinode).isEqualTo(1);
    }

    /** What job.sbatch asks Slurm for: --nodes x --gpus-per-node (or --gres=gpu:N). */
    private int slurmGpus(Topology topology) {
        List<String> directives = SbatchScript.directives(PROFILE, new JobDirectory(jobDir), "k", "01:00:00",
                topology.nodes(), topology.gpusPerNode());
        int nodes = directive(directives, "--nodes=");
        int perNode = directives.stream().anyMatch(d -> d.startsWith("--gres=gpu:"))
                ? Integer.parseInt(directives.stream().filter(d -> d.startsWith("--gres=gpu:")).findFirst()
                .orElseThrow().replaceAll(".*:", ""))
                : directive(directives, "--gpus-per-node=");
        return nodes * perNode;
    }

    private static int directive(List<String> directives, String prefix) {
        return Integer.parseInt(directives.stream().filter(d -> d.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length()));
    }

    /** Per role: workers x the GPUs the role's rendered engine arguments occupy by the engine's product rule. */
    private static Map<String, Integer> engineGpusByRole(MatrixPoint point, ObjectNode config, Topology topology) {
        String engine = EngineArgs.backendType(config).orElseThrow();
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (ServingRole role : ServingRole.of(point)) {
            ObjectNode args = EngineArgs.roleArgs(config, role.role()).orElseThrow(
                    () -> new AssertionError(point.configKey() + ": no engine arguments for " + role.role()));
            int perWorker = Parallelism.fromEngineArgs(engine, args).orElseThrow().gpus();
            int workers = switch (role.role()) {
                case ServingRole.PREFILL -> topology.prefillWorkers();
                case ServingRole.DECODE -> topology.decodeWorkers();
                default -> topology.aggregatedWorkers();
            };
            out.put(role.role(), workers * perWorker);
        }
        return out;
    }

    /** What collect divides by: the point as the plan writes it, read back as the ledger's point JSON is. */
    private static GpuCount divisor(MatrixPoint point, Topology topology, ObjectNode config) throws IOException {
        EnrichedPoint enriched = new EnrichedPoint(point, PROFILE.name(), topology, config, null, List.of(), null, null);
        String planned = JSON.writeValueAsString(PlanJson.point(new PlannedPoint("p", "k", enriched)));
        return GpuCount.of(PointSpec.fromJson(planned), null).orElseThrow();
    }

    private static String describe(JsonNode json) {
        return json.has("prefill") ? "P" + json.path("prefill") + " D" + json.path("decode")
                : "tp" + json.path("tp") + " ep" + json.path("ep") + " dpa " + json.path("dp-attn");
    }

    /**
     * The profile with {@code nodes} nodes, and its launcher without the single-node harness: this test is about
     * layout, and the harness's own needs (a trace corpus for agentic points) are a launch check, not a layout one.
     */
    private static ClusterProfile withNodes(ClusterProfile p, int nodes) {
        ClusterProfile.Hardware hw = p.hardware();
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.slurm(),
                new ClusterProfile.Hardware(hw.gpu(), hw.architecture(), hw.gpuMemoryGb(), hw.usableGib(),
                        hw.gpusPerNode(), nodes, hw.nvlinkDomain()),
                p.paths(), new ClusterProfile.Launcher(p.launcher().type(), p.launcher().command(),
                        p.launcher().environment()), p.deadlines(), p.features(), p.retry());
    }
}
