package io.sweepd.jobs;

import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.profiles.ProfileCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Plans of the seed PR's sweep (fixtures/seed-pr) on the H200 profile, where it passes preflight: written under a
 * home of the test's, its recipes found through sweepd.recipes-dir, with an optional {@code sweep:} block.
 */
final class SeedPlans {

    static final String PROFILE = "h200-dgxc-slurm";

    private final Path home;
    private final SweepdSettings settings;

    SeedPlans(Path home) {
        this.home = home;
        this.settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString(),
                "sweepd.recipes-dir", Fixtures.fixture("seed-pr").toString()));
    }

    ProfileCatalog profiles() {
        return PlannerFactory.profiles(settings);
    }

    /** Plans the seed sweep written as {@code <subdir>/<name>.yaml}, after {@code sweepBlock} lines of its own. */
    Plan plan(String subdir, String name, String sweepBlock, String edit, String replacement) {
        try {
            String seed = Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"));
            String text = "sweep:\n  profile: " + PROFILE + "\n" + sweepBlock + seed;
            if (edit != null) {
                if (!text.contains(edit)) {
                    throw new IllegalArgumentException("the seed sweep has no " + edit);
                }
                text = text.replace(edit, replacement);
            }
            Path file = home.resolve(subdir).resolve(name + ".yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return PlannerFactory.create(settings).plan(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Plan plan(String sweepBlock) {
        return plan("sweeps", "nightly", sweepBlock, null, null);
    }
}
