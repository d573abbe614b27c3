package io.sweepd.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.JobGrouping;
import io.sweepd.plan.RenderCheck;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.srtslurm.SrtSlurmJobFiles;

import java.util.Optional;
import java.util.function.Function;

/**
 * The checks {@link JobRenderer} makes of the values a sweep brings (with {@link SafeValues}), for planning to ask
 * before anything is rendered: one list of checks, so {@code sweepd plan} and the daemon refuse exactly what render
 * would.
 */
public final class RenderChecks implements RenderCheck {

    private final Function<String, Optional<ClusterProfile>> profiles;

    /** The values' checks only. */
    public RenderChecks() {
        this(name -> Optional.empty());
    }

    /**
     * Also what srtctl would reject in the recipe of a point on an srt-slurm profile (a model with no path on the
     * cluster, say): render refuses that too, and without it {@code plan} called such a sweep fine while the daemon
     * moved it to .error/ (found by SweepPlanFuzzTest: a multinode entry whose model was replaced by "8").
     */
    public RenderChecks(ProfileCatalog profiles) {
        this(profiles::byName);
    }

    private RenderChecks(Function<String, Optional<ClusterProfile>> profiles) {
        this.profiles = profiles;
    }

    @Override
    public Optional<String> pointRefusal(EnrichedPoint point) {
        try {
            check("", point);
        } catch (UnsafeValueException e) {
            return Optional.of("render would refuse it: " + e.getMessage());
        }
        return srtctlRefusal(point);
    }

    /** What {@link SrtSlurmJobFiles} refuses when render builds this point's srt-slurm files, if anything. */
    private Optional<String> srtctlRefusal(EnrichedPoint point) {
        Optional<ClusterProfile> profile = point.profile() == null ? Optional.empty() : profiles.apply(point.profile());
        if (profile.isEmpty() || !SbatchScript.SRT_SLURM.equals(profile.get().launcher().type())
                || point.topology() == null) {
            return Optional.empty();
        }
        ClusterProfile.Deadlines deadlines = point.deadlines() == null ? profile.get().deadlines() : point.deadlines();
        try {
            SrtSlurmJobFiles.of(JobRenderer.recipe(point, point.point().configKey(), point.point().conc()),
                    point.point(), point.topology(), profile.get(),
                    SlurmTime.jobLimit(profile.get().slurm().timeLimit(), deadlines.totalSeconds()),
                    deadlines.healthySeconds());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("render would refuse it: " + e.getMessage().replace("\n  ", "; "));
        }
    }

    /** Throws {@link UnsafeValueException} naming the first value of the point a job may not carry. */
    static void check(String at, EnrichedPoint point) {
        MatrixPoint p = point.point();
        SafeValues.token(at + "config key", p.configKey());
        SafeValues.token(at + "image", p.image());
        SafeValues.token(at + "model", p.model());
        SafeValues.token(at + "model-prefix", p.modelPrefix());
        SafeValues.token(at + "precision", p.precision());
        SafeValues.token(at + "framework", p.framework());
        SafeValues.token(at + "runner", p.runner());
        if (point.profile() != null) {
            SafeValues.name(at + "profile name", point.profile());
        }
        // The job key is made of the model-prefix and names the job's directory and Slurm job (found by
        // SweepPlanFuzzTest: a model-prefix "CONFIG_FILE=x.yaml" planned, then render refused its job key).
        SafeValues.name(at + "job key (from model-prefix)", JobGrouping.jobKey(point));
        ObjectNode config = point.serverConfig();
        if (config != null) {
            tokenIfText(at + "recipe name", config.get("name"));
            tokenIfText(at + "recipe model.path", config.path("model").get("path"));
            tokenIfText(at + "recipe model.container", config.path("model").get("container"));
        }
    }

    private static void tokenIfText(String what, JsonNode node) {
        if (node != null && node.isTextual()) {
            SafeValues.token(what, node.textValue());
        }
    }
}
