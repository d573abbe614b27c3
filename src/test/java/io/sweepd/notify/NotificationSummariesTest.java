package io.sweepd.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.InMemoryLedger;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationSummariesTest {

    private static final Instant WRITTEN = Instant.parse("2026-06-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(WRITTEN.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    Path home;

    private final Ledger ledger = InMemoryLedger.open(CLOCK);

    @AfterEach
    void close() {
        ledger.close();
    }

    private NotificationSummaries summaries() {
        return new NotificationSummaries(ledger, home.resolve("reports"), CLOCK);
    }

    private String endedRun() {
        String runId = EndedRuns.record(ledger, home.resolve("outputs"), "gptoss", WRITTEN);
        ledger.runs().finishRun(runId, CLOCK.instant());
        return runId;
    }

    @Test
    void aRunThatEndedIsCountedByJobStateWithEveryFailedJobItsDiagnosisAndTheReport() {
        String runId = endedRun();

        Notification n = summaries().runEnded(runId);

        assertThat(n.event()).isEqualTo("run-ended");
        assertThat(n.runId()).isEqualTo(runId);
        assertThat(n.sweep()).isEqualTo("gptoss");
        assertThat(n.state()).isEqualTo("FINISHED");
        assertThat(n.jobs()).containsExactly(java.util.Map.entry("COMPLETED", 1), java.util.Map.entry("FAILED", 1));
        assertThat(n.jobsTotal()).isEqualTo(2);
        assertThat(n.report()).isEqualTo(home.resolve("reports").resolve(runId).resolve("report.html").toString());
        assertThat(n.job()).isNull();
        assertThat(n.failedJobs()).singleElement().satisfies(job -> {
            assertThat(job.jobKey()).isEqualTo(EndedRuns.FAILED_KEY);
            assertThat(job.slurmJobId()).isEqualTo(EndedRuns.FAILED_SLURM_ID);
            assertThat(job.points()).containsExactly(EndedRuns.FAILED_KEY + "-c4", EndedRuns.FAILED_KEY + "-c8");
            assertThat(job.state()).isEqualTo("FAILED");
            assertThat(job.reason()).startsWith("FAILED (NonZeroExitCode)").contains("diagnosis: " + EndedRuns.DIAGNOSIS);
            assertThat(job.category()).isEqualTo("engine-args");
            assertThat(job.diagnosis()).isEqualTo(EndedRuns.DIAGNOSIS);
            assertThat(job.suggestedWorkaround()).isEqualTo(EndedRuns.WORKAROUND);
            assertThat(job.retryable()).isFalse();
            assertThat(job.retrying()).isFalse();
            assertThat(job.archive()).endsWith(EndedRuns.FAILED_KEY + "/failure.tar.gz");
        });
        assertThat(n.text()).isEqualTo("sweepd: run " + runId + " finished: 1 of 2 jobs completed, 1 FAILED; "
                + "1 points refused before submission; report: " + n.report());
    }

    @Test
    void aFailedJobIsDescribedAsItFailedEvenWhenItHasBeenPlannedAgainForARetry() throws Exception {
        String runId = EndedRuns.record(ledger, home.resolve("outputs"), "gptoss", WRITTEN);
        JobRecord failed = EndedRuns.job(ledger, runId, EndedRuns.FAILED_KEY);
        // As JobRetries does: the attempt's evidence set aside, the job back in line for sbatch.
        Path attempt = Path.of(failed.jobDir()).resolve("attempts/attempt-1");
        Files.createDirectories(attempt);
        Files.move(Path.of(failed.jobDir()).resolve("failure.tar.gz"), attempt.resolve("failure.tar.gz"));
        ledger.jobs().transition(runId, EndedRuns.FAILED_KEY, JobState.FAILED, JobState.PLANNED,
                "retry 2 of 3 after engine-args", null);
        JobRecord plannedAgain = EndedRuns.job(ledger, runId, EndedRuns.FAILED_KEY);

        Notification n = summaries().jobFailed(plannedAgain);

        assertThat(n.event()).isEqualTo("job-failed");
        assertThat(n.state()).isEqualTo("FAILED");
        assertThat(n.failedJobs()).isNull();
        assertThat(n.job().state()).isEqualTo("FAILED");
        assertThat(n.job().diagnosis()).isEqualTo(EndedRuns.DIAGNOSIS);
        assertThat(n.job().retrying()).isTrue();
        assertThat(n.job().attempt()).isEqualTo(1);
        assertThat(n.job().archive()).isEqualTo(attempt.resolve("failure.tar.gz").toString());
        assertThat(n.jobs()).containsEntry("PLANNED", 1).containsEntry("COMPLETED", 1);
        assertThat(n.text()).isEqualTo("sweepd: job " + EndedRuns.FAILED_KEY + " (Slurm " + EndedRuns.FAILED_SLURM_ID
                + ") of run " + runId + " FAILED: " + EndedRuns.DIAGNOSIS + "; suggested workaround: "
                + EndedRuns.WORKAROUND + "; retrying");
    }

    @Test
    void aJobThatWasNeverTriagedStillSaysWhyFromItsReason() {
        String runId = EndedRuns.record(ledger, home.resolve("outputs"), "gptoss", WRITTEN);
        ledger.jobs().transition(runId, EndedRuns.COMPLETED_KEY, JobState.COMPLETED, JobState.CANCELLED,
                "cancelled by sweepd cancel", null);

        Notification n = summaries().jobFailed(EndedRuns.job(ledger, runId, EndedRuns.COMPLETED_KEY));

        assertThat(n.job().state()).isEqualTo("CANCELLED");
        assertThat(n.job().diagnosis()).isNull();
        assertThat(n.job().category()).isNull();
        assertThat(n.job().archive()).isNull();
        assertThat(n.text()).endsWith("CANCELLED: cancelled by sweepd cancel");
    }

    @Test
    void theJsonStartsWithTheChatLineAndUsesTheReportsSnakeCaseFieldNames() throws Exception {
        String runId = endedRun();
        Notifier notifier = new Notifier(NotifySettings.none(), summaries(), Optional.empty(), Optional.empty());

        JsonNode json = Json.MAPPER.readTree(notifier.json(notifier.runEnded(runId)));

        assertThat(json.fieldNames()).toIterable().containsExactly("text", "event", "run_id", "sweep", "state", "jobs",
                "jobs_total", "failed_jobs", "report", "at");
        assertThat(json.get("text").asText()).startsWith("sweepd: run " + runId + " finished");
        assertThat(json.get("at").asText()).isEqualTo(CLOCK.instant().toString());
        JsonNode failed = json.get("failed_jobs").get(0);
        assertThat(failed.fieldNames()).toIterable().containsExactly("job_key", "slurm_job_id", "points", "state",
                "reason", "category", "diagnosis", "suggested_workaround", "retryable", "retrying", "attempt",
                "job_dir", "archive");
        assertThat(failed.get("suggested_workaround").asText()).isEqualTo(EndedRuns.WORKAROUND);
    }
}
