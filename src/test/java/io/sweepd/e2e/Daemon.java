package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.sim.StandInInstall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A sweepd daemon process from the packaged jar, with its own home, against the local Slurm. */
final class Daemon implements AutoCloseable {

    static final Duration GENEROUS = Duration.ofMinutes(3);

    private final Path home;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    Daemon(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.env = new HashMap<>(extraEnv);
        this.env.put("SLURM_CONF", LocalSlurm.conf());
        // The local cluster is small and quick: poll it every 2 s, as the quickstart does.
        this.env.put("SWEEPD_POLL_INTERVAL_MS", "2000");
        // Several daemons may run in one test JVM and several test JVMs at once: each gets its own status port.
        this.env.putIfAbsent("SWEEPD_HTTP_PORT", String.valueOf(freePort()));
        StandInInstall.ensure();
    }

    /** The status server's base URL, http://127.0.0.1:PORT. */
    String statusUrl() {
        return "http://127.0.0.1:" + env.get("SWEEPD_HTTP_PORT");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path home() {
        return home;
    }

    Daemon start() throws IOException {
        return start(Map.of());
    }

    /** Starts (again), with extra environment for this start only. */
    Daemon start(Map<String, String> extra) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extra);
        Path log = home.resolve("daemon-" + (++starts) + ".log");
        Files.createDirectories(home);
        process = PackagedApp.command(home, all, "daemon", "--home", home.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(GENEROUS).until(() -> Files.isDirectory(home.resolve("inbox")) || !process.isAlive());
        return this;
    }

    Process process() {
        return process;
    }

    /** Submits through the CLI, the way a user does. */
    void submit(Path sweep, String profile) throws Exception {
        List<String> args = new ArrayList<>(List.of("submit", sweep.toString(), "--home", home.toString()));
        if (profile != null) {
            args.addAll(List.of("--profile", profile));
        }
        PackagedApp.Result result = PackagedApp.run(home, env, args.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("sweepd submit failed: " + result.output());
        }
    }

    /** {@code sweepd status SWEEP --points --format json}: one node per point. */
    JsonNode status(String sweep) throws Exception {
        PackagedApp.Result result = PackagedApp.run(home, env, "status", sweep, "--points", "--format", "json",
                "--home", home.toString());
        if (result.exitCode() != 0) {
            return new ObjectMapper().createArrayNode();
        }
        String out = result.output();
        return new ObjectMapper().readTree(out.substring(out.indexOf('[')));
    }

    PackagedApp.Result cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return PackagedApp.run(home, env, all.toArray(String[]::new));
    }

    /** Waits until every point of the sweep is in one of the states, and returns the status. */
    JsonNode awaitStates(String sweep, String... states) {
        return awaitStates(GENEROUS, sweep, states);
    }

    /** Waits up to {@code within} until every point of the sweep is in one of the states. */
    JsonNode awaitStates(Duration within, String sweep, String... states) {
        List<String> wanted = List.of(states);
        return awaitPoints(within, sweep, point -> wanted.contains(point.get("state").asText()));
    }

    /** Waits up to {@code within} until the sweep has points and every one of them passes the check. */
    private JsonNode awaitPoints(Duration within, String sweep, java.util.function.Predicate<JsonNode> check) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = status(sweep);
            if (last[0].isEmpty()) {
                return false;
            }
            for (JsonNode point : last[0]) {
                if (!check.test(point)) {
                    return false;
                }
            }
            return true;
        });
        return last[0];
    }

    /** As {@link #awaitStates}, until every point's reason also carries its diagnosis (triage is done with it). */
    JsonNode awaitDiagnosed(String sweep, String... states) {
        List<String> wanted = List.of(states);
        return awaitPoints(GENEROUS, sweep, point -> wanted.contains(point.get("state").asText())
                && point.path("reason").asText().contains("diagnosis: "));
    }

    /** Stops with SIGTERM and waits. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(1, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** A copy of the shipped local profile under a new name, with the engine stand-in's environment and overrides. */
    static void writeProfile(Path home, String name, Map<String, String> simulatorEnv, String replaceFrom,
                             String replaceTo) throws IOException {
        Path shipped = Path.of("cluster-profiles/local.yaml");
        String text = Files.readString(shipped);
        if (!simulatorEnv.isEmpty()) {
            String launcher = "launcher:\n  type: srt-slurm\n  single-node-type: single-node\n";
            StringBuilder env = new StringBuilder(launcher + "  environment:\n");
            simulatorEnv.forEach((k, v) -> env.append("    ").append(k).append(": \"").append(v).append("\"\n"));
            if (!text.contains(launcher)) {
                throw new IllegalStateException("local.yaml has no '" + launcher + "'");
            }
            text = text.replace(launcher, env.toString());
        }
        if (replaceFrom != null) {
            if (!text.contains(replaceFrom)) {
                throw new IllegalStateException("local.yaml has no '" + replaceFrom + "'");
            }
            text = text.replace(replaceFrom, replaceTo);
        }
        Path dir = home.resolve("cluster-profiles");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".yaml"), text);
    }
}
