package io.sweepd.routes;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.sweepd.Fixtures;
import io.sweepd.LogLines;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.notify.EndedRuns;
import io.sweepd.notify.Notifier;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook target against a real HTTP server on localhost: what it receives (JSON, headers), a retry after an
 * error answer, and an endpoint that never accepts, which the caller never hears about.
 */
class NotifyWebhookRoutesTest extends RouteTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** One request as the server saw it. */
    private record Received(String method, String path, String query, Headers headers, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    @TempDir
    Path home;

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The status of each next answer; 200 once these are used up. */
    private final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
    private final LogLines notifierLog = LogLines.of(Notifier.class);

    NotifyWebhookRoutesTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(), exchange.getRequestHeaders(), body));
            Integer status = answers.poll();
            byte[] reply = (status == null ? "ok" : "upstream broke\nsecond line").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        notifierLog.close();
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.profile", "local",
                "sweepd.notify.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=t0p-s3cret",
                "sweepd.notify.headers", "Authorization=Bearer test-token, X-Sweepd-Test=1",
                "sweepd.notify.retries", "3",
                "sweepd.notify.retry-delay-ms", "100");
    }

    private String endedRun() {
        Ledger ledger = beans.ledger();
        String runId = EndedRuns.record(ledger, settings.outputs(), "gptoss", Instant.parse("2026-06-01T10:00:00Z"));
        ledger.runs().finishRun(runId, Instant.now());
        return runId;
    }

    @Test
    void aRunThatEndedIsPostedAsJsonWithTheConfiguredHeaders() throws Exception {
        String runId = endedRun();

        template.sendBody("direct:notify-run-ended", runId);

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        Received post = received.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/hook");
        assertThat(post.query()).isEqualTo("token=t0p-s3cret");
        assertThat(post.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(post.headers().getFirst("Authorization")).isEqualTo("Bearer test-token");
        assertThat(post.headers().getFirst("X-Sweepd-Test")).isEqualTo("1");
        JsonNode json = post.json();
        assertThat(json.get("text").asText()).startsWith("sweepd: run " + runId + " finished: 1 of 2 jobs completed");
        assertThat(json.get("event").asText()).isEqualTo("run-ended");
        assertThat(json.get("run_id").asText()).isEqualTo(runId);
        assertThat(json.get("state").asText()).isEqualTo("FINISHED");
        assertThat(json.get("jobs").get("FAILED").asInt()).isEqualTo(1);
        assertThat(json.get("failed_jobs").get(0).get("diagnosis").asText()).isEqualTo(EndedRuns.DIAGNOSIS);
        assertThat(json.get("report").asText()).endsWith(runId + "/report.html");
        await().atMost(PATIENCE).until(() -> notifierLog.at(Level.INFO).stream()
                .anyMatch(line -> line.contains("run-ended of run " + runId + " by webhook")));
        // The URL's path and query may be a chat webhook's secret; header values are one.
        assertThat(String.join("\n", notifierLog.at(Level.INFO))).doesNotContain("t0p-s3cret")
                .doesNotContain("test-token");
    }

    @Test
    void aWebhookThatAnswersAnErrorIsRetriedUntilItTakesTheNotification() throws Exception {
        String runId = endedRun();
        answers.add(500);

        template.sendBody("direct:notify-run-ended", runId);

        await().atMost(PATIENCE).until(() -> notifierLog.at(Level.INFO).stream()
                .anyMatch(line -> line.contains("run-ended of run " + runId + " by webhook")));
        assertThat(received).hasSize(2);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        assertThat(notifierLog.at(Level.WARN)).isEmpty();
    }

    @Test
    void aWebhookThatNeverTakesItIsGivenUpWithAWarningAndTheCallerNeverHearsOfIt() {
        String runId = endedRun();
        answers.addAll(List.of(500, 502, 503, 500));

        // Returns at once, without an exception, whatever the webhook does later.
        template.sendBody("direct:notify-run-ended", runId);

        await().atMost(PATIENCE).until(() -> !notifierLog.at(Level.WARN).isEmpty());
        assertThat(received).hasSize(4);
        assertThat(notifierLog.at(Level.WARN)).singleElement().asString()
                .startsWith("run-ended notification of run " + runId + " not delivered after 4 attempts: webhook "
                        + "http://127.0.0.1:" + server.getAddress().getPort() + "/... answered HTTP 500: upstream broke")
                .doesNotContain("t0p-s3cret").doesNotContain("test-token");
    }

    /**
     * A failed job settled by the real job-settle route (real triage, real archive) is announced once its end is
     * settled: the webhook hears the diagnosis and the fix.
     */
    @Test
    void aFailedJobIsPostedWithItsDiagnosisTheSuggestedFixAndItsEvidence() throws Exception {
        JobRecord job = triagedFailedJob();

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        JsonNode json = received.get(0).json();
        assertThat(json.get("event").asText()).isEqualTo("job-failed");
        assertThat(json.get("state").asText()).isEqualTo("FAILED");
        assertThat(json.has("failed_jobs")).isFalse();
        JsonNode failed = json.get("job");
        assertThat(failed.get("job_key").asText()).isEqualTo(job.jobKey());
        assertThat(failed.get("slurm_job_id").asText()).isEqualTo("4242");
        assertThat(failed.get("points")).isNotEmpty();
        assertThat(failed.get("points").get(0).asText()).isEqualTo(beans.ledger().runs().points(job.runId()).stream()
                .filter(p -> p.jobKey().equals(job.jobKey())).findFirst().orElseThrow().pointId());
        assertThat(failed.get("diagnosis").asText()).isNotBlank();
        assertThat(failed.get("suggested_workaround").asText()).isEqualTo("dynamo-vllm-no-frontend-flags-on-workers");
        assertThat(failed.get("archive").asText()).isEqualTo(Path.of(job.jobDir()).resolve("failure.tar.gz").toString());
        assertThat(json.get("text").asText()).startsWith("sweepd: job " + job.jobKey() + " (Slurm 4242) of run "
                + job.runId() + " FAILED: ").contains("suggested workaround: dynamo-vllm-no-frontend-flags-on-workers");
    }

    private JobRecord triagedFailedJob() throws Exception {
        NotifyBuilder recorded = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenCompleted(1).create();
        Files.copy(Fixtures.fixture("inferencemax/master-excerpt.yaml"), settings.inbox().resolve("excerpt.yaml"));
        assertThat(recorded.matches(60, TimeUnit.SECONDS)).as("the sweep was recorded").isTrue();
        Ledger ledger = beans.ledger();
        RunRecord run = ledger.runs().latestRun("excerpt").orElseThrow();
        JobRecord job = ledger.jobs().jobs(run.runId()).get(0);
        try {
            Files.copy(Fixtures.fixture("seed-pr/failure-logs/03-api-server-flags.log"),
                    Path.of(job.jobDir()).resolve("logs/prefill-0.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ledger.jobs().beginSubmit(job.runId(), job.jobKey(), "sweepd-" + job.jobKey() + "-test-a1");
        ledger.jobs().submitted(job.runId(), job.jobKey(), "4242");
        ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PENDING, JobState.FAILED,
                "FAILED (NonZeroExitCode), exit code 2:0", Map.of(JobDetails.ENDED_AT, Instant.now()));
        template.sendBody("direct:job-settle", ledger.jobs().job(job.runId(), job.jobKey()).orElseThrow());
        return ledger.jobs().job(job.runId(), job.jobKey()).orElseThrow();
    }
}
