package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Smoke tests of the fat jar: every Camel module the app needs is on its own runtime classpath. */
class PackagedAppIT {

    @TempDir
    Path work;

    @Test
    void planPrintsJsonForTheInferenceMaxExcerpt() throws Exception {
        PackagedApp.Result result = PackagedApp.run(work, Map.of(), "plan",
                Fixtures.fixture("inferencemax/master-excerpt.yaml").toString(), "--format", "json");

        // Some of the excerpt's points cannot run on their clusters: the plan is printed whole and the exit code says
        // points were refused (README, exit codes).
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        JsonNode plan = new ObjectMapper().readTree(result.output());
        assertThat(plan.get("points")).hasSize(85);
        assertThat(plan.get("points")).anyMatch(point -> !point.path("refused").isNull()
                && !point.path("refused").isMissingNode());
        assertThat(plan.get("jobs").size()).isPositive();
        assertThat(work.resolve("state/logs")).as("a one-shot command writes no log file").doesNotExist();
    }

    @Test
    void versionNamesTheBuild() throws Exception {
        PackagedApp.Result result = PackagedApp.run(work, Map.of(), "--version");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).matches("(?s)sweepd \\d+\\.\\d+\\.\\d+\\S*( \\(commit [0-9a-f]{7,}[^)]*\\))?\\R"
                + "Java .*");
    }

    @Test
    void planOfABrokenFileExitsNonZeroNamingLineAndField() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "x:\n  image: 1\n");

        PackagedApp.Result result = PackagedApp.run(work, Map.of(), "plan", bad.toString());

        assertThat(result.exitCode()).as("bad input file").isEqualTo(5);
        assertThat(result.output()).contains("bad.yaml:2").contains("x.image");
    }

    /** The run directory (outputs/<sweep>-<time>/) with its plan.json. */
    private static boolean runPlanExists(Path outputs, String prefix) throws java.io.IOException {
        if (!Files.isDirectory(outputs)) {
            return false;
        }
        try (var runs = Files.list(outputs)) {
            return runs.anyMatch(run -> run.getFileName().toString().startsWith(prefix)
                    && Files.exists(run.resolve("plan.json")));
        }
    }

    @Test
    void daemonPlansADroppedSweepAndStopsGracefullyOnSigterm() throws Exception {
        Path home = work.resolve("home");
        Path log = work.resolve("daemon.log");
        // Planning needs no Slurm: without a controller answering (a machine without the local cluster) the daemon
        // still starts, with a warning.
        Process daemon = PackagedApp.command(work, Map.of("SWEEPD_STARTUP_REQUIRE_SLURM", "false"), "daemon",
                        "--home", home.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.isDirectory(home.resolve("inbox")));
            Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), home.resolve("inbox/seed.yaml"));
            await().atMost(Duration.ofMinutes(2)).until(() -> runPlanExists(home.resolve("outputs"), "seed-"));
            // The rolling file has the sweep's lines with the ids of its exchange (and plan.json is written before
            // the run is recorded: waiting for this line also keeps SIGTERM from interrupting the recording).
            Path file = home.resolve("state/logs/sweepd.log");
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(file) && Pattern.compile(
                    "\\[sweep-record run=seed-\\d{8}-\\d{6}\\] run seed-").matcher(Files.readString(file)).find());

            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(2, TimeUnit.MINUTES)).as("daemon stops after SIGTERM").isTrue();
            assertThat(Files.readString(log)).doesNotContain("ClassNotFoundException").doesNotContain("NoSuchBeanException");
            assertThat(Files.readString(file)).containsPattern("sweepd daemon running: version \\d+\\.\\d+\\.\\d+");
        } finally {
            daemon.destroyForcibly();
        }
    }

    /**
     * The launcher (./sweepd) as a login node runs it: the first command makes the class-data archive with a training
     * daemon in a temporary home (never the caller's), and the daemon started through it runs with the login-node
     * JVM options and loads its classes from that archive.
     */
    @Test
    void theLauncherMakesAClassDataArchiveOnceAndTheDaemonStartsFromIt() throws Exception {
        Path archive = work.resolve("sweepd.jsa");
        Path callersHome = work.resolve("callers-home");
        Map<String, String> env = Map.of("SWEEPD_JAR", PackagedApp.jar().toString(), "SWEEPD_JAVA",
                PackagedApp.javaBinary(), "SWEEPD_CDS_ARCHIVE", archive.toString(), "SWEEPD_HOME",
                callersHome.toString(), "SWEEPD_STARTUP_REQUIRE_SLURM", "false", "SWEEPD_HTTP_PORT", "0");

        PackagedApp.Result first = launch(env, "--version");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("making the class-data archive");
        assertThat(archive).isNotEmptyFile();
        assertThat(callersHome).as("the training daemon used a home of its own").doesNotExist();
        PackagedApp.Result second = launch(env, "--version");
        assertThat(second.output()).as("made once").doesNotContain("making the class-data archive");

        Path classes = work.resolve("classes.txt");
        Path log = work.resolve("daemon.log");
        Map<String, String> daemonEnv = new java.util.HashMap<>(env);
        daemonEnv.put("SWEEPD_JAVA_OPTS", "-Xlog:class+load:file=" + classes);
        ProcessBuilder builder = new ProcessBuilder("bash", launcher().toString(), "daemon").directory(work.toFile());
        builder.environment().putAll(daemonEnv);
        Process daemon = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(log).contains("sweepd daemon running"));
            // The launcher execs the JVM: the process is the JVM, with the login-node options.
            String commandLine = Files.readString(Path.of("/proc", String.valueOf(daemon.pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(commandLine).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                    "-XX:SharedArchiveFile=" + archive);
            // A static archive, so the command-line library's classes (Java 5 class files) are in it too.
            assertThat(Files.readString(classes))
                    .contains("org.apache.camel.main.Main source: shared objects file\n")
                    .contains("io.sweepd.app.SweepdDaemon source: shared objects file\n")
                    .contains("picocli.CommandLine source: shared objects file\n");
            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(2, TimeUnit.MINUTES)).as("daemon stops after SIGTERM").isTrue();
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static Path launcher() {
        return Fixtures.fixtures().getParent().resolve("sweepd");
    }

    private PackagedApp.Result launch(Map<String, String> env, String... args) throws Exception {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("bash", launcher().toString()));
        argv.addAll(java.util.List.of(args));
        Path output = Files.createTempFile(work, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(argv).directory(work.toFile());
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new PackagedApp.Result(process.exitValue(), Files.readString(output));
    }
}
