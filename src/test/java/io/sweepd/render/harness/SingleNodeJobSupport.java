package io.sweepd.render.harness;

import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderRequest;
import io.sweepd.render.RenderedJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans and helpers the single-node launch path is tested with: the rendered scripts and inputs
 * ({@link SingleNodeJobTest}) and those scripts run with fake tools ({@link SingleNodeJobRunIT}).
 */
abstract class SingleNodeJobSupport {

    @TempDir
    static Path home;

    /** gpt-oss-120b on two H100s of h100-cw (single-node launcher, pyxis), concurrencies 4 to 64: one job. */
    static Plan gptoss;

    @TempDir
    Path out;

    /**
     * gpt-oss-120b on two H100s replaying agentic-coding traces (render/gptoss-agentic.yaml) on the test profile
     * h100-agentic (h100-cw with a trace directory and a 1000 GB offload pool): concurrencies 4 and 8 without
     * offload and 16 with CPU offload, one job each.
     */
    static Plan agentic;
    static ClusterProfile h100agentic;

    @BeforeAll
    static void plan() throws IOException {
        gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "h100-cw", home);
        Path profiles = Files.createDirectories(home.resolve("cluster-profiles"));
        Files.copy(RenderFixtures.resource("profiles/h100-agentic.yaml"), profiles.resolve("h100-agentic.yaml"));
        agentic = RenderFixtures.planResource("gptoss-agentic.yaml", "h100-agentic", home);
        h100agentic = ProfileCatalog.load(List.of(profiles)).byName("h100-agentic").orElseThrow();
    }

    static PlannedJob agenticJob(int conc) {
        return agentic.jobs().stream().filter(j -> j.concurrencies().contains(conc)).findFirst().orElseThrow();
    }

    static ClusterProfile h100cw() {
        return RenderFixtures.profile("h100-cw");
    }

    ClusterProfile bareMetal() {
        return withRuntime(h100cw(), "none", new ClusterProfile.Paths(out.resolve("models").toString(), null, null,
                null, Map.of()));
    }

    static UnaryOperator<EnrichedPoint> withEvalAt(int conc) {
        return p -> p.point().conc().contains(conc) ? new EnrichedPoint(p.point().withEval(true, null), p.profile(),
                p.topology(), p.serverConfig(), p.recipePath(), p.workarounds(), p.deadlines(), p.refused()) : p;
    }

    RenderedJob render(ClusterProfile profile, Path jobDir) {
        return render(profile, jobDir, UnaryOperator.identity());
    }

    RenderedJob render(ClusterProfile profile, Path jobDir, UnaryOperator<EnrichedPoint> change) {
        return new JobRenderer().render(request(profile, jobDir, change));
    }

    static RenderRequest request(ClusterProfile profile, Path jobDir, UnaryOperator<EnrichedPoint> change) {
        PlannedJob job = gptoss.jobs().get(0);
        List<PlannedPoint> points = new ArrayList<>();
        for (PlannedPoint p : gptoss.pointsOf(job)) {
            points.add(new PlannedPoint(p.id(), p.jobKey(), change.apply(p.enriched())));
        }
        return new RenderRequest(RenderFixtures.RUN_ID, gptoss.sweep().name(), job, points, profile, jobDir);
    }

    static ClusterProfile withRuntime(ClusterProfile p, String runtime, ClusterProfile.Paths paths) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                paths, runtime, p.launcher(), p.deadlines(), p.features(), p.retry(),
                p.assumed());
    }

    static ClusterProfile.Paths paths(ClusterProfile.Paths p, String venv) {
        return new ClusterProfile.Paths(p.models(), p.containers(), p.recipes(), p.hfCache(), p.modelAliases(), venv,
                p.srtSlurm(), p.srtSlurmPython());
    }

    static String value(List<String> argv, String flag) {
        int at = argv.indexOf(flag);
        assertThat(at).as(flag + " in " + argv).isNotNegative();
        return argv.get(at + 1);
    }
}
