package io.sweepd.render.harness;

import io.sweepd.files.FileModes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.KvOffload;
import io.sweepd.enrich.Parallelism;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.preflight.EngineArgs;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.render.RenderRequest;
import io.sweepd.render.SafeValues;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code single-node} launcher: one allocation runs one server for all of a job's concurrencies, so the model
 * loads once. sweepd writes the job's inputs as data into the job directory and ships one fixed harness script
 * that reads them; nothing from the sweep becomes shell code:
 *
 * <pre>
 * single-node.sh                 the harness (src/main/resources/harness/single-node.sh)
 * harness/settings               port=, healthy-seconds= (the deadline + HEALTH_BACKSTOP_SECONDS), stop-grace-seconds=
 * harness/environment            NAME=value entries, NUL-separated: the recipe's server environment, HF_HUB_CACHE
 * harness/server.argv            the server's argv, NUL-separated ({@link ServerCommand})
 * harness/bench-NNN-cC.argv      the benchmark client's argv per concurrency, in order ({@link BenchmarkClient};
 *                                for agentic-coding points the trace replay, {@link AgenticClient})
 * harness/eval-NNN-cC.argv       lm-eval's argv per point marked run-eval
 * harness/extra-llm-api-options.yaml   TensorRT-LLM only
 * </pre>
 *
 * The job script brings up the profile's container ({@link ContainerLaunch}) and runs
 * {@code bash single-node.sh harness} in it.
 */
public final class SingleNodeJob {

    public static final String LAUNCHER = "single-node";
    public static final String SCRIPT = "single-node.sh";
    public static final String INPUTS = "harness";
    /** How long the server gets to exit after SIGTERM before it is killed. */
    public static final int STOP_GRACE_SECONDS = 30;
    /**
     * How much longer than the healthy deadline the harness itself waits: sweepd's tracker checks the deadline every
     * poll and cancels the job naming the phase it hung in; the harness's own limit is the backstop for a job whose
     * daemon is not watching, so it must not win the race.
     */
    public static final int HEALTH_BACKSTOP_SECONDS = 30;

    private static final String SCRIPT_RESOURCE = "/harness/single-node.sh";
    // Ports the servers listen on: spread by job directory (one per run and job), so two jobs sharing a node (the
    // same sweep submitted twice included) rarely collide; the harness fails fast, saying so, when one is taken.
    private static final int PORT_BASE = 20000;
    private static final int PORT_RANGE = 10000;

    private final ClusterProfile profile;
    private final JobDirectory dir;
    private final String image;
    private final int port;
    private final int healthySeconds;
    private final Map<String, String> environment;
    private final ServerCommand.Launch server;
    private final Map<String, List<String>> clients;
    /** Directories the clients read besides the profile's paths: the agentic trace corpus. */
    private final List<String> mounts;

    private SingleNodeJob(ClusterProfile profile, JobDirectory dir, String image, int port, int healthySeconds,
                          Map<String, String> environment, ServerCommand.Launch server,
                          Map<String, List<String>> clients, List<String> mounts) {
        this.profile = profile;
        this.dir = dir;
        this.image = image;
        this.port = port;
        this.healthySeconds = healthySeconds;
        this.environment = environment;
        this.server = server;
        this.clients = clients;
        this.mounts = List.copyOf(mounts);
    }

    public static boolean appliesTo(ClusterProfile profile) {
        return LAUNCHER.equals(profile.launcher().type());
    }

    /** Everything the job runs, from its points and profile; refuses a job one node cannot run. */
    public static SingleNodeJob of(RenderRequest request, JobDirectory dir) {
        ClusterProfile profile = request.profile();
        Topology topology = request.job().topology();
        if (topology.nodes() != 1 || topology.disaggregated()) {
            throw new IllegalArgumentException("job " + request.job().jobKey() + " needs " + topology.nodes()
                    + " nodes" + (topology.disaggregated() ? " and disaggregated prefill/decode workers" : "")
                    + "; profile " + profile.name() + " uses the single-node launcher, which runs one aggregated"
                    + " server on one node: place the job on a profile with the srt-slurm launcher");
        }
        EnrichedPoint first = request.points().get(0).enriched();
        MatrixPoint point = first.point();
        ObjectNode config = first.serverConfig() != null ? first.serverConfig() : ServerConfigs.synthesize(point);
        JsonNode backend = config.path("backend");
        String engine = backend.path("type").isTextual() ? backend.path("type").textValue()
                : Parallelism.engineFor(point.framework());
        JsonNode modelPath = config.path("model").path("path");
        ModelLocation model = ModelLocation.of(profile.paths(), modelPath.isTextual() ? modelPath.textValue() : null,
                point.model(), point.modelPrefix(), point.precision());
        int port = PORT_BASE + Math.floorMod(dir.root().toString().hashCode(), PORT_RANGE);
        Path inputs = dir.root().resolve(INPUTS);
        JsonNode engineArgs = backend.path(engine + "_config").get("aggregated");
        // Every point of a job has one server configuration (the job key), so the first point's offloading is the
        // job's; the recipe's own offload arguments, when it has them, win (KvOffload).
        KvOffload offload = point.isAgentic() && !KvOffload.recipeOffloads(engineArgs)
                ? KvOffload.of(engine, point.agentic().offloading(),
                        profile.launcher().agentic().kvOffloadGbOrDefault(),
                        Parallelism.workerGpus(orOne(point.tp()), orOne(point.ep()), Boolean.TRUE.equals(point.dpAttn())),
                        Boolean.TRUE.equals(point.dpAttn()))
                : new KvOffload(Map.of(), Map.of());
        if (!offload.isEmpty()) {
            engineArgs = offload.applyTo(engineArgs);
        }
        ServerCommand.Launch server = ServerCommand.of(engine, engineArgs, model, port,
                inputs.resolve("extra-llm-api-options.yaml"));

        Map<String, String> environment = new TreeMap<>();
        if (backend.get("aggregated_environment") instanceof ObjectNode env) {
            env.properties().forEach(e -> environment.put(
                    SafeValues.envName("recipe backend.aggregated_environment name", e.getKey()),
                    e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        if (profile.paths() != null && profile.paths().hfCache() != null && !profile.paths().hfCache().isBlank()) {
            environment.put("HF_HUB_CACHE", profile.paths().hfCache());
        }
        // The recipe's environment wins here too: a rule may set a variable to another value.
        offload.environment().forEach(environment::putIfAbsent);

        BenchmarkClient client = new BenchmarkClient(server.servedName(), model.path(), port,
                profile.launcher().eval());
        AgenticClient agentic = null;
        if (point.isAgentic()) {
            String traces = profile.launcher().agentic().traces();
            if (traces == null) {
                throw new IllegalArgumentException("job " + request.job().jobKey() + " replays agentic-coding traces;"
                        + " profile " + profile.name() + " names no trace directory (launcher.agentic.traces)");
            }
            agentic = new AgenticClient(server.servedName(), model.path(), port, traces,
                    EngineArgs.maxModelLen(config, "aggregated").map(EngineArgs.Arg::value).orElse(null));
            AgenticClient.ENVIRONMENT.forEach(environment::putIfAbsent);
        }
        Map<String, List<String>> clients = new LinkedHashMap<>();
        Map<Integer, MatrixPoint> benchmarked = new TreeMap<>();
        Map<Integer, MatrixPoint> evaluated = new TreeMap<>();
        for (PlannedPoint planned : request.points()) {
            MatrixPoint p = planned.enriched().point();
            for (int conc : p.conc()) {
                if (!p.evalOnly()) {
                    benchmarked.putIfAbsent(conc, p);
                }
                if (p.runEval()) {
                    evaluated.putIfAbsent(p.evalConc() != null ? p.evalConc() : conc, p);
                }
            }
        }
        int n = 0;
        for (Map.Entry<Integer, MatrixPoint> e : benchmarked.entrySet()) {
            MatrixPoint p = e.getValue();
            clients.put(fileName("bench", ++n, e.getKey()), p.isAgentic()
                    ? agentic.benchmark(e.getKey(), p.agentic().durationSeconds(), topology.totalGpus(), dir.results())
                    : client.benchmark(e.getKey(), p.isl(), p.osl(), topology.totalGpus(), dir.results()));
        }
        n = 0;
        for (int conc : evaluated.keySet()) {
            clients.put(fileName("eval", ++n, conc), client.eval(conc, dir.results().resolve("eval-c" + conc)));
        }
        ClusterProfile.Deadlines deadlines = first.deadlines() != null ? first.deadlines() : profile.deadlines();
        return new SingleNodeJob(profile, dir, point.image(), port,
                deadlines.healthySeconds() + HEALTH_BACKSTOP_SECONDS, environment, server,
                clients, agentic == null ? List.of() : List.of(agentic.traces()));
    }

    /** The end of job.sbatch: the container, and the harness in it. */
    public String jobScriptTail() {
        return ContainerLaunch.render(profile, image, dir.root(),
                List.of("bash", script().toString(), inputs().toString()), mounts);
    }

    /** Writes the harness and its inputs into the job directory (replacing an earlier attempt's). */
    public void writeInputs() throws IOException {
        Path inputs = inputs();
        if (Files.isDirectory(inputs)) {
            try (var old = Files.list(inputs)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(inputs);
        try (InputStream harness = SingleNodeJob.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (harness == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the jar");
            }
            Files.write(script(), harness.readAllBytes());
        }
        Files.writeString(inputs.resolve("settings"), String.format(Locale.ROOT,
                "port=%d%nhealthy-seconds=%d%nstop-grace-seconds=%d%n", port, healthySeconds, STOP_GRACE_SECONDS));
        List<String> env = new ArrayList<>();
        environment.forEach((name, value) -> env.add(name + "=" + value));
        writeArgv(inputs.resolve("environment"), env);
        // The job's real environment, secret-named values included (recipe.yaml and plan.json show them redacted).
        FileModes.apply(inputs.resolve("environment"), FileModes.OWNER_ONLY.secret());
        writeArgv(inputs.resolve("server.argv"), server.argv());
        for (Map.Entry<String, List<String>> client : clients.entrySet()) {
            writeArgv(inputs.resolve(client.getKey()), client.getValue());
        }
        Optional<String> extra = server.extraOptions();
        if (extra.isPresent()) {
            Files.writeString(inputs.resolve("extra-llm-api-options.yaml"), extra.get());
        }
    }

    public ServerCommand.Launch server() {
        return server;
    }

    public int port() {
        return port;
    }

    private Path script() {
        return dir.root().resolve(SCRIPT);
    }

    private Path inputs() {
        return dir.root().resolve(INPUTS);
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }

    private static String fileName(String kind, int index, int conc) {
        return String.format(Locale.ROOT, "%s-%03d-c%d.argv", kind, index, conc);
    }

    /** NUL-terminated words, as {@code mapfile -d ''} reads them back; a NUL inside a word cannot be written. */
    private static void writeArgv(Path file, List<String> words) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (word.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(file.getFileName() + ": an argument contains a NUL byte");
            }
            out.append(word).append('\0');
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}
