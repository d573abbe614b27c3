package io.sweepd.app;

import io.sweepd.plan.Planner;
import io.sweepd.preflight.ModelCatalog;
import io.sweepd.preflight.Preflight;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.render.RenderChecks;
import io.sweepd.sweep.SweepLimits;
import io.sweepd.workarounds.WorkaroundCatalog;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds the planner from settings: the data folders that ship in the jar, overlaid by the user's own
 * folders under home when they exist.
 */
public final class PlannerFactory {

    private PlannerFactory() {
    }

    public static Planner create(SweepdSettings settings) {
        return create(settings, profiles(settings));
    }

    /** With profiles already loaded (the daemon's wiring shares one catalog instead of parsing every file twice). */
    public static Planner create(SweepdSettings settings, ProfileCatalog profiles) {
        WorkaroundCatalog rules = workarounds(settings);
        ModelCatalog models = ModelCatalog.loadDefaults(userDir(settings, "sweepd.models-dir"));
        return new Planner(profiles, rules, new Preflight(models),
                settings.recipesDir(), settings.optional("sweepd.profile"), sweepLimits(settings),
                new RenderChecks(profiles));
    }

    /** The sweepd.intake.max-* settings: how large a sweep file intake, plan and schedules take. */
    public static SweepLimits sweepLimits(SweepdSettings settings) {
        return new SweepLimits(settings.getLong("sweepd.intake.max-file-bytes"),
                Math.toIntExact(settings.getLong("sweepd.intake.max-value-chars")),
                Math.toIntExact(settings.getLong("sweepd.intake.max-list-items")),
                Math.toIntExact(settings.getLong("sweepd.intake.max-points")),
                Math.toIntExact(settings.getLong("sweepd.intake.max-nesting-depth")));
    }

    public static WorkaroundCatalog workarounds(SweepdSettings settings) {
        return WorkaroundCatalog.load(true, userDir(settings, "sweepd.workarounds-dir"));
    }

    public static ProfileCatalog profiles(SweepdSettings settings) {
        return ProfileCatalog.loadDefaults(userDir(settings, "sweepd.profiles-dir"));
    }

    private static List<Path> userDir(SweepdSettings settings, String key) {
        return settings.existingDir(key).map(List::of).orElse(List.of());
    }

}
