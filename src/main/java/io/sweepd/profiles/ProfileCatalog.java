package io.sweepd.profiles;

import io.sweepd.files.CatalogFiles;
import io.sweepd.profiles.ProfileReader.Parsed;
import io.sweepd.yaml.YamlFieldException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster profiles sweepd knows, by name and by the InferenceMAX runner labels they serve.
 *
 * <p>Profiles come from {@code cluster-profiles/} in the jar and from directories the user configures;
 * a later source replaces an earlier profile of the same name (the file name without {@code .yaml}),
 * so a user's {@code h100-dgxc-slurm.yaml} overrides the shipped one. A runner label may be served by several
 * profiles (InferenceMAX's {@code h100} runners live on three clusters); its points go to the one with the most
 * of the label's runners.yaml nodes unless the sweep names a profile, and a tie is an error, never file order.
 */
public final class ProfileCatalog {

    /** The classpath folder the build packages the top-level {@code cluster-profiles/} into. */
    public static final String CLASSPATH_FOLDER = "cluster-profiles";

    private static final Set<String> GPU_DIRECTIVES = Set.of("gpus-per-node", "gres");
    private static final Set<String> LAUNCHERS = Set.of("srt-slurm", "single-node", "command");
    private static final Set<String> CONTAINER_RUNTIMES = Set.of("pyxis", "docker", "apptainer", "none");
    private static final Set<String> SINGLE_NODE_RUNTIMES = Set.of("pyxis", "apptainer", "none");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    // Slurm's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
    private static final Pattern TIME_LIMIT = Pattern.compile(
            "(?:(\\d+)-)?(\\d+)(?::(\\d+))?(?::(\\d+))?");

    private final Map<String, ClusterProfile> byName;
    private final Map<String, ClusterProfile> byRunner;
    private final Map<String, String> sources;

    private ProfileCatalog(Map<String, ClusterProfile> byName, Map<String, ClusterProfile> byRunner,
                           Map<String, String> sources) {
        this.byName = byName;
        this.byRunner = byRunner;
        this.sources = sources;
    }

    /** Every {@code *.yaml} in each directory; later directories override earlier ones by name. */
    public static ProfileCatalog load(List<Path> dirs) {
        List<List<CatalogFiles.Source>> layers = new ArrayList<>();
        for (Path dir : dirs) {
            layers.add(CatalogFiles.fromDirectory(dir));
        }
        return of(layers);
    }

    /** The profiles shipped in the jar ({@code cluster-profiles/index.txt} lists them). */
    public static ProfileCatalog loadDefaults() {
        return loadDefaults(List.of());
    }

    /** The shipped profiles, then each directory in turn overriding them by name. */
    public static ProfileCatalog loadDefaults(List<Path> overrideDirs) {
        return loadDefaults(CatalogFiles.defaultLoader(), overrideDirs);
    }

    static ProfileCatalog loadDefaults(ClassLoader loader, List<Path> overrideDirs) {
        List<List<CatalogFiles.Source>> layers = new ArrayList<>();
        layers.add(CatalogFiles.fromClasspath(loader, CLASSPATH_FOLDER));
        for (Path dir : overrideDirs) {
            layers.add(CatalogFiles.fromDirectory(dir));
        }
        return of(layers);
    }

    /** Builds a catalog from already-read files, one list per source in override order. */
    public static ProfileCatalog of(List<List<CatalogFiles.Source>> layers) {
        Map<String, Parsed> parsedByName = new LinkedHashMap<>();
        for (List<CatalogFiles.Source> layer : layers) {
            for (CatalogFiles.Source source : layer) {
                Parsed parsed = parsedProfile(source);
                parsedByName.remove(parsed.value().name()); // re-insert: the winner keeps a predictable order
                parsedByName.put(parsed.value().name(), parsed);
            }
        }
        Map<String, ClusterProfile> byName = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        Map<String, List<Parsed>> servers = new TreeMap<>();
        for (Parsed parsed : parsedByName.values()) {
            ClusterProfile profile = parsed.value();
            byName.put(profile.name(), profile);
            sources.put(profile.name(), parsed.file());
            for (String runner : profile.runners()) {
                servers.computeIfAbsent(runner, r -> new ArrayList<>()).add(parsed);
            }
        }
        Map<String, ClusterProfile> byRunner = new TreeMap<>();
        servers.forEach((runner, candidates) -> byRunner.put(runner, defaultFor(runner, candidates)));
        return new ProfileCatalog(byName, byRunner, sources);
    }

    /**
     * The profile that takes a runner's points when the sweep names none: the only one serving it, else the
     * one with the most of the runner's nodes ({@code runner-nodes}, counted from InferenceMAX's runners.yaml).
     * A tie would leave the choice to file order, so it is an error.
     */
    private static ClusterProfile defaultFor(String runner, List<Parsed> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0).value();
        }
        List<Parsed> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingInt(
                (Parsed c) -> c.value().runnerNodesOf(runner)).reversed());
        Parsed first = ranked.get(0);
        Parsed second = ranked.get(1);
        if (first.value().runnerNodesOf(runner) == second.value().runnerNodesOf(runner)) {
            throw second.fail("runners", "runner '" + runner + "' is served by profiles '" + first.value().name()
                    + "' (" + first.file() + ") and '" + second.value().name() + "' with "
                    + first.value().runnerNodesOf(runner) + " runner-nodes each; the default placement must not"
                    + " depend on file order: give each its runner-nodes count for '" + runner
                    + "' (the nodes runners.yaml lists), or remove the runner from one of them");
        }
        return first.value();
    }

    /** Reads and checks one profile file; its name is the file name without {@code .yaml}. */
    public static ClusterProfile parse(CatalogFiles.Source source) {
        return parsedProfile(source).value();
    }

    private static Parsed parsedProfile(CatalogFiles.Source source) {
        String stem = source.stem();
        if (!NAME.matcher(stem).matches()) {
            throw new YamlFieldException(source.name(), 0, 0, null,
                    "a profile file name must be lower-case letters, digits, '.', '_' or '-' before .yaml");
        }
        Parsed parsed = ProfileReader.read(source);
        ClusterProfile profile = parsed.value();
        if (profile.name() != null && !profile.name().equals(stem)) {
            throw parsed.fail("name", "is '" + profile.name() + "' but the file is " + source.fileName()
                    + "; a profile's name is its file name (leave 'name' out or make them equal)");
        }
        check(parsed);
        if (profile.name() == null) {
            return parsed.withValue(profile.named(stem));
        }
        return parsed;
    }

    /** Checks a type cannot express: allowed words, positive counts, deadlines that fit the time limit. */
    private static void check(Parsed parsed) {
        ClusterProfile p = parsed.value();
        Set<String> seen = new HashSet<>();
        for (String runner : p.runners()) {
            if (runner == null || runner.isBlank()) {
                throw parsed.fail("runners", "a runner label is empty");
            }
            if (!seen.add(runner)) {
                throw parsed.fail("runners", "lists '" + runner + "' twice");
            }
        }
        p.runnerNodes().forEach((runner, count) -> {
            if (!seen.contains(runner)) {
                throw parsed.fail(List.of("runner-nodes", runner), "counts nodes of runner '" + runner
                        + "', which 'runners' does not list");
            }
            if (count == null || count < 1) {
                throw parsed.fail(List.of("runner-nodes", runner), "must be a positive node count, found " + count);
            }
        });
        if (p.containerRuntime() != null && !CONTAINER_RUNTIMES.contains(p.containerRuntime())) {
            throw parsed.fail("container-runtime", "is '" + p.containerRuntime()
                    + "'; expected pyxis, docker, apptainer or none");
        }
        p.assumed().forEach((fact, why) -> {
            if (fact.equals("assumed") || fact.startsWith("assumed.") || !parsed.has(fact)) {
                throw parsed.fail(List.of("assumed", fact), "names '" + fact + "', which this profile does not"
                        + " set; an assumption must name a key of the profile (hardware.usable-gib, slurm.partition...)");
            }
            if (why == null || why.isBlank()) {
                throw parsed.fail(List.of("assumed", fact), "says nothing; say how the assumed value was derived");
            }
        });
        if (!GPU_DIRECTIVES.contains(p.slurm().gpuDirective())) {
            throw parsed.fail("slurm.gpu-directive", "is '" + p.slurm().gpuDirective()
                    + "'; expected gpus-per-node (--gpus-per-node=N) or gres (--gres=gpu[:type]:N)");
        }
        if (p.slurm().timeLimit() != null) {
            long limit = timeLimitSeconds(p.slurm().timeLimit());
            if (limit < 0) {
                throw parsed.fail("slurm.time-limit", "'" + p.slurm().timeLimit()
                        + "' is not a Slurm time (minutes, HH:MM:SS or D-HH:MM:SS)");
            }
            if (limit > 0 && p.deadlines().totalSeconds() > limit) {
                throw parsed.fail("deadlines.total-seconds", p.deadlines().totalSeconds()
                        + " s exceeds the Slurm time limit " + p.slurm().timeLimit() + " (" + limit
                        + " s): Slurm would kill the job before sweepd's deadline could name the phase it hung in");
            }
        }
        ClusterProfile.Hardware hw = p.hardware();
        positive(parsed, "hardware.gpu-memory-gb", hw.gpuMemoryGb());
        positive(parsed, "hardware.usable-gib", hw.usableGib());
        positive(parsed, "hardware.gpus-per-node", hw.gpusPerNode());
        positive(parsed, "hardware.nodes", hw.nodes());
        positive(parsed, "hardware.nvlink-domain", hw.nvlinkDomain());
        if (hw.gpu().isBlank()) {
            throw parsed.fail("hardware.gpu", "is empty; expected the GPU model in lower case (h100, h200, gb200)");
        }
        if (!LAUNCHERS.contains(p.launcher().type())) {
            throw parsed.fail("launcher.type", "is '" + p.launcher().type() + "'; expected srt-slurm, single-node or"
                    + " command" + ("simulator".equals(p.launcher().type()) ? " (the engine simulator is no longer a"
                    + " launcher: it stands in for the engine behind the real ones, see cluster-profiles/local.yaml)"
                    : ""));
        }
        String singleNodeType = p.launcher().singleNodeType();
        if (singleNodeType != null && !LAUNCHERS.contains(singleNodeType)) {
            throw parsed.fail("launcher.single-node-type", "is '" + singleNodeType
                    + "'; expected srt-slurm, single-node or command");
        }
        boolean runsSingleNode = p.launcher().type().equals("single-node") || "single-node".equals(singleNodeType);
        if (runsSingleNode
                && (p.containerRuntime() == null || !SINGLE_NODE_RUNTIMES.contains(p.containerRuntime()))) {
            throw parsed.fail("container-runtime", "is " + (p.containerRuntime() == null ? "not set"
                    : "'" + p.containerRuntime() + "'") + "; the single-node launcher runs its server with pyxis,"
                    + " apptainer or none (bare metal)");
        }
        if (runsSingleNode && "apptainer".equals(p.containerRuntime())
                && (p.paths().containers() == null || p.paths().containers().isBlank())) {
            throw parsed.fail("paths.containers", "is required with container-runtime apptainer: the pulled"
                    + " .sif images are cached there");
        }
        if (p.launcher().type().equals("command") && p.launcher().command().isEmpty()) {
            throw parsed.fail("launcher.command", "is required when launcher.type is command");
        }
        ClusterProfile.Eval eval = p.launcher().eval();
        if (eval.tasks().stream().anyMatch(task -> task == null || task.isBlank())) {
            throw parsed.fail("launcher.eval.tasks", "names an empty task; expected lm-eval task names (gsm8k)");
        }
        if (eval.includePath() != null && !eval.includePath().startsWith("/")) {
            throw parsed.fail("launcher.eval.include-path", "is '" + eval.includePath() + "'; it must be an"
                    + " absolute directory on the cluster (the job runs lm-eval from the job directory)");
        }
        ClusterProfile.Agentic agentic = p.launcher().agentic();
        // Mounted into the container as src:dst in a comma-separated list, like the models and the hub cache.
        if (agentic.traces() != null && (!agentic.traces().startsWith("/") || agentic.traces().contains(",")
                || agentic.traces().contains(":"))) {
            throw parsed.fail("launcher.agentic.traces", "is '" + agentic.traces() + "'; it must be an absolute"
                    + " directory on the cluster without ',' or ':' (it is mounted into the job's container)");
        }
        if (agentic.kvOffloadGb() != null) {
            positive(parsed, "launcher.agentic.kv-offload-gb", agentic.kvOffloadGb());
        }
        ClusterProfile.Deadlines d = p.deadlines();
        positive(parsed, "deadlines.first-log-seconds", d.firstLogSeconds());
        positive(parsed, "deadlines.healthy-seconds", d.healthySeconds());
        positive(parsed, "deadlines.total-seconds", d.totalSeconds());
        if (d.healthySeconds() > d.totalSeconds() || d.firstLogSeconds() > d.totalSeconds()) {
            throw parsed.fail("deadlines.total-seconds", d.totalSeconds()
                    + " s is shorter than the first-log or healthy deadline");
        }
        positive(parsed, "retry.max-attempts", p.retry().maxAttempts());
        positiveLimit(parsed, "limits.max-queued-jobs", p.limits().maxQueuedJobs());
        positiveLimit(parsed, "limits.submissions-per-minute", p.limits().submissionsPerMinute());
    }

    /** A limit is absent (no limit) or at least 1: a limit of 0 would hold every job of the profile forever. */
    private static void positiveLimit(Parsed parsed, String field, Integer value) {
        if (value != null && value < 1) {
            throw parsed.fail(field, "must be a positive whole number, found " + value
                    + "; leave it out for no limit");
        }
    }

    private static void positive(Parsed parsed, String field, double value) {
        if (!(value > 0)) {
            throw parsed.fail(field, "must be greater than 0, found " + value);
        }
    }

    /** Seconds in a Slurm time limit; 0 for "infinite"/"unlimited"; -1 when unreadable. */
    static long timeLimitSeconds(String limit) {
        String text = limit.strip();
        if (text.equalsIgnoreCase("infinite") || text.equalsIgnoreCase("unlimited")) {
            return 0;
        }
        Matcher m = TIME_LIMIT.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long a = Long.parseLong(m.group(2));
        Long b = m.group(3) == null ? null : Long.parseLong(m.group(3));
        Long c = m.group(4) == null ? null : Long.parseLong(m.group(4));
        if (m.group(1) != null) {
            // D-H, D-H:M, D-H:M:S
            return days * 86400 + a * 3600 + (b == null ? 0 : b * 60) + (c == null ? 0 : c);
        }
        if (b == null) {
            return a * 60;                  // M
        }
        if (c == null) {
            return a * 60 + b;              // M:S
        }
        return a * 3600 + b * 60 + c;       // H:M:S
    }

    public Optional<ClusterProfile> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The profile a point on this runner is placed on unless the sweep names one (see {@link #defaultFor}). */
    public Optional<ClusterProfile> forRunner(String runnerLabel) {
        return Optional.ofNullable(byRunner.get(runnerLabel));
    }

    /** Every profile that lists the runner, by name: the clusters a point on it could run on. */
    public List<ClusterProfile> servingRunner(String runnerLabel) {
        return byName.values().stream().filter(p -> p.runners().contains(runnerLabel)).toList();
    }

    /** Every profile, by name. */
    public List<ClusterProfile> all() {
        return List.copyOf(byName.values());
    }

    /** Where the profile in force came from (a path, or {@code classpath:...}), for plans and error messages. */
    public Optional<String> sourceOf(String name) {
        return Optional.ofNullable(sources.get(name));
    }
}
