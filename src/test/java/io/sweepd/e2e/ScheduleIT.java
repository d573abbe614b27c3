package io.sweepd.e2e;

import io.sweepd.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cron schedule on the packaged daemon against the real local Slurm: a file in the schedules folder registers
 * the schedule without running it, and one firing makes a run whose job is submitted with sbatch and ends.
 */
class ScheduleIT {

    /** Every 15 s: the first firing comes soon after the daemon reads the file. */
    private static final String SWEEP = Fixtures.oneJobSweep("schedule: '0/15 * * * * ?'", "profile: local");

    /** Kept when a test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void aFiringOfAScheduleFromTheSchedulesFolderMakesARunWhoseJobsAreSubmittedAndEnd() throws Exception {
        Files.createDirectories(home.resolve("schedules"));
        Files.writeString(home.resolve("schedules").resolve("e2e-nightly.yaml"), SWEEP);
        try (Daemon daemon = new Daemon(home, Map.of("SWEEPD_SCHEDULES_SCAN_INTERVAL_MS", "1000")).start()) {
            String[] runId = new String[1];
            await().atMost(Daemon.GENEROUS).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode schedule = schedule(daemon);
                runId[0] = schedule == null ? null : schedule.path("last-run").asText(null);
                return runId[0] != null;
            });
            assertThat(runId[0]).matches("e2e-nightly-\\d{8}-\\d{6}");

            JsonNode status = daemon.awaitStates(runId[0], "COMPLETED");

            assertThat(status).isNotEmpty().allSatisfy(point -> {
                assertThat(point.get("sweep").asText()).isEqualTo(runId[0]);
                assertThat(point.get("slurm-job-id").asText()).matches("\\d+");
            });
            Path report = home.resolve("reports").resolve(runId[0]).resolve("report.md");
            await().atMost(Daemon.GENEROUS).until(() -> Files.exists(report)
                    && Files.readString(report).contains("Final report"));
            assertThat(Files.readString(home.resolve("daemon-1.log"))).contains("schedule e2e-nightly registered")
                    .contains("schedule e2e-nightly armed").contains("run " + runId[0] + " recorded");
        }
    }

    /** The schedule's row as {@code sweepd schedules --format json} shows it, or null before it is registered. */
    private static JsonNode schedule(Daemon daemon) throws Exception {
        PackagedApp.Result result = daemon.cli("schedules", "--format", "json");
        String out = result.output();
        if (result.exitCode() != 0 || out.indexOf('[') < 0) {
            return null;
        }
        for (JsonNode schedule : new ObjectMapper().readTree(out.substring(out.indexOf('[')))) {
            if (schedule.path("name").asText().equals("e2e-nightly")) {
                return schedule;
            }
        }
        return null;
    }
}
