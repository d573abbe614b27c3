package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.core.JobState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real vLLM (its CPU build from PyPI, scripts/install-engine.sh) behind the whole pipeline, on the local Slurm:
 * the packaged daemon plans and submits a single-node sweep on profile {@code local-engine}
 * (examples/real-engine/, which scripts/demo-real-engine.sh runs by hand), the job serves a tiny random-weight model made here
 * (scripts/make-tiny-model.py: nothing comes from a hub), benchmarks it with {@code vllm bench serve} at two
 * concurrencies, runs lm-eval on the task this project ships (engine/lm-eval-tasks), and sweepd collects and
 * reports what the real tools wrote. The failure case gives the same server a flag no vLLM has.
 *
 * <p>Slow by nature: every vllm command imports for ~25 s and the server takes ~90-110 s to become healthy on
 * these 2-core machines; the bounds below are generous on purpose.
 */
class RealEngineIT {

    /** The real-engine site: its profile template, engine rules and sweep, shared with scripts/demo-real-engine.sh. */
    private static final Path SITE = Path.of("examples/real-engine");
    private static final Duration INSTALL = Duration.ofMinutes(20);
    /** Measured: ~17 min for the 8k1k job at load average 5 on 2 cores (concurrency 16 is ~11 min of it). */
    private static final Duration JOB = Duration.ofMinutes(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path engine;

    private static Path venv;
    private static Path model;

    /** Kept when a test fails: the job directory and the daemon's log say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @BeforeAll
    static void installTheEngineAndMakeTheModel() throws Exception {
        LocalSlurm.conf();  // skips the class, before the long install, when there is no local cluster
        // install-engine.sh is idempotent (~0 s when the venv matches the lock) and honours SWEEPD_ENGINE_VENV.
        String installed = run(INSTALL, engine.resolve("install.log"), "bash", "scripts/install-engine.sh");
        venv = Path.of(installed.strip().lines().reduce((first, last) -> last).orElseThrow());
        assertThat(venv.resolve("bin/vllm")).isExecutable();
        assertThat(venv.resolve("bin/lm_eval")).isExecutable();
        // 16384 positions: the sweep's 8k1k points serve with max-model-len isl + osl + 256 = 9472.
        model = engine.resolve("models/sweepd-tiny");
        run(Duration.ofMinutes(10), engine.resolve("make-model.log"), venv.resolve("bin/python").toString(),
                "scripts/make-tiny-model.py", model.toString(), "--max-position-embeddings", "16384");
        assertThat(model.resolve("config.json")).exists();
    }

    @Test
    void aRealVllmServesBenchmarksAndEvaluatesAndTheReportHasItsThroughput() throws Exception {
        writeSite();
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweep("real-engine", "tiny"), "local-engine");

            JsonNode status = awaitEnd(daemon, "real-engine");

            Path jobDir = jobDir(status.get(0));
            assertThat(status).as(describe(status, jobDir)).hasSize(2)
                    .allSatisfy(point -> assertThat(point.get("state").asText()).isEqualTo("COMPLETED"));
            try (Stream<Path> results = Files.list(jobDir.resolve("results"))) {
                assertThat(results.map(p -> p.getFileName().toString()))
                        .contains("results_concurrency_1_gpus_1.json", "results_concurrency_16_gpus_1.json");
            }
            // Written by the real server, not by anything of sweepd's.
            assertThat(jobDir.resolve("logs/server.log")).content().contains("Starting vLLM server on http://127.0.0.1:");

            String runId = status.get(0).get("sweep").asText();
            Path reports = home.resolve("reports").resolve(runId);
            await().atMost(Daemon.GENEROUS).until(() -> Files.exists(reports.resolve("report.json"))
                    && JSON.readTree(reports.resolve("report.json").toFile()).path("final").asBoolean());
            JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
            assertThat(report.path("summary").path("completed").asInt()).isEqualTo(2);
            for (JsonNode point : report.path("points")) {
                assertThat(point.path("metrics").path("tput_per_gpu").asDouble())
                        .as("throughput per GPU at concurrency %s", point.path("conc")).isPositive();
            }
            assertThat(report.path("points")).extracting(p -> p.path("conc").asInt()).containsExactlyInAnyOrder(1, 16);
            JsonNode evaluated = pointAt(report, 16);
            assertThat(evaluated.path("eval").toString()).as("the eval of the run-eval point").contains("sweepd_tiny_gsm8k");
            assertThat(pointAt(report, 1).path("eval").isNull()).isTrue();
        }
    }

    @Test
    void aBadEngineFlagFailsWithVllmsOwnArgumentErrorAndTriageNamesIt() throws Exception {
        writeSite();
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweep("real-engine-bad-flag", "tinybad"), "local-engine");

            JsonNode status = awaitEnd(daemon, "real-engine-bad-flag");

            Path jobDir = jobDir(status.get(0));
            assertThat(status).as(describe(status, jobDir))
                    .allSatisfy(point -> assertThat(point.get("state").asText()).isEqualTo("FAILED"));
            String error = "error: unrecognized arguments: --definitely-not-a-flag";
            assertThat(jobDir.resolve("logs/server.log")).content().contains(error);

            PackagedApp.Result triage = daemon.cli("triage", jobDir.toString(), "--format", "json");
            assertThat(triage.exitCode()).as(triage.output()).isZero();
            JsonNode verdict = JSON.readTree(triage.output().substring(triage.output().indexOf('['))).get(0);
            assertThat(verdict.path("category").asText()).as(triage.output()).isEqualTo("unsupported-argument");
            assertThat(verdict.path("evidence").asText()).contains(error);
            assertThat(verdict.path("diagnosis").asText()).contains("--definitely-not-a-flag");
        }
    }

    /** The local-engine profile with this machine's paths, and the site's engine rules, in the daemon's home. */
    private void writeSite() throws IOException {
        String profile = resource("local-engine.yaml")
                .replace("@MODELS@", model.getParent().toString())
                .replace("@MODEL@", model.toString())
                .replace("@VENV@", venv.toString())
                .replace("@EVAL_TASKS@", Path.of("engine/lm-eval-tasks").toAbsolutePath().toString());
        Files.createDirectories(home.resolve("cluster-profiles"));
        Files.writeString(home.resolve("cluster-profiles/local-engine.yaml"), profile);
        Files.createDirectories(home.resolve("workarounds"));
        Files.writeString(home.resolve("workarounds/cpu-engine.yaml"), resource("cpu-engine.yaml"));
    }

    /** The shipped sweep under another name and model prefix (the prefix picks the engine rules that apply). */
    private Path sweep(String name, String modelPrefix) throws IOException {
        String text = "sweep:\n  name: " + name + "\n"
                + resource("real-engine.yaml").replace("model-prefix: tiny\n", "model-prefix: " + modelPrefix + "\n");
        Path file = home.resolve("sweeps").resolve(name + ".yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Waits until every point's job has ended, whichever way. */
    private static JsonNode awaitEnd(Daemon daemon, String sweep) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(JOB).pollInterval(Duration.ofSeconds(5)).until(() -> {
            last[0] = daemon.status(sweep);
            return !last[0].isEmpty() && Stream.of(JSON.treeToValue(last[0], JsonNode[].class))
                    .allMatch(point -> ended(point.get("state").asText()));
        });
        return last[0];
    }

    private static boolean ended(String state) {
        try {
            return JobState.valueOf(state).terminal();
        } catch (IllegalArgumentException notAJobState) {
            return true;  // REFUSED: never submitted
        }
    }

    private Path jobDir(JsonNode point) {
        return home.resolve("outputs").resolve(point.get("sweep").asText()).resolve(point.get("job-key").asText());
    }

    /** What a failed assertion should show: the states and the end of the job's Slurm log. */
    private static String describe(JsonNode status, Path jobDir) throws IOException {
        StringBuilder out = new StringBuilder(status.toPrettyString());
        Path logs = jobDir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.filter(p -> p.getFileName().toString().startsWith("slurm-")).toList()) {
                    List<String> lines = Files.readAllLines(log);
                    out.append("\n== ").append(log).append(" (last 40 lines)\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                }
            }
        }
        return out.toString();
    }

    private static JsonNode pointAt(JsonNode report, int conc) {
        for (JsonNode point : report.path("points")) {
            if (point.path("conc").asInt() == conc) {
                return point;
            }
        }
        throw new AssertionError("no point at concurrency " + conc + " in " + report.path("points"));
    }

    private static String resource(String name) throws IOException {
        return Files.readString(SITE.resolve(name));
    }

    /** Runs a setup command from the checkout; its output goes to a log; returns stdout, fails on a non-zero exit. */
    private static String run(Duration within, Path log, String... argv) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(engine, "stdout", ".txt");
        Process process = new ProcessBuilder(argv).redirectError(log.toFile()).redirectOutput(stdout.toFile()).start();
        if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + within);
        }
        String out = Files.readString(stdout);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with " + process.exitValue() + ":\n"
                    + out + Files.readString(log));
        }
        return out;
    }
}
