package io.sweepd.profiles;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sweepd.Fixtures;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.matrix.MatrixPoints;
import io.sweepd.preflight.ModelCatalog;
import io.sweepd.preflight.Preflight;
import io.sweepd.preflight.TopologyCalculator;
import io.sweepd.recipes.ServerConfigs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped profiles against InferenceMAX's own data, both snapshots whole: every runner label of
 * runners.yaml and of the generator's output finds a cluster, the one its nodes say, and the real H100 points
 * fit the H100 pool.
 */
class InferenceMaxClusterProfilesTest {

    private static final ProfileCatalog SHIPPED = ProfileCatalog.load(List.of(Path.of("cluster-profiles")));

    /** Runner node names whose prefix is not their launch script's: launch_b200-dgxc-slurm.sh became launch_b200-dgxc.sh. */
    private static final Map<String, String> RENAMED_CLUSTERS = Map.of("b200-dgxc-slurm", "b200-dgxc");

    /** What preflight's placement check says when a point does not fit the pool or a node. */
    private static final Pattern PLACEMENT_REFUSAL = Pattern.compile("needs \\d+ nodes|GPUs in one node|GPUs per node");

    private static Map<String, List<String>> runners(String snapshot) throws IOException {
        return new YAMLMapper().readValue(
                Fixtures.fixture("inferencemax/snapshots/" + snapshot + "/runners.yaml").toFile(),
                new TypeReference<LinkedHashMap<String, List<String>>>() { });
    }

    /** The cluster a runner node belongs to: its name before the last `_` (InferenceMAX's launch_${RUNNER_NAME%%_*}.sh). */
    private static String clusterOf(String node) {
        int cut = node.lastIndexOf('_');
        String prefix = cut < 0 ? node : node.substring(0, cut);
        return RENAMED_CLUSTERS.getOrDefault(prefix, prefix);
    }

    /** The points the generator wrote for a snapshot that sweepd's reader understands (agentic points have no isl/osl). */
    private static List<MatrixPoint> points(String snapshot) throws IOException {
        JsonNode all = new ObjectMapper().readTree(
                Fixtures.fixture("inferencemax/snapshots/" + snapshot + "/full-sweep.expected.json").toFile());
        List<MatrixPoint> points = new ArrayList<>();
        for (JsonNode json : all) {
            if (json.hasNonNull("isl") && json.hasNonNull("osl")) {
                points.add(MatrixPoints.fromInferenceMax(json));
            }
        }
        return points;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void everyRunnerNodeIsServedByTheProfileOfItsCluster(String snapshot) throws IOException {
        runners(snapshot).forEach((label, nodes) -> {
            for (String node : nodes) {
                assertThat(SHIPPED.byName(clusterOf(node)))
                        .as("profile for node %s of runner %s", node, label)
                        .hasValueSatisfying(p -> assertThat(p.runners()).contains(label));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void aLabelOnSeveralClustersGoesToTheClusterWithMostOfItsNodes(String snapshot) throws IOException {
        runners(snapshot).forEach((label, nodes) -> {
            Map<String, Integer> perCluster = new TreeMap<>();
            nodes.forEach(node -> perCluster.merge(clusterOf(node), 1, Integer::sum));
            String most = perCluster.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();

            assertThat(SHIPPED.forRunner(label)).as("default profile of %s", label)
                    .map(ClusterProfile::name).contains(most);
            assertThat(SHIPPED.servingRunner(label)).extracting(ClusterProfile::name)
                    .containsExactlyInAnyOrderElementsOf(perCluster.keySet());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void everyPointOfTheWholeSnapshotHasAProfile(String snapshot) throws IOException {
        List<MatrixPoint> points = points(snapshot);

        assertThat(points).hasSizeGreaterThan(1000);
        assertThat(points).allSatisfy(point ->
                assertThat(SHIPPED.forRunner(point.runner())).as("profile for runner %s", point.runner()).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void noRealPointIsRefusedForPlacement(String snapshot) throws IOException {
        Preflight preflight = new Preflight(ModelCatalog.load(List.of(Path.of("models"))));
        List<String> refused = new ArrayList<>();
        for (MatrixPoint point : points(snapshot)) {
            ClusterProfile profile = SHIPPED.forRunner(point.runner()).orElseThrow();
            var config = ServerConfigs.synthesize(point);
            Topology topology = TopologyCalculator.topology(point, profile, config);
            String refusal = preflight.check(point, profile, topology, config).refusal();
            if (refusal != null && PLACEMENT_REFUSAL.matcher(refusal).find()) {
                refused.add(point.configKey() + " " + point.runner() + ": " + refusal);
            }
        }

        assertThat(refused).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01"})
    void theSeventyRealH100PointsOfMayFitTheH100Cluster(String snapshot) throws IOException {
        List<MatrixPoint> h100 = points(snapshot).stream().filter(p -> p.runner().startsWith("h100")).toList();
        ClusterProfile cluster = SHIPPED.byName("h100-dgxc-slurm").orElseThrow();

        assertThat(h100).hasSize(70);
        int mostNodes = h100.stream()
                .map(p -> TopologyCalculator.topology(p, cluster, ServerConfigs.synthesize(p)).nodes())
                .max(Comparator.naturalOrder()).orElseThrow();
        assertThat(mostNodes).as("nodes of the largest real H100 point").isEqualTo(cluster.hardware().nodes());
        assertThat(h100).allSatisfy(p -> assertThat(SHIPPED.forRunner(p.runner())).contains(cluster));
    }
}
