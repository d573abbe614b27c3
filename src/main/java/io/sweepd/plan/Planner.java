package io.sweepd.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixExpander;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.preflight.Preflight;
import io.sweepd.preflight.TopologyCalculator;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.LaunchPath;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.recipes.RecipeLookup;
import io.sweepd.recipes.RecipeResolver;
import io.sweepd.recipes.ResolvedRecipe;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.recipes.UnresolvedRecipe;
import io.sweepd.sweep.RunnerConfig;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepLimits;
import io.sweepd.sweep.SweepParser;
import io.sweepd.workarounds.Enrichment;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.workarounds.WorkaroundEngine;
import io.sweepd.yaml.YamlFieldException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The planning half of the pipeline: expand, enrich, preflight, group. The daemon's routes call the steps one
 * by one; {@code sweepd plan} calls {@link #plan(Path)}. No step talks to Slurm.
 */
public final class Planner {

    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

    private final SweepParser parser;
    private final MatrixExpander expander;
    private final ProfileCatalog profiles;
    private final WorkaroundCatalog workarounds;
    private final Preflight preflight;
    private final Optional<Path> recipesDir;
    private final Optional<String> forcedProfile;
    private final RenderCheck renderCheck;

    /**
     * @param recipesDir    where CONFIG_FILE recipes resolve when they are not beside the sweep file
     * @param forcedProfile a profile that serves every point, whatever its runner (settings or --profile)
     */
    public Planner(ProfileCatalog profiles, WorkaroundCatalog workarounds, Preflight preflight,
                   Optional<Path> recipesDir, Optional<String> forcedProfile) {
        this(profiles, workarounds, preflight, recipesDir, forcedProfile, SweepLimits.DEFAULT, RenderCheck.NONE);
    }

    /**
     * @param limits      how large a sweep it reads and expands (points per sweep)
     * @param renderCheck what rendering would refuse, refused while planning (render.RenderChecks)
     */
    public Planner(ProfileCatalog profiles, WorkaroundCatalog workarounds, Preflight preflight,
                   Optional<Path> recipesDir, Optional<String> forcedProfile, SweepLimits limits,
                   RenderCheck renderCheck) {
        this.renderCheck = renderCheck;
        this.parser = new SweepParser(limits);
        this.expander = new MatrixExpander(limits.maxPoints());
        this.profiles = profiles;
        this.workarounds = workarounds;
        this.preflight = preflight;
        this.recipesDir = recipesDir;
        this.forcedProfile = forcedProfile;
    }

    public Plan plan(Path sweepFile) {
        return plan(parser.parse(sweepFile));
    }

    /** The whole plan in one call (what the daemon's routes do point by point: expand, enrich, preflight, group). */
    public Plan plan(SweepFile sweep) {
        SweepPlanning planning = planning(sweep);
        return group(sweep, expand(sweep).stream()
                .map(point -> preflightPoint(planning, enrichPoint(planning, point))).toList());
    }

    public List<MatrixPoint> expand(SweepFile sweep) {
        return expander.expand(sweep, engine(sweep)::excludedFromEvals);
    }

    /**
     * What enriching and preflighting a sweep's points needs, resolved once per sweep (the daemon's routes then
     * handle its points one at a time): where its recipes resolve, the profile it is placed on, its rules.
     */
    public SweepPlanning planning(SweepFile sweep) {
        WorkaroundEngine engine = engine(sweep);
        if (!sweep.settings().disableWorkarounds().isEmpty()) {
            LOG.warn("sweep {}: workaround rules disabled by the sweep file: {}", sweep.name(),
                    sweep.settings().disableWorkarounds());
        }
        return new SweepPlanning(sweep, new RecipeResolver(sweep.baseDir(), recipesDir),
                forcedProfile.or(() -> Optional.ofNullable(sweep.settings().profile())), engine,
                sweep.settings().overridePreflight().contains("memory"));
    }

    /** Places one point on its cluster profile, resolves its recipe and applies the workaround rules. */
    public EnrichedPoint enrichPoint(SweepPlanning planning, MatrixPoint point) {
        return enrich(point, planning.recipes(), planning.profileName(), planning.engine(), planning.sweep().runners());
    }

    /**
     * Refuses one enriched point if it cannot run (pool size, memory, sequence length); a point refused during
     * enrichment stays as it is.
     */
    public EnrichedPoint preflightPoint(SweepPlanning planning, EnrichedPoint point) {
        return preflight(point, planning.memoryOverridden());
    }

    /** A sweep's planning inputs, resolved once by {@link #planning(SweepFile)}. */
    public record SweepPlanning(SweepFile sweep, RecipeResolver recipes, Optional<String> profileName,
                                WorkaroundEngine engine, boolean memoryOverridden) {
    }

    /** The shipped rules less those the sweep disables (to reproduce a failure, or when a rule is wrong for it). */
    private WorkaroundEngine engine(SweepFile sweep) {
        List<String> disabled = sweep.settings().disableWorkarounds();
        if (disabled.isEmpty()) {
            return new WorkaroundEngine(workarounds);
        }
        try {
            return new WorkaroundEngine(workarounds.without(new LinkedHashSet<>(disabled)));
        } catch (IllegalArgumentException e) {
            throw new YamlFieldException(sweep.source() == null ? sweep.name() : sweep.source().getFileName().toString(),
                    0, 0, "sweep.disable-workarounds", e.getMessage());
        }
    }

    /**
     * A point placed on one runner node (the generator's runner-node-filter and runner-model-sweep write node
     * names such as {@code h100-dgxc-slurm_03} as the runner): the profile of the node's cluster (its name
     * before the last {@code _}) when that profile serves the node's label in runners.yaml, else the label's
     * default profile.
     */
    private Optional<ClusterProfile> profileOfNode(String node, RunnerConfig runners) {
        return runners.labelOfNode(node).flatMap(label -> {
            int cut = node.lastIndexOf('_');
            Optional<ClusterProfile> cluster = cut > 0 ? profiles.byName(node.substring(0, cut)) : Optional.empty();
            return cluster.filter(p -> p.runners().contains(label)).or(() -> profiles.forRunner(label));
        });
    }

    public Plan group(SweepFile sweep, List<EnrichedPoint> points) {
        return JobGrouping.plan(sweep, points,
                (name, multinode) -> profiles.byName(name).map(p -> LaunchPath.of(p, multinode)).orElse(null));
    }

    private EnrichedPoint preflight(EnrichedPoint point, boolean memoryOverridden) {
        if (point.isRefused()) {
            return point;
        }
        ClusterProfile profile = profiles.byName(point.profile()).orElseThrow();
        Preflight.Verdict verdict = preflight.check(point.point(), profile, point.topology(), point.serverConfig(),
                memoryOverridden);
        verdict.notes().stream().filter(note -> note.contains("OVERRIDDEN"))
                .forEach(note -> LOG.warn("point {} ({}): {}", point.point().configKey(), point.point().expName(), note));
        return verdict.refusalReason().or(() -> renderCheck.pointRefusal(point)).map(point::refuse).orElse(point);
    }

    private EnrichedPoint enrich(MatrixPoint point, RecipeResolver recipes, Optional<String> profileName,
                                 WorkaroundEngine workarounds, RunnerConfig runners) {
        Optional<ClusterProfile> profile = profileName.isPresent()
                ? profiles.byName(profileName.get())
                : profiles.forRunner(point.runner()).or(() -> profileOfNode(point.runner(), runners));
        if (profile.isEmpty()) {
            return new EnrichedPoint(point, null, null, ServerConfigs.synthesize(point), null, List.of(), null,
                    noProfileReason(point, profileName));
        }
        ObjectNode baseConfig = ServerConfigs.synthesize(point);
        String recipePath = null;
        String recipeProblem = null;
        Optional<RecipeLookup> lookup = recipes.resolve(point);
        if (lookup.isPresent()) {
            if (lookup.get() instanceof ResolvedRecipe resolved) {
                baseConfig = resolved.tree();
                recipePath = resolved.reference();
            } else if (lookup.get() instanceof UnresolvedRecipe unresolved) {
                recipeProblem = unresolved.reason();
            }
        }
        Enrichment enrichment = workarounds.apply(point, profile.get(), baseConfig);
        Topology topology = TopologyCalculator.topology(point, profile.get(), enrichment.patchedConfig());
        String refused = recipeProblem != null ? recipeProblem : enrichment.refusal();
        return new EnrichedPoint(point, profile.get().name(), topology, enrichment.patchedConfig(), recipePath,
                enrichment.applied(), enrichment.effectiveDeadlines(profile.get()), refused);
    }

    private String noProfileReason(MatrixPoint point, Optional<String> profileName) {
        String known = profiles.all().stream().map(ClusterProfile::name).sorted().collect(Collectors.joining(", "));
        return profileName
                .map(name -> "no cluster profile named '" + name + "' (known: " + known + ")")
                .orElseGet(() -> "no cluster profile serves runner '" + point.runner() + "' (profiles: " + known
                        + "); add one to cluster-profiles/ or place the sweep with --profile");
    }
}
