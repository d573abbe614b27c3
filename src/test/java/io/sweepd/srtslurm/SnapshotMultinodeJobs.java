package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.Plan;
import io.sweepd.plan.Planner;
import io.sweepd.preflight.TopologyCalculator;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.sweep.SweepParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every multinode point of both InferenceMAX master-config snapshots (May and June 2026), placed by the planner
 * on its shipped profile, with the srt-slurm files sweepd writes for it. The snapshots' CONFIG_FILE recipes are not
 * in the repository (the planner refuses those points: "recipe not found"), so each point's server configuration is
 * the one sweepd synthesizes, as for a point without a recipe.
 */
final class SnapshotMultinodeJobs {

    static final List<String> SNAPSHOTS = List.of("2026-05-01", "2026-06-03");

    /** @param files null when sweepd refused to write them; {@code refusal} then says why */
    record Job(String snapshot, MatrixPoint point, ClusterProfile profile, Topology topology, SrtSlurmJobFiles files,
               String refusal) {

        String describe() {
            return snapshot + " " + point.configKey() + " " + point.isl() + "/" + point.osl() + " on " + profile.name();
        }
    }

    private SnapshotMultinodeJobs() {
    }

    static List<Job> all() throws IOException {
        Path home = Files.createTempDirectory("sweepd-srt-contract");
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString()));
        Planner planner = PlannerFactory.create(settings);
        ProfileCatalog profiles = PlannerFactory.profiles(settings);
        List<Job> jobs = new ArrayList<>();
        for (String snapshot : SNAPSHOTS) {
            Path dir = Fixtures.fixture("inferencemax/snapshots/" + snapshot);
            String text = Files.readString(dir.resolve("nvidia-master.yaml")) + "\n"
                    + Files.readString(dir.resolve("amd-master.yaml")) + "\n";
            Plan plan = planner.plan(new SweepParser().parse(text, "snapshot.yaml", dir));
            plan.points().stream().map(p -> p.enriched()).filter(e -> e.point().multinode()).forEach(e -> {
                ClusterProfile profile = profiles.byName(e.profile()).orElseThrow();
                ObjectNode config = ServerConfigs.synthesize(e.point());
                config.put("name", e.point().configKey());
                Topology topology = TopologyCalculator.topology(e.point(), profile, config);
                ClusterProfile.Deadlines deadlines = e.deadlines() == null ? profile.deadlines() : e.deadlines();
                try {
                    jobs.add(new Job(snapshot, e.point(), profile, topology, SrtSlurmJobFiles.of(config, e.point(),
                            topology, profile, "06:00:00", deadlines.healthySeconds()), null));
                } catch (IllegalArgumentException refused) {
                    jobs.add(new Job(snapshot, e.point(), profile, topology, null, refused.getMessage()));
                }
            });
        }
        return jobs;
    }
}
