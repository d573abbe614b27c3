package io.sweepd.sim;

import com.sun.net.httpserver.HttpServer;
import io.sweepd.core.JobDirectory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * TEST TOOL, never part of sweepd's jar: a stand-in for the GPU inference engine, for machines without GPUs. It
 * answers to the commands a real job runs, so the job script sweepd renders runs unchanged on the local test
 * cluster and only the engine is simulated. {@code scripts/engine-stand-in.sh install DIR} puts shims for these
 * commands into {@code DIR/bin}; the local profiles name that directory as their venv (the single-node harness
 * puts it first on PATH) and its {@code python3} as srt-slurm's python:
 *
 * <pre>
 * python3 -m srtctl.cli.do_sweep RECIPE          srt-slurm's in-allocation sweep: workers, health, every
 *                                               concurrency, the eval; output in $SRTCTL_OUTPUT_DIR/logs as srtctl's
 * vllm serve MODEL --port P ...                  a server behind the single-node harness: starts, loads, warms up,
 * python3 -m sglang.launch_server ... --port P    then answers GET /health on 127.0.0.1:P until SIGTERM, or dies the
 * trtllm-serve MODEL --port P ...                 way the seed PR's servers died
 * vllm bench serve ... --max-concurrency C --result-dir D --result-filename F
 *                                               the benchmark client: checks the server, writes D/F
 * lm_eval ... --model_args base_url=... --output_path O
 *                                               lm-eval: checks the server, writes O/&lt;model&gt;/results_&lt;time&gt;.json
 * </pre>
 *
 * Servers and clients read the job from {@code $SWEEPD_JOB_DIR} (plan.json, recipe.yaml), as the job script exports
 * it. What the simulated job does, and how it fails, comes from {@link SimulatedRun} (seed failures from
 * {@link Signatures}, numbers from {@link LoadModel}).
 *
 * <p>Environment: {@code SWEEPD_SIM_TIME_SCALE} (wall seconds per simulated second, default 0.002),
 * {@code SWEEPD_SIM_GPU} and {@code SWEEPD_SIM_GPU_MEMORY_GIB} (override the profile's hardware recorded in
 * plan.json), {@code SWEEPD_SIM_STORAGE_GBPS} (shared-storage bandwidth for weight loading, default 0.45),
 * {@code SWEEPD_SIM_BEHAVIOUR} (test knobs, see {@link Behaviour}; a recipe's {@code simulator.behaviour} wins).
 *
 * <p>Exit status: 0 success; 1 a simulated failure; 2 a simulated argument error (seed case 3) or a bad
 * invocation.
 */
public final class EngineSimulator {

    /** How the simulator waits; tests pass one that returns at once, or one that stops a hang. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper real() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    static final String SRTCTL_ENTRY_POINT = "srtctl.cli.do_sweep";

    private final Map<String, String> env;
    private final Sleeper sleeper;
    private final PrintStream out;

    public EngineSimulator(Map<String, String> env, Sleeper sleeper, PrintStream out) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.out = Objects.requireNonNull(out, "out");
    }

    public static void main(String[] args) {
        int status = new EngineSimulator(System.getenv(), Sleeper.real(), System.out).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** {@code <command> <its arguments>}, as the shims pass them; the process exit status. */
    public int run(String[] argv) {
        List<String> args = Arrays.asList(argv);
        String command = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        try {
            return switch (command) {
                case "vllm" -> rest.size() >= 2 && rest.get(0).equals("bench") && rest.get(1).equals("serve")
                        ? bench(rest.subList(2, rest.size()))
                        : rest.size() >= 1 && rest.get(0).equals("serve") ? serve(rest) : usage("vllm " + rest);
                case "trtllm-serve" -> serve(rest);
                case "lm_eval" -> lmEval(rest);
                case "python3", "python" -> {
                    if (rest.size() >= 2 && rest.get(0).equals("-m") && rest.get(1).equals(SRTCTL_ENTRY_POINT)) {
                        yield rest.size() == 3 ? srtctlSweep(srtctlOutputDir(Path.of(rest.get(2))))
                                : usage("python3 -m " + SRTCTL_ENTRY_POINT + " needs one recipe");
                    }
                    yield rest.size() >= 2 && rest.get(0).equals("-m") && rest.get(1).equals("sglang.launch_server")
                            ? serve(rest) : usage("python3 " + rest);
                }
                default -> usage(command);
            };
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            out.println("sweepd-sim: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("sweepd-sim: interrupted");
            return 143;
        }
    }

    /** srtctl writes into {@code $SRTCTL_OUTPUT_DIR}, the job directory sweepd exported; else the recipe's. */
    private Path srtctlOutputDir(Path recipe) {
        String output = env.get("SRTCTL_OUTPUT_DIR");
        return output != null && !output.isBlank() ? Path.of(output) : recipe.toAbsolutePath().getParent();
    }

    /** srtctl's whole sweep of the job rendered in {@code jobDir}; the process exit status. */
    public int srtctlSweep(Path jobDir) {
        JobDirectory dir = new JobDirectory(jobDir);
        SimJob job;
        try {
            job = readJob(dir);
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            out.println("sweepd-sim: cannot read the job: " + e.getMessage());
            return 2;
        }
        if (job.behaviour().kind() == Behaviour.Kind.NO_LOG) {
            return 0;
        }
        SimClock clock = new SimClock(job.timeScale(), sleeper);
        try (EngineLog logs = new EngineLog(dir.logs(), clock)) {
            return new SimulatedRun(job, dir, clock, logs, out, SimulatedRun.Mode.srtctl(dir, job.isl(), job.osl()))
                    .execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("sweepd-sim: interrupted");
            return 143;
        } catch (IOException | UncheckedIOException e) {
            out.println("sweepd-sim: " + e.getMessage());
            return 1;
        }
    }

    /**
     * A server: the engine's start-up as {@link SimulatedRun#start} tells it, then GET /health (and /v1/models)
     * answered on loopback until the harness sends SIGTERM.
     */
    private int serve(List<String> args) throws IOException, InterruptedException {
        int port = Integer.parseInt(option(args, "--port"));
        JobDirectory dir = jobDirectory();
        SimJob job = readJob(dir);
        SimClock clock = new SimClock(job.timeScale(), sleeper);
        PrintWriter console = new PrintWriter(out, true);
        Integer failed;
        try (EngineLog logs = new EngineLog(console, clock)) {
            failed = new SimulatedRun(job, dir, clock, logs, out, SimulatedRun.Mode.server()).start();
        }
        if (failed != null) {
            return failed;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/health", exchange -> reply(exchange, 200, ""));
        server.createContext("/v1/models", exchange -> reply(exchange, 200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + job.servedModelName() + "\",\"object\":\"model\"}]}"));
        server.start();
        out.println("INFO:     Uvicorn running on http://127.0.0.1:" + port + " (Press CTRL+C to quit)");
        out.flush();
        new CountDownLatch(1).await(); // until SIGTERM ends the JVM
        return 0;
    }

    /** {@code vllm bench serve}: the concurrency's result file, after checking the server is there. */
    private int bench(List<String> args) throws IOException, InterruptedException {
        JobDirectory dir = jobDirectory();
        SimJob job = readJob(dir);
        if (!serverAnswers(option(args, "--base-url"))) {
            return 1;
        }
        int concurrency = Integer.parseInt(option(args, "--max-concurrency"));
        Path file = Path.of(option(args, "--result-dir")).resolve(option(args, "--result-filename"));
        SimClock clock = new SimClock(job.timeScale(), sleeper);
        PrintWriter console = new PrintWriter(out, true);
        try (EngineLog logs = new EngineLog(console, clock)) {
            SimulatedRun run = new SimulatedRun(job, dir, clock, logs, out, SimulatedRun.Mode.server());
            if (run.chatTemplateFails(console)) {
                return 1;
            }
            if (job.behaviour().kind() == Behaviour.Kind.NO_LOG) {
                out.println("sweepd-sim: SWEEPD_SIM_BEHAVIOUR=no-log: the client exits 0 without a result");
                return 0;
            }
            run.benchmarkOne(concurrency, file, console);
        }
        return 0;
    }

    /** {@code lm_eval --model local-completions}: gsm8k's result where lm-eval writes it. */
    private int lmEval(List<String> args) throws IOException, InterruptedException {
        JobDirectory dir = jobDirectory();
        SimJob job = readJob(dir);
        String modelArgs = option(args, "--model_args");
        String baseUrl = modelArg(modelArgs, "base_url").replaceFirst("/v1/completions$", "");
        if (!serverAnswers(baseUrl)) {
            return 1;
        }
        int concurrency = Integer.parseInt(modelArg(modelArgs, "num_concurrent"));
        // lm-eval's own layout: <output_path>/<model with '/' as '__'>/results_<time>.json
        Path file = Path.of(option(args, "--output_path"))
                .resolve(modelArg(modelArgs, "model").replace("/", "__"))
                .resolve("results_" + System.currentTimeMillis() + ".json");
        SimClock clock = new SimClock(job.timeScale(), sleeper);
        try (EngineLog logs = new EngineLog(new PrintWriter(out, true), clock)) {
            new SimulatedRun(job, dir, clock, logs, out, SimulatedRun.Mode.server()).writeEval(file, concurrency);
        }
        out.println("lm-eval: gsm8k results in " + file);
        return 0;
    }

    private JobDirectory jobDirectory() {
        String jobDir = env.get("SWEEPD_JOB_DIR");
        if (jobDir == null || jobDir.isBlank()) {
            throw new IllegalArgumentException("SWEEPD_JOB_DIR is not set: the stand-in runs inside a job sweepd"
                    + " rendered");
        }
        return new JobDirectory(Path.of(jobDir));
    }

    private SimJob readJob(JobDirectory dir) throws IOException {
        if (!Files.isDirectory(dir.root())) {
            throw new IOException("job directory " + dir.root() + " does not exist");
        }
        return SimJob.read(dir, env);
    }

    /** What a real client says when nothing listens: it cannot connect, and exits 1. */
    private boolean serverAnswers(String baseUrl) throws InterruptedException {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                return true;
            }
            out.println("sweepd-sim: " + baseUrl + "/health answered " + response.statusCode());
        } catch (IOException e) {
            out.println("aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host " + baseUrl
                    + " [Connection refused]");
        }
        return false;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            throw new IllegalArgumentException("missing " + name + " in " + args);
        }
        return args.get(i + 1);
    }

    /** One {@code key=value} of lm-eval's comma-separated {@code --model_args}. */
    private static String modelArg(String modelArgs, String key) {
        for (String pair : modelArgs.split(",")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("--model_args has no " + key + ": " + modelArgs);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }

    private int usage(String what) {
        out.println("sweepd-sim: the engine stand-in does not run '" + what + "'\n"
                + "usage: EngineSimulator vllm serve ... | vllm bench serve ... | python3 -m sglang.launch_server ..."
                + " | trtllm-serve ... | lm_eval ... | python3 -m " + SRTCTL_ENTRY_POINT + " RECIPE");
        return 2;
    }
}
