package io.sweepd.routes;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.LogLines;
import io.sweepd.json.Json;
import io.sweepd.ledger.Ledger;
import io.sweepd.notify.EndedRuns;
import io.sweepd.notify.Notifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command target, run for real: a small shell script (written by the test) records its stdin, environment and
 * arguments. The webhook is configured too, at a port nothing listens on: it fails on its own, logged, while the
 * command is still run and the caller never waits or hears of it.
 */
class NotifyCommandRoutesTest extends RouteTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Shell syntax in a sweep's name: it must arrive as text, never run. */
    private static final String NASTY_SWEEP = "perf$(touch pwned)`touch pwned2`;echo 'x'|cat>\"q\" ${HOME}";

    @TempDir
    Path home;

    private final int closedPort = closedPort();
    private final LogLines notifierLog = LogLines.of(Notifier.class);

    @AfterEach
    void detachLog() {
        notifierLog.close();
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.profile", "local",
                // Two arguments with blanks and shell syntax in the setting itself: split without a shell.
                "sweepd.notify.command", "'" + home.resolve("notify.sh") + "' 'two words' '$(touch pwned3)'",
                "sweepd.notify.url", "http://127.0.0.1:" + closedPort + "/hook",
                "sweepd.notify.retries", "1",
                "sweepd.notify.retry-delay-ms", "50");
    }

    /** Writes what it was given into notified-$SWEEPD_EVENT/, renamed into place when whole. */
    private void writeScript() throws IOException {
        Path script = home.resolve("notify.sh");
        Files.writeString(script, """
                #!/bin/sh
                out="$(dirname "$0")/notified-$SWEEPD_EVENT"
                mkdir "$out.tmp" || exit 1
                cat > "$out.tmp/stdin.json"
                printf '%s' "$SWEEPD_RUN_ID" > "$out.tmp/run-id"
                printf '%s' "$SWEEPD_SWEEP" > "$out.tmp/sweep"
                printf '%s' "$SWEEPD_STATE" > "$out.tmp/state"
                printf '%s' "$SWEEPD_JOB_KEY" > "$out.tmp/job-key"
                printf '%s' "$SWEEPD_SLURM_JOB_ID" > "$out.tmp/slurm-job-id"
                printf '%s\\n' "$@" > "$out.tmp/args"
                pwd > "$out.tmp/pwd"
                mv "$out.tmp" "$out"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    private String endedRun(String sweep) {
        Ledger ledger = beans.ledger();
        String runId = EndedRuns.record(ledger, settings.outputs(), sweep, Instant.parse("2026-06-01T10:00:00Z"));
        ledger.runs().finishRun(runId, Instant.now());
        return runId;
    }

    @Test
    void theCommandGetsTheJsonOnStdinAndTheIdsInItsEnvironmentWithASweepsTextVerbatim() throws Exception {
        writeScript();
        String runId = endedRun(NASTY_SWEEP);

        template.sendBody("direct:notify-run-ended", runId);

        Path out = home.resolve("notified-run-ended");
        await().atMost(PATIENCE).until(() -> Files.isDirectory(out));
        assertThat(Files.readString(out.resolve("run-id"))).isEqualTo(runId).startsWith(NASTY_SWEEP);
        assertThat(Files.readString(out.resolve("sweep"))).isEqualTo(NASTY_SWEEP);
        assertThat(Files.readString(out.resolve("state"))).isEqualTo("FINISHED");
        assertThat(Files.readString(out.resolve("job-key"))).isEmpty();
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly("two words", "$(touch pwned3)");
        assertThat(Path.of(Files.readString(out.resolve("pwd")).strip())).isEqualTo(home.toRealPath());
        JsonNode json = Json.MAPPER.readTree(out.resolve("stdin.json").toFile());
        assertThat(json.get("run_id").asText()).isEqualTo(runId);
        assertThat(json.get("sweep").asText()).isEqualTo(NASTY_SWEEP);
        assertThat(json.get("text").asText()).startsWith("sweepd: run " + runId + " finished");
        for (String pwned : new String[] {"pwned", "pwned2", "pwned3", "q"}) {
            assertThat(home.resolve(pwned)).doesNotExist();
            assertThat(Path.of(pwned)).doesNotExist();
        }
    }

    @Test
    void anUnreachableWebhookIsLoggedWithTheRunAndJobWhileTheCommandStillRunsAndTheCallerNeverHearsOfIt()
            throws Exception {
        writeScript();
        String runId = endedRun("gptoss");

        // Returns at once and without an exception: delivery happens on the notification queue's thread.
        template.sendBody("direct:notify-job-failed", EndedRuns.job(beans.ledger(), runId, EndedRuns.FAILED_KEY));

        await().atMost(PATIENCE).until(() -> !notifierLog.at(Level.WARN).isEmpty());
        assertThat(notifierLog.at(Level.WARN)).singleElement().asString()
                .startsWith("job-failed notification of run " + runId + ", job " + EndedRuns.FAILED_KEY
                        + " not delivered after 2 attempts: webhook http://127.0.0.1:" + closedPort + "/... not reached");
        Path out = home.resolve("notified-job-failed");
        await().atMost(PATIENCE).until(() -> Files.isDirectory(out));
        assertThat(Files.readString(out.resolve("job-key"))).isEqualTo(EndedRuns.FAILED_KEY);
        assertThat(Files.readString(out.resolve("slurm-job-id"))).isEqualTo(EndedRuns.FAILED_SLURM_ID);
        assertThat(Files.readString(out.resolve("state"))).isEqualTo("FAILED");
        assertThat(Json.MAPPER.readTree(out.resolve("stdin.json").toFile()).get("job").get("diagnosis").asText())
                .isEqualTo(EndedRuns.DIAGNOSIS);
    }

    /** A port that was free a moment ago: nothing accepts connections there. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
