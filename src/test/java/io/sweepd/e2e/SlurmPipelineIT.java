package io.sweepd.e2e;

import io.sweepd.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.jobs.JobNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged daemon against the real local Slurm (scripts/local-slurm.sh): sweeps submitted with
 * {@code sweepd submit}, tracked to their end, failures archived, crashes survived.
 */
class SlurmPipelineIT {

    /** Kept when a test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    private Path sweepFile(String name) throws IOException {
        Path dir = home.resolve("sweeps");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, Fixtures.oneJobSweep());
        return file;
    }

    @Test
    void theQuickstartSweepRunsToCompletedWithResultFilesInPlace() throws Exception {
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(Path.of("examples/quickstart.yaml").toAbsolutePath(), "local");

            JsonNode status = daemon.awaitStates("quickstart", "COMPLETED");

            assertThat(status).hasSize(6);
            for (JsonNode point : status) {
                assertThat(point.get("slurm-job-id").asText()).matches("\\d+");
                Path jobDir = jobDir(point);
                assertThat(jobDir.resolve("job.sbatch")).exists();
                assertThat(jobDir.resolve("recipe.yaml")).exists();
                assertThat(jobDir.resolve("slurm.json")).exists();
                assertThat(jobDir.resolve("failure.tar.gz")).doesNotExist();
                // The harness's client writes into results/; srtctl into its sa-bench directory under logs/.
                try (Stream<Path> results = Files.walk(jobDir)) {
                    assertThat(results.map(p -> p.getFileName().toString()))
                            .anyMatch(name -> name.matches("results_concurrency_\\d+_gpus_\\d+(_ctx_\\d+_gen_\\d+)?\\.json"));
                }
            }
            // The run's report is final and has every benchmarked concurrency with its metrics.
            String runId = status.get(0).get("sweep").asText();
            Path reports = home.resolve("reports").resolve(runId);
            await().atMost(Daemon.GENEROUS).until(() -> Files.exists(reports.resolve("report.html"))
                    && Files.readString(reports.resolve("report.md")).contains("Final report"));
            ObjectMapper mapper = new ObjectMapper();
            JsonNode report = mapper.readTree(reports.resolve("report.json").toFile());
            assertThat(report.toString()).contains("tput_per_gpu");
            PackagedApp.Result wait = daemon.cli("wait", "quickstart", "--timeout", "PT1M");
            assertThat(wait.exitCode()).as(wait.output()).isZero();
            assertThat(wait.output()).contains(reports.resolve("report.html").toString());

            // The packaged daemon's status server: the finished run in the API, ready, and its metrics scraped.
            JsonNode runs = mapper.readTree(get(daemon.statusUrl() + "/api/runs", 200)).get("runs");
            assertThat(runs).anySatisfy(run -> {
                assertThat(run.get("run-id").asText()).isEqualTo(runId);
                assertThat(run.get("state").asText()).isEqualTo("FINISHED");
                assertThat(run.get("ended-jobs").asInt()).isEqualTo(6);
            });
            assertThat(get(daemon.statusUrl() + "/observe/health", 200)).contains("UP");
            assertThat(get(daemon.statusUrl() + "/observe/metrics", 200))
                    .contains("sweepd_jobs{state=\"COMPLETED\"} 6.0").contains("sweepd_submissions_total 6.0")
                    .contains("sweepd_slurm_command_seconds_count{command=\"sbatch\"");
            assertThat(get(daemon.statusUrl() + "/reports/" + runId + "/report.html", 200)).contains("<html");

            // Single-node jobs ran sweepd's harness, the multinode one srtctl's sweep (the stand-in as their engine).
            Path single = jobDir(pointNamed(status, "gptoss"));
            assertThat(Files.readString(single.resolve("logs/server.log"))).contains("Application startup complete");
            Path multinode = jobDir(pointNamed(status, "minimaxm2.5"));
            assertThat(Files.readString(multinode.resolve("srtslurm.yaml"))).isNotBlank();
            try (Stream<Path> results = Files.list(multinode.resolve("logs/sa-bench_isl_1024_osl_1024"))) {
                assertThat(results.map(p -> p.getFileName().toString()))
                        .contains("results_concurrency_4_gpus_16_ctx_8_gen_8.json",
                                "results_concurrency_64_gpus_16_ctx_8_gen_8.json");
            }
        }
    }

    @Test
    void aJobThatExitsOneEndsFailedWithACompleteArchive() throws Exception {
        Daemon.writeProfile(home, "local-exit1", Map.of("SWEEPD_SIM_BEHAVIOUR", "exit-1"), null, null);
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("exit1"), "local-exit1");

            JsonNode status = daemon.awaitStates("exit1", "FAILED");

            Path jobDir = jobDir(status.get(0));
            awaitArchive(jobDir);
            assertThat(entries(jobDir.resolve("failure.tar.gz"))).contains("job.sbatch", "plan.json", "recipe.yaml",
                    "slurm.json").anyMatch(e -> e.matches("logs/slurm-\\d+\\.out"));
            assertThat(status.get(0).get("reason").asText()).contains("FAILED").contains("1:0");
        }
    }

    @Test
    void aJobThatEndsWithoutResultsIsInvalidNotCompleted() throws Exception {
        Daemon.writeProfile(home, "local-nolog", Map.of("SWEEPD_SIM_BEHAVIOUR", "no-log"), null, null);
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("noresults"), "local-nolog");

            JsonNode status = daemon.awaitStates("noresults", "INVALID");

            assertThat(status.get(0).get("reason").asText()).contains("no result file");
        }
    }

    @Test
    void aTransientFailureIsRetriedOnOtherNodesAndTheFirstAttemptsEvidenceIsKept() throws Exception {
        Daemon.writeProfile(home, "local-flaky", Map.of("SWEEPD_SIM_BEHAVIOUR", "flaky-once"), null, null);
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("flaky"), "local-flaky");

            JsonNode status = daemon.awaitStates("flaky", "COMPLETED");

            Path jobDir = jobDir(status.get(0));
            Path first = jobDir.resolve("attempts/attempt-1");
            assertThat(first.resolve("failure.tar.gz")).exists();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.resolve("triage.json").toFile())
                    .path("retryable").asBoolean()).isTrue();
            String firstNodes = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(first.resolve("slurm.json").toFile()).path("final").path("nodeList").asText();
            // The second attempt was told to avoid the node the first one failed on.
            assertThat(Files.readString(jobDir.resolve("slurm.json"))).contains("ExcNodeList=" + firstNodes);
            try (Stream<Path> results = Files.list(jobDir.resolve("results"))) {
                assertThat(results.count()).isEqualTo(2);
            }
        }
    }

    @Test
    void aJobThatNeverBecomesHealthyIsCancelledAtTheDeadlineAndArchived() throws Exception {
        Daemon.writeProfile(home, "local-hang", Map.of("SWEEPD_SIM_BEHAVIOUR", "hang"),
                "healthy-seconds: 1800", "healthy-seconds: 5");
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("hang"), "local-hang");

            JsonNode status = daemon.awaitStates("hang", "DEADLINE");

            JsonNode point = status.get(0);
            assertThat(point.get("reason").asText()).contains("not healthy within 5 s");
            Path jobDir = jobDir(point);
            awaitArchive(jobDir);
            assertThat(entries(jobDir.resolve("failure.tar.gz"))).contains("job.sbatch", "slurm.json");
            String jobId = point.get("slurm-job-id").asText();
            await().atMost(Daemon.GENEROUS).until(() ->
                    LocalSlurm.run("sacct", "-j", jobId, "-X", "-n", "--parsable2", "-o", "State").contains("CANCELLED"));
        }
    }

    @Test
    void aJobWhoseLogDirectoryVanishedFailsWithoutALogAndIsStillArchived() throws Exception {
        Daemon.writeProfile(home, "local-held", Map.of(), "segment: false",
                "segment: false\n  extra-directives: [\"--hold\"]");
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("nolog"), "local-held");
            JsonNode pending = daemon.awaitStates("nolog", "PENDING");
            Path jobDir = jobDir(pending.get(0));
            String jobId = pending.get(0).get("slurm-job-id").asText();

            deleteTree(jobDir.resolve("logs"));
            LocalSlurm.run("scontrol", "release", jobId);

            JsonNode status = daemon.awaitStates("nolog", "FAILED");
            assertThat(status.get(0).get("reason").asText()).contains("0:53");
            awaitArchive(jobDir);
            List<String> entries = entries(jobDir.resolve("failure.tar.gz"));
            assertThat(entries).contains("job.sbatch", "plan.json", "slurm.json");
            assertThat(entries).noneMatch(e -> e.startsWith("logs/slurm-"));
        }
    }

    @Test
    void aCancelledJobEndsCancelledAndIsArchived() throws Exception {
        Daemon.writeProfile(home, "local-hang", Map.of("SWEEPD_SIM_BEHAVIOUR", "hang"), null, null);
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("cancel"), "local-hang");
            daemon.awaitStates("cancel", "RUNNING");

            PackagedApp.Result cancel = daemon.cli("cancel", "cancel");
            assertThat(cancel.exitCode()).as(cancel.output()).isZero();

            JsonNode status = daemon.awaitStates("cancel", "CANCELLED");
            Path jobDir = jobDir(status.get(0));
            awaitArchive(jobDir);
            assertThat(entries(jobDir.resolve("failure.tar.gz"))).contains("job.sbatch", "slurm.json")
                    .anyMatch(e -> e.startsWith("logs/"));
        }
    }

    @Test
    void aDaemonKilledRightAfterSbatchLeavesExactlyOneSlurmJobAndTracksItToTheEnd() throws Exception {
        Path bin = home.resolve("crash-bin");
        Path answered = writeSbatchThatKillsItsCaller(bin);
        try (Daemon daemon = new Daemon(home, Map.of())) {
            // This start only: the daemon finds the crashing sbatch first on its PATH. The CLI calls and the
            // restart below use the real one.
            daemon.start(Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH")));
            daemon.submit(sweepFile("crash"), "local");
            await().atMost(Daemon.GENEROUS).until(() -> Files.exists(answered) || !daemon.process().isAlive());
            assertThat(answered).as("the crashing sbatch's record of the real sbatch's answer").exists();
            List<String> answer = Files.readAllLines(answered);
            assertThat(answer).as("real sbatch's exit status, its stdout, its caller").hasSize(3);
            assertThat(answer.get(0)).isEqualTo("0");
            String jobId = answer.get(1);
            assertThat(jobId).matches("\\d+");
            assertThat(answer.get(2)).as("the process the wrapper kills").contains("sweepd.jar");
            assertThat(daemon.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
            // Killed by SIGKILL (Java reports 128 + 9) by the wrapper, after the real sbatch answered.
            assertThat(daemon.process().exitValue()).isEqualTo(137);
            JsonNode orphan = daemon.status("crash");
            assertThat(orphan.get(0).get("state").asText()).isEqualTo("SUBMITTING");
            assertThat(orphan.get(0).hasNonNull("slurm-job-id")).isFalse();
            String jobKey = orphan.get(0).get("job-key").asText();

            daemon.start();
            JsonNode status = daemon.awaitStates("crash", "COMPLETED");

            // Every attempt of this run's job carries the same name stem; exactly one ever reached Slurm, and the
            // restarted daemon tracked the one the killed daemon never recorded.
            String attempt1 = JobNames.attempt(status.get(0).get("sweep").asText(), jobKey, 1);
            String stem = attempt1.substring(0, attempt1.length() - "a1".length());
            assertThat(LocalSlurm.accountedJobsNamed(stem)).hasSize(1);
            assertThat(status.get(0).get("slurm-job-id").asText()).isEqualTo(jobId);
        }
    }

    /**
     * An {@code sbatch} that runs the real one, then kill -9s the program that ran it, before that program can
     * read the answer: the crash the daemon must survive, injected from outside (the daemon has no test hooks).
     * That program is the daemon's JVM itself, since commons-exec starts programs directly (no shell in between).
     * The wrapper writes down the real sbatch's exit status, its stdout and the caller's command line, and kills
     * the caller only if that is the daemon. It puts the original PATH back first, so that the real sbatch is the
     * one found and the job (which gets sbatch's environment) never sees this wrapper.
     *
     * @return the file the wrapper writes its record into
     */
    private static Path writeSbatchThatKillsItsCaller(Path bin) throws IOException {
        Files.createDirectories(bin);
        Path record = bin.resolve("sbatch-answered");
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, """
                #!/bin/sh
                PATH=%s
                export PATH
                out=$(sbatch "$@")
                status=$?
                caller=$(tr '\\0' ' ' < "/proc/$PPID/cmdline")
                record=%s
                printf '%%s\\n%%s\\n%%s\\n' "$status" "$out" "$caller" > "$record.part"
                mv "$record.part" "$record"
                case "$caller" in
                  *sweepd.jar*) kill -9 "$PPID" ;;
                  *) echo "crash-test sbatch: my parent $PPID is not the daemon: $caller" >&2
                     exit 99 ;;
                esac
                printf '%%s\\n' "$out"
                exit "$status"
                """.formatted(shellQuoted(System.getenv("PATH")), shellQuoted(record.toString())));
        if (!sbatch.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + sbatch + " executable");
        }
        return record;
    }

    /** One single-quoted shell word, whatever the text holds. */
    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Test
    void aJobPurgedFromSlurmctldWhileTheDaemonWasDownIsResolvedFromAccounting() throws Exception {
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            daemon.submit(sweepFile("purged"), "local");
            JsonNode[] seen = new JsonNode[1];
            await().atMost(Daemon.GENEROUS).until(() -> {
                seen[0] = daemon.status("purged");
                return !seen[0].isEmpty() && seen[0].get(0).hasNonNull("slurm-job-id");
            });
            daemon.kill();
            String jobId = seen[0].get(0).get("slurm-job-id").asText();

            // MinJobAge is 30 s on the local cluster; slurmctld forgets the job within about a minute after that.
            await().atMost(Daemon.GENEROUS).pollInterval(java.time.Duration.ofSeconds(5))
                    .until(() -> LocalSlurm.purged(jobId));

            daemon.start();
            JsonNode status = daemon.awaitStates("purged", "COMPLETED");
            assertThat(status.get(0).get("slurm-job-id").asText()).isEqualTo(jobId);
            try (Stream<Path> results = Files.list(jobDir(status.get(0)).resolve("results"))) {
                assertThat(results.count()).isEqualTo(2);
            }
        }
    }

    private Path jobDir(JsonNode point) throws IOException {
        try (Stream<Path> runs = Files.list(home.resolve("outputs"))) {
            Path run = runs.filter(p -> p.getFileName().toString().equals(point.get("sweep").asText()))
                    .findFirst().orElseThrow();
            return run.resolve(point.get("job-key").asText());
        }
    }

    private static JsonNode pointNamed(JsonNode status, String prefix) {
        for (JsonNode point : status) {
            if (point.get("point").asText().startsWith(prefix)) {
                return point;
            }
        }
        throw new AssertionError("no point starting with " + prefix + " in " + status);
    }

    private static void awaitArchive(Path jobDir) {
        await().atMost(Daemon.GENEROUS).until(() -> Files.isRegularFile(jobDir.resolve("failure.tar.gz")));
    }

    /** The names in a tar.gz, read with the system tar (the format is tar's, not sweepd's). */
    private static List<String> entries(Path archive) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-tzf", archive.toString()).redirectErrorStream(true).start();
        List<String> names = new ArrayList<>();
        try (InputStream in = tar.getInputStream()) {
            new String(in.readAllBytes()).lines().map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
                    .forEach(names::add);
        }
        tar.waitFor(1, TimeUnit.MINUTES);
        return names;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The body of a GET that must answer {@code status}. */
    private static String get(String url, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
        return response.body();
    }
}
