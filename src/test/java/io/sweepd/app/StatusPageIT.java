package io.sweepd.app;

import io.sweepd.InMemoryLedger;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.jobs.JobNames;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in real headless Chromium (Debian's package, scripts/install-chromium.sh), served by the daemon's
 * own wiring on Camel's embedded server: the DOM is read after the page's script has refreshed it from the JSON
 * API, and must show the runs, their progress bars and their counts per state. The DOMs Chromium saw are copied
 * to target/status-page-it/ for a human to look at.
 */
class StatusPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long BROWSER_TIMEOUT_SECONDS = 120;

    @TempDir
    Path home;

    private final int port = freePort();
    private Main main;
    private SweepdBeans beans;
    private Path outputs;

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "no " + CHROMIUM + ": run scripts/install-chromium.sh (as root) to run the browser test");
    }

    @AfterEach
    void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        if (beans != null) {
            beans.close();
        }
    }

    @Test
    void thePageRefreshesItselfFromTheApiAndShowsRunsBarsAndCounts() throws Exception {
        startDaemonWiring();
        String run = recordRuns(beans.ledger());
        Path keep = Files.createDirectories(Path.of("target", "status-page-it"));

        String index = chromium(home.resolve("index"), "http://127.0.0.1:" + port + "/");
        Files.writeString(keep.resolve("index.html"), index);
        String runPage = chromium(home.resolve("run"), "http://127.0.0.1:" + port + "/runs/" + run);
        Files.writeString(keep.resolve("run.html"), runPage);

        for (String dom : List.of(index, runPage)) {
            String htmlTag = dom.substring(dom.indexOf("<html"), dom.indexOf('>', dom.indexOf("<html")) + 1);
            assertThat(htmlTag).as("the script refreshed the page from the API without an error")
                    .doesNotContain("data-refresh-error").containsPattern("data-refreshes=\"[1-9]");
            assertThat(dom).doesNotContainPattern("<script[^>]*\\ssrc=")
                    .doesNotContainPattern("<link[^>]*\\shref=\"?https?:");
        }
        assertThat(index).contains("data-run=\"" + run + "\"").contains("data-progress=\"50\"")
                .contains("aria-valuenow=\"50\"").contains("<span style=\"width: 50%;\"></span>")
                .contains("<li class=\"state-RUNNING\" data-state=\"RUNNING\">RUNNING <b>1</b></li>")
                .contains("<li class=\"state-COMPLETED\" data-state=\"COMPLETED\">COMPLETED <b>1</b></li>")
                .contains("<li class=\"state-FAILED\" data-state=\"FAILED\">FAILED <b>1</b></li>")
                .contains("<li class=\"state-PENDING\" data-state=\"PENDING\">PENDING <b>1</b></li>")
                .contains("2 of 4 jobs ended (50%)");
        assertThat(runPage).contains("<td class=\"phase\">queued (Resources)</td>")
                .contains("<td class=\"phase\">server healthy, benchmarking</td>")
                .contains("failure.tar.gz</a>")
                .contains("&lt;b&gt;not bold&lt;/b&gt;").doesNotContain("<b>not bold</b>");
    }

    private void startDaemonWiring() throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of(
                "sweepd.home", home.toString(),
                "sweepd.ledger.jdbc-url", InMemoryLedger.url(), "sweepd.ledger.user", "sa",
                "sweepd.http.port", String.valueOf(port),
                // The test's jobs stay as recorded: nothing is submitted or polled while it runs.
                "sweepd.submit.interval-ms", "3600000", "sweepd.poll.interval-ms", "3600000",
                "sweepd.submit.after-record", "false"));
        Files.createDirectories(settings.inbox());
        outputs = settings.outputs();
        beans = new SweepdBeans(settings, LedgerFactory.open(settings), new CommandRunner(spec -> new CommandResult(
                spec, 0, "Slurmctld(primary) at head is UP\n", "", false, Duration.ofMillis(5))));
        main = new Main();
        main.setOverrideProperties(settings.asProperties());
        main.configure().addConfiguration(beans);
        main.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * One run of four jobs (PENDING for Resources, RUNNING with a healthy server, COMPLETED, FAILED with an
     * archive) and a refused point whose reason holds markup.
     */
    private String recordRuns(Ledger ledger) throws IOException {
        String run = RunRecord.runId("nightly", Instant.parse("2026-11-27T22:00:00Z"));
        List<JobRecord> jobs = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path dir = Files.createDirectories(outputs.resolve(run).resolve(key(i)).resolve("logs")).getParent();
            jobs.add(JobRecord.planned(run, key(i), "local", dir.toString(), 60, 120, 600));
            points.add(PointRecord.of(run, key(i) + "-c4", key(i), "{}", null));
        }
        points.add(PointRecord.of(run, "refused-c4", "refused", "{}", "<b>not bold</b>"));
        ledger.runs().recordRun(RunRecord.planned(run, "nightly", "nightly.yaml", outputs.toString(), null, "{}"),
                jobs, points);
        for (int i = 0; i < 4; i++) {
            ledger.jobs().beginSubmit(run, key(i), JobNames.attempt(run, key(i), 1));
            ledger.jobs().submitted(run, key(i), "10" + i);
        }
        ledger.jobs().transition(run, key(0), JobState.PENDING, JobState.PENDING, "Resources", Map.of());
        for (int i = 1; i < 4; i++) {
            ledger.jobs().transition(run, key(i), JobState.PENDING, JobState.RUNNING, null,
                    Map.of(JobDetails.STARTED_AT, Instant.now().minusSeconds(300)));
        }
        Files.writeString(outputs.resolve(run).resolve(key(1)).resolve("logs/server.log"),
                "INFO:     Application startup complete.\n");
        ledger.jobs().transition(run, key(2), JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 0));
        ledger.jobs().transition(run, key(3), JobState.RUNNING, JobState.FAILED, "exit code 3",
                Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 3));
        Files.writeString(outputs.resolve(run).resolve(key(3)).resolve("failure.tar.gz"), "archive");
        return run;
    }

    private static String key(int i) {
        return "gptoss_1k1k-" + String.format("%010x", i);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Headless Chromium's DOM of the page after 12 s of virtual time (the page refreshes every 5 s). */
    private String chromium(Path work, String url) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path profile = Files.createDirectories(work.resolve("profile"));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        List<String> argv = new ArrayList<>(List.of(CHROMIUM.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=12000", "--dump-dom", url));
        Process process = new ProcessBuilder(argv).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + " s; stderr:\n" + tail(err));
            }
            if (process.exitValue() != 0) {
                fail("chromium exited with " + process.exitValue() + "; stderr:\n" + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            // Chromium forks renderer, GPU and zygote processes: end all of ours, not just the parent.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
