package io.sweepd.render;

import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Real plans for render and simulator tests: the shipped profiles, workarounds and model facts, on the sweeps in
 * src/test/resources/render/ and the seed PR's sweep.
 */
public final class RenderFixtures {

    public static final String RUN_ID = "test-run-20250101-000000";

    private RenderFixtures() {
    }

    /** Plans a sweep with every point placed on {@code profile} (null: by runner). */
    public static Plan plan(Path sweep, String profile, Path home) {
        Map<String, String> overrides = new java.util.HashMap<>();
        overrides.put("sweepd.home", home.toString());
        if (profile != null) {
            overrides.put("sweepd.profile", profile);
        }
        return PlannerFactory.create(SweepdSettings.load(null, Map.of(), overrides)).plan(sweep);
    }

    public static Plan planResource(String name, String profile, Path home) {
        return plan(resource(name), profile, home);
    }

    /** The seed PR's sweep on the H200 cluster profile, where it passes preflight: two 32-GPU jobs. */
    public static Plan seedOnH200(Path home) {
        return plan(Fixtures.fixture("seed-pr/sweep.yaml"), "h200-dgxc-slurm", home);
    }

    public static Path resource(String name) {
        try {
            return Path.of(RenderFixtures.class.getResource("/render/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource render/" + name + " is missing", e);
        }
    }

    public static ClusterProfile profile(String name) {
        return ProfileCatalog.loadDefaults().byName(name)
                .orElseThrow(() -> new IllegalStateException("no shipped profile " + name));
    }

    public static RenderRequest request(Plan plan, PlannedJob job, ClusterProfile profile, Path jobDir) {
        return new RenderRequest(RUN_ID, plan.sweep().name(), job, plan.pointsOf(job), profile, jobDir);
    }

    /** Renders the plan's only (or first) job on the profile the plan placed it on. */
    public static RenderedJob renderFirst(Plan plan, Path jobDir) {
        PlannedJob job = plan.jobs().get(0);
        return new JobRenderer().render(request(plan, job, profile(job.profile()), jobDir));
    }

    public static ClusterProfile withSlurm(ClusterProfile p, ClusterProfile.Slurm slurm) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), slurm, p.hardware(), p.paths(),
                p.launcher(), p.deadlines(), p.features(), p.retry());
    }

    /** The profile as it is, with {@code environment} exported by its job scripts. */
    public static ClusterProfile withEnvironment(ClusterProfile p, Map<String, String> environment) {
        ClusterProfile.Launcher l = p.launcher();
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                p.paths(), p.containerRuntime(), new ClusterProfile.Launcher(l.type(), l.command(), environment,
                l.singleNodeType(), l.eval()), p.deadlines(), p.features(), p.retry(),
                p.assumed());
    }

    public static ClusterProfile withLauncher(ClusterProfile p, String type, List<String> command,
                                              Map<String, String> environment) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.slurm(), p.hardware(), p.paths(),
                new ClusterProfile.Launcher(type, command, environment), p.deadlines(), p.features(), p.retry());
    }
}
