package io.sweepd.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.jobs.JobNames;
import io.sweepd.jobs.JobRetries;
import io.sweepd.report.ReportWriter;
import io.sweepd.report.RunReports;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status server for real: Camel's embedded Vert.x server on a free port of 127.0.0.1, the YAML routes and
 * wiring as the daemon runs them, an in-memory ledger holding two runs in several states, and Slurm's commands
 * answered by a canned scontrol the test can take down. Requests go over HTTP with the JDK's client.
 */
class StatusHttpRoutesTest extends RouteTestSupport {

    private static final String UP = "Slurmctld(primary) at head is UP\n";
    private static final String DOWN = "Slurmctld(primary) at head is DOWN\n";
    /** A refusal reason that would run script if the page did not escape it. */
    private static final String HOSTILE = "<img src=x onerror=alert(1)> needs 96 GiB & more";

    @TempDir
    Path home;

    private final int port = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** What scontrol ping prints; the test switches the controller off. */
    private final AtomicReference<String> controller = new AtomicReference<>(UP);
    private final List<String> commandsRun = new ArrayList<>();

    private String nightly;
    private String weekly;

    StatusHttpRoutesTest() {
        // The submit and poll timers stay off: the test's jobs must not meet the canned Slurm's empty queue.
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.http.enabled", "true", "sweepd.http.port", String.valueOf(port),
                "sweepd.http.slurm-check-cache-ms", "0");
    }

    @Override
    protected SweepdBeans wiring(SweepdSettings settings) {
        return new SweepdBeans(settings, LedgerFactory.open(settings), new CommandRunner(spec -> {
            synchronized (commandsRun) {
                commandsRun.add(String.join(" ", spec.argv()));
            }
            if (spec.argv().equals(List.of("scontrol", "ping"))) {
                String answer = controller.get();
                return new CommandResult(spec, answer.equals(UP) ? 0 : 1, answer, "", false, Duration.ofMillis(37));
            }
            return new CommandResult(spec, 1, "", "not canned: " + spec.argv(), false, Duration.ofMillis(1));
        }));
    }

    private void start() throws Exception {
        AdviceWith.adviceWith(context, "job-poll-timer", r -> r.replaceFromWith("direct:no-poll-timer"));
        AdviceWith.adviceWith(context, "job-submit-timer", r -> r.replaceFromWith("direct:no-submit-timer"));
        // The ledger's runs stay as the test wrote them: no settling of the ended jobs (a poll cycle signals one).
        AdviceWith.adviceWith(context, "job-settle-due", r -> r.replaceFromWith("direct:no-settling"));
        context.start();
    }

    // ---- the ledger's content ------------------------------------------------------------------------------

    /**
     * nightly: 5 jobs (PLANNED, PENDING with a queue reason, RUNNING with a healthy server log, COMPLETED, FAILED
     * with a failure archive) and one refused point; weekly: 2 jobs, both COMPLETED, and its report.
     */
    private void record() throws IOException {
        Ledger ledger = beans.ledger();
        Path outputs = settings.outputs();
        nightly = recordRun(ledger, outputs, "nightly", Instant.parse("2026-11-27T22:00:00Z"), 5, HOSTILE);
        weekly = recordRun(ledger, outputs, "weekly", Instant.parse("2026-11-28T22:00:00Z"), 2);

        submit(ledger, nightly, key(1), "101");
        ledger.jobs().transition(nightly, key(1), JobState.PENDING, JobState.PENDING, "Resources", Map.of());
        running(ledger, nightly, key(2), "102");
        Files.writeString(outputs.resolve(nightly).resolve(key(2)).resolve("logs/server.log"),
                "INFO loading weights\nINFO:     Application startup complete.\n");
        running(ledger, nightly, key(3), "103");
        ledger.jobs().transition(nightly, key(3), JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 0));
        running(ledger, nightly, key(4), "104");
        ledger.jobs().transition(nightly, key(4), JobState.RUNNING, JobState.FAILED, "exit code 3",
                Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 3));
        Files.write(outputs.resolve(nightly).resolve(key(4)).resolve("failure.tar.gz"), ARCHIVE);

        for (int i = 0; i < 2; i++) {
            running(ledger, weekly, key(i), "20" + i);
            ledger.jobs().transition(weekly, key(i), JobState.RUNNING, JobState.COMPLETED, null,
                    Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 0));
        }
        Path report = Files.createDirectories(settings.reports().resolve(weekly));
        Files.writeString(report.resolve("report.html"), "<html>weekly report</html>");
        // What must never be served: a file beside the reports, one in the home, one beside the job directories.
        Files.writeString(settings.reports().resolve("secret.txt"), "SECRET-REPORTS");
        Files.writeString(home.resolve("secret.txt"), "SECRET-HOME");
        Files.writeString(outputs.resolve("secret.txt"), "SECRET-OUTPUTS");
    }

    private static final byte[] ARCHIVE = {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5};

    private static String key(int i) {
        return "gptoss_1k1k-" + String.format("%010x", i);
    }

    private static String recordRun(Ledger ledger, Path outputs, String sweep, Instant at, int jobs,
                                    String... refused) throws IOException {
        String runId = RunRecord.runId(sweep, at);
        List<JobRecord> jobRecords = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Path dir = Files.createDirectories(outputs.resolve(runId).resolve(key(i)).resolve("logs")).getParent();
            jobRecords.add(JobRecord.planned(runId, key(i), "local", dir.toString(), 60, 120, 600));
            points.add(PointRecord.of(runId, key(i) + "-c4", key(i), "{\"conc\":4}", null));
        }
        for (int i = 0; i < refused.length; i++) {
            points.add(PointRecord.of(runId, "refused" + i + "-c4", "refused" + i, "{\"conc\":4}", refused[i]));
        }
        ledger.runs().recordRun(RunRecord.planned(runId, sweep, sweep + ".yaml", outputs.toString(), null, "{}"),
                jobRecords, points);
        return runId;
    }

    private static void submit(Ledger ledger, String run, String key, String slurmId) {
        ledger.jobs().beginSubmit(run, key, JobNames.attempt(run, key, 1));
        ledger.jobs().submitted(run, key, slurmId);
    }

    private static void running(Ledger ledger, String run, String key, String slurmId) {
        submit(ledger, run, key, slurmId);
        ledger.jobs().transition(run, key, JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, Instant.now().minusSeconds(125)));
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private HttpResponse<byte[]> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private JsonNode getJson(String path) throws IOException {
        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return json.readTree(response.body());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------------

    @Test
    void theApiListsEveryRunWithItsCountsPerStateAndProgress() throws Exception {
        start();
        record();

        JsonNode runs = getJson("/api/runs").get("runs");

        assertThat(runs).hasSize(2);
        JsonNode newest = runs.get(0);
        assertThat(newest.get("run-id").asText()).isEqualTo(weekly);
        assertThat(newest.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(newest.get("report").asText()).isEqualTo("/reports/" + weekly + "/report.html");
        JsonNode run = runs.get(1);
        assertThat(run.get("run-id").asText()).isEqualTo(nightly);
        assertThat(run.get("jobs").asInt()).isEqualTo(5);
        assertThat(run.get("ended-jobs").asInt()).isEqualTo(2);
        assertThat(run.get("points").asInt()).isEqualTo(6);
        assertThat(run.get("refused-points").asInt()).isEqualTo(1);
        assertThat(run.get("progress").asDouble()).isEqualTo(0.4);
        assertThat(json.convertValue(run.get("jobs-by-state"), Map.class)).containsExactly(
                Map.entry("PLANNED", 1), Map.entry("PENDING", 1), Map.entry("RUNNING", 1),
                Map.entry("COMPLETED", 1), Map.entry("FAILED", 1));
        assertThat(run.get("report").isNull()).as("no report written yet").isTrue();
    }

    @Test
    void oneRunsApiHasItsJobsWithStatePhaseReasonAndArchiveAndItsPoints() throws Exception {
        start();
        record();

        JsonNode detail = getJson("/api/runs/" + nightly);

        assertThat(detail.get("run").get("run-id").asText()).isEqualTo(nightly);
        JsonNode jobs = detail.get("jobs");
        assertThat(jobs).hasSize(5);
        assertThat(jobs).extracting(j -> j.get("state").asText())
                .containsExactly("PLANNED", "PENDING", "RUNNING", "COMPLETED", "FAILED");
        assertThat(jobs).extracting(j -> j.get("phase-label").asText()).containsExactly("waiting to submit",
                "queued (Resources)", "server healthy, benchmarking", "collecting results", "settled");
        assertThat(jobs.get(2).get("elapsed-seconds").asLong()).isGreaterThanOrEqualTo(125);
        assertThat(jobs.get(4).get("reason").asText()).isEqualTo("exit code 3");
        assertThat(jobs.get(4).get("archive").asText())
                .isEqualTo("/runs/" + nightly + "/jobs/" + key(4) + "/failure.tar.gz");
        assertThat(jobs.get(3).get("archive").isNull()).isTrue();
        assertThat(detail.get("points")).hasSize(6);
        assertThat(detail.get("points").get(5).get("reason").asText()).isEqualTo(HOSTILE);
        // A sweep name means its latest run, as on the command line.
        assertThat(getJson("/api/runs/nightly").get("run").get("run-id").asText()).isEqualTo(nightly);
    }

    @Test
    void anUnknownRunIsA404WithAJsonError() throws Exception {
        start();
        record();

        for (String path : List.of("/api/runs/no-such-run", "/runs/no-such-run")) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo("no run named no-such-run");
        }
    }

    @Test
    void thePagesShowRunsBarsAndCountsAndEscapeWhatTheLedgerHolds() throws Exception {
        start();
        record();

        HttpResponse<byte[]> index = get("/");
        HttpResponse<byte[]> runPage = get("/runs/" + nightly);

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String html = text(index);
        assertThat(html).contains("data-run=\"" + nightly + "\"", "data-run=\"" + weekly + "\"")
                .contains("data-progress=\"40\"", "data-progress=\"100\"")
                .contains("<li class=\"state-RUNNING\" data-state=\"RUNNING\">RUNNING <b>1</b></li>")
                .contains("href=\"/reports/" + weekly + "/report.html\"")
                .doesNotContainPattern("<script[^>]*\\ssrc=");
        String page = text(runPage);
        assertThat(page).contains("queued (Resources)", "server healthy, benchmarking", "2m 0")
                .contains("href=\"/runs/" + nightly + "/jobs/" + key(4) + "/failure.tar.gz\"")
                .contains("&lt;img src=x onerror=alert(1)&gt; needs 96 GiB &amp; more")
                .doesNotContain("<img");
    }

    @Test
    void reportsAndArchivesAreServedAndNothingElseIs() throws Exception {
        start();
        record();

        HttpResponse<byte[]> report = get("/reports/" + weekly + "/report.html");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(text(report)).isEqualTo("<html>weekly report</html>");
        HttpResponse<byte[]> archive = get("/runs/" + nightly + "/jobs/" + key(4) + "/failure.tar.gz");
        assertThat(archive.statusCode()).isEqualTo(200);
        assertThat(archive.body()).isEqualTo(ARCHIVE);
        assertThat(archive.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"" + key(4) + "-failure.tar.gz\"");

        List<String> climbing = List.of(
                "/reports/" + weekly + "/..%2Fsecret.txt",
                "/reports/" + weekly + "/%2e%2e%2fsecret.txt",
                "/reports/..%2F..%2Fsecret.txt/report.html",
                "/reports/" + weekly + "%2F..%2F..%2F/secret.txt",
                "/reports/" + weekly + "/..%2F..%2Fsecret.txt",
                "/reports/%2e%2e/secret.txt",
                "/runs/" + nightly + "/jobs/" + key(4) + "/..%2F..%2Fsecret.txt",
                "/runs/" + nightly + "/jobs/..%2F..%2F/failure.tar.gz",
                "/runs/" + nightly + "/jobs/" + key(4) + "/job.sbatch",
                "/runs/" + nightly + "/jobs/" + key(3) + "/failure.tar.gz",
                "/runs/" + nightly + "%2F..%2F..%2F/jobs/" + key(4) + "/failure.tar.gz",
                "/reports/" + nightly + "/report.html");
        for (String path : climbing) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(text(response)).as(path).doesNotContain("SECRET").doesNotContain("#!/bin/bash");
        }
    }

    /**
     * A job retried after its first attempt failed: the report written for the run links to both attempts' Slurm
     * output, logs and archive; opened through the server, each link's server URL answers with that very file.
     */
    @Test
    void theReportsLinksToJobLogsAndArchivesOfEveryAttemptAnswerOverHttpAndNothingBesideThemDoes() throws Exception {
        start();
        record();
        Ledger ledger = beans.ledger();
        Path jobDir = settings.outputs().resolve(nightly).resolve(key(4));
        Files.writeString(jobDir.resolve("logs/slurm-104.out"), "first attempt: CUDA out of memory\n");
        JobRecord failed = ledger.jobs().job(nightly, key(4)).orElseThrow();
        assertThat(new JobRetries(ledger.jobs()).retry(failed, "retry with workaround mem-headroom added", false,
                "mem-headroom")).isTrue();
        running(ledger, nightly, key(4), "105");
        ledger.jobs().transition(nightly, key(4), JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, Instant.now(), JobDetails.EXIT_CODE, 0));
        Files.writeString(jobDir.resolve("logs/slurm-105.out"), "second attempt: done\n");
        Files.writeString(jobDir.resolve("job.sbatch"), "#!/bin/bash\n");
        // Links that lead out of the logs, and a file below them: none of them is served, listed or followed.
        Files.createSymbolicLink(jobDir.resolve("logs/escape.out"), home.resolve("secret.txt"));
        Files.createSymbolicLink(jobDir.resolve("logs/script.out"), jobDir.resolve("job.sbatch"));
        Files.createSymbolicLink(jobDir.resolve("attempts/attempt-1/logs/escape.out"), home.resolve("secret.txt"));
        Files.createDirectories(jobDir.resolve("logs/sub"));
        Files.writeString(jobDir.resolve("logs/sub/deeper.out"), "SECRET-DEEPER");
        Path otherLogs = settings.outputs().resolve(nightly).resolve(key(3)).resolve("logs");
        Files.delete(otherLogs);
        Files.createSymbolicLink(otherLogs, home);

        ReportWriter.WrittenReport report = new RunReports(ledger, settings.reports(), profile -> "h100", 0.05,
                java.time.Clock.systemUTC()).write(ledger.runs().run(nightly).orElseThrow(), true, Optional.empty());
        String html = Files.readString(report.html());
        Map<String, String> served = new java.util.LinkedHashMap<>();
        Matcher links = Pattern.compile("<a href=\"([^\"]+)\" data-served=\"([^\"]+)\">([^<]+)</a>").matcher(html);
        while (links.find()) {
            served.put(links.group(2).replace("&amp;", "&"), links.group(3));
        }
        String job = "/runs/" + nightly + "/jobs/" + key(4);
        assertThat(served).containsKeys(job + "/logs/slurm-105.out", job + "/logs",
                job + "/attempts/1/logs/slurm-104.out", job + "/attempts/1/logs", job + "/attempts/1/failure.tar.gz");

        assertThat(get("/reports/" + nightly + "/report.html").statusCode()).isEqualTo(200);
        String other = "/runs/" + nightly + "/jobs/" + key(3);
        for (String url : served.keySet()) {
            // key(3)'s logs/ is a link to the home: the report (reading the disk) links to it, the server refuses.
            assertThat(get(url).statusCode()).as(url).isEqualTo(url.startsWith(other + "/") ? 404 : 200);
        }
        HttpResponse<byte[]> log = get(job + "/logs/slurm-105.out");
        assertThat(text(log)).isEqualTo("second attempt: done\n");
        assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(text(get(job + "/attempts/1/logs/slurm-104.out"))).isEqualTo("first attempt: CUDA out of memory\n");
        assertThat(get(job + "/attempts/1/failure.tar.gz").body()).isEqualTo(ARCHIVE);
        String listing = text(get(job + "/logs"));
        assertThat(listing).contains("href=\"" + job + "/logs/slurm-105.out\"")
                .doesNotContain("escape.out", "script.out", "sub", "slurm-104.out");
        assertThat(text(get(job + "/attempts/1/logs"))).contains("slurm-104.out").doesNotContain("escape.out");

        for (String path : List.of(job + "/logs/escape.out", job + "/logs/script.out",
                job + "/attempts/1/logs/escape.out", job + "/logs/sub%2Fdeeper.out", job + "/logs/..%2Fjob.sbatch",
                job + "/logs/..%2F..%2F..%2F..%2Fsecret.txt", job + "/logs/%2e%2e", job + "/attempts/1/job.sbatch",
                job + "/attempts/1/logs/..%2F..%2F..%2Fjob.sbatch", job + "/attempts/0/failure.tar.gz",
                job + "/attempts/..%2F..%2F/failure.tar.gz", job + "/attempts/2/failure.tar.gz",
                job + "/attempts/1%2F..%2F..%2F/failure.tar.gz", other + "/logs/secret.txt", other + "/logs",
                "/runs/" + nightly + "/jobs/no-such-job/logs", "/runs/no-such-run/jobs/" + key(4) + "/logs")) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(text(response)).as(path).doesNotContain("SECRET").doesNotContain("#!/bin/bash");
        }
    }

    @Test
    void healthIsUpAndGoesDownWhenSlurmStopsAnsweringOrTheLedgerClosesAndMetricsFollowTheLedger()
            throws Exception {
        start();
        template.sendBody("direct:job-poll", null); // one poll cycle, before any job is live: no squeue
        record();

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            HttpResponse<byte[]> health = get("/observe/health");
            assertThat(health.statusCode()).as(text(health)).isEqualTo(200);
            assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        });

        String metrics = text(get("/observe/metrics"));
        assertThat(metrics)
                .contains("sweepd_jobs{state=\"PLANNED\"} 1.0", "sweepd_jobs{state=\"PENDING\"} 1.0",
                        "sweepd_jobs{state=\"RUNNING\"} 1.0", "sweepd_jobs{state=\"COMPLETED\"} 3.0",
                        "sweepd_jobs{state=\"FAILED\"} 1.0", "sweepd_jobs{state=\"LOST\"} 0.0")
                .contains("sweepd_submissions_total 6.0")
                .containsPattern("sweepd_slurm_command_seconds_count\\{command=\"scontrol\"} [1-9]")
                .contains("sweepd_slurm_command_seconds_max{command=\"scontrol\"} 0.037")
                .containsPattern("camel_route_policy_seconds_count\\{[^}]*routeId=\"job-poll\"[^}]*} [1-9]");

        controller.set(DOWN);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            HttpResponse<byte[]> health = get("/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(text(health)).contains("sweepd-slurm");
        });
        assertThat(text(get("/observe/metrics")))
                .containsPattern("sweepd_slurm_command_errors_total\\{command=\"scontrol\",kind=\"exit\"} [1-9]");

        controller.set(UP);
        await().atMost(Duration.ofMinutes(2)).until(() -> get("/observe/health").statusCode() == 200);
        beans.ledger().close();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            HttpResponse<byte[]> health = get("/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(text(health)).contains("sweepd-ledger").doesNotContain("sweepd-slurm");
        });
    }
}
