package io.sweepd.routes;

import io.sweepd.core.JobDirectory;
import io.sweepd.triage.TriageFile;

import io.sweepd.Fixtures;
import io.sweepd.core.JobState;
import io.sweepd.LogLines;
import io.sweepd.ledger.EventKind;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the routes do with a job that ended, without Slurm: a sweep is planned and recorded through the real
 * intake, then a job's end is settled by the route the poll cycle feeds (collect, or triage and archive), and the
 * poll cycle finishes the run once every end is settled.
 */
class JobEndRoutesTest extends RouteTestSupport {

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.profile", "local", "sweepd.settle.backoff-ms", "300");
    }

    private JobRecord recordedJob() throws Exception {
        NotifyBuilder recorded = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenCompleted(1).create();
        Files.copy(Fixtures.fixture("inferencemax/master-excerpt.yaml"), settings.inbox().resolve("excerpt.yaml"));
        assertThat(recorded.matches(60, TimeUnit.SECONDS)).as("the sweep was recorded").isTrue();
        Ledger ledger = beans.ledger();
        RunRecord run = ledger.runs().latestRun("excerpt").orElseThrow();
        return ledger.jobs().jobs(run.runId()).get(0);
    }

    /** Moves a planned job through submission to the given end, as the submitter and poller would. */
    private JobRecord ended(JobRecord job, JobState end, String reason) {
        Ledger ledger = beans.ledger();
        assertThat(ledger.jobs().beginSubmit(job.runId(), job.jobKey(), "sweepd-" + job.jobKey() + "-test-a1"))
                .isTrue();
        ledger.jobs().submitted(job.runId(), job.jobKey(), "4242");
        ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PENDING, end, reason,
                Map.of(JobDetails.ENDED_AT, Instant.now()));
        return ledger.jobs().job(job.runId(), job.jobKey()).orElseThrow();
    }

    @Test
    void aCompletedJobWithoutResultsIsInvalidTriagedArchivedAndReported() throws Exception {
        JobRecord job = ended(recordedJob(), JobState.COMPLETED, null);

        template.sendBody("direct:job-settle", job);

        JobRecord after = beans.ledger().jobs().job(job.runId(), job.jobKey()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.INVALID);
        assertThat(after.reason()).contains("no result file").contains("diagnosis:");
        Path dir = Path.of(job.jobDir());
        assertThat(Files.readString(dir.resolve("triage.json"))).contains("benchmark-invalid");
        // Written by the route in the fields and order `sweepd triage` reads, and whole (no temporary left).
        assertThat(TriageFile.read(new JobDirectory(dir))).hasValueSatisfying(triage ->
                assertThat(triage.category().id()).isEqualTo("benchmark-invalid"));
        assertThat(io.sweepd.json.Json.MAPPER.readTree(dir.resolve("triage.json").toFile()).fieldNames())
                .toIterable().containsExactly("category", "retryable", "diagnosis", "suggested-workaround",
                        "evidence", "file", "line", "signature");
        assertThat(dir.resolve("triage.json.tmp")).doesNotExist();
        assertThat(dir.resolve("failure.tar.gz")).exists();
        assertThat(Files.readString(home.resolve("reports").resolve(job.runId()).resolve("report.md")))
                .contains("no result file");
    }

    @Test
    void aFailedJobIsTriagedWithTheFixAndNotRetriedWhenTheCauseIsDeterministic() throws Exception {
        JobRecord job = recordedJob();
        Path dir = Path.of(job.jobDir());
        Files.copy(Fixtures.fixture("seed-pr/failure-logs/03-api-server-flags.log"), dir.resolve("logs/prefill-0.log"));
        job = ended(job, JobState.FAILED, "FAILED (NonZeroExitCode), exit code 2:0");

        template.sendBody("direct:job-settle", job);

        JobRecord after = beans.ledger().jobs().job(job.runId(), job.jobKey()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.reason()).contains("fix: workaround dynamo-vllm-no-frontend-flags-on-workers");
        assertThat(dir.resolve("failure.tar.gz")).exists();
        assertThat(dir.resolve("attempts")).doesNotExist();
    }

    @Test
    void aTransientFailureIsPlannedAgainWithItsEvidenceSetAside() throws Exception {
        JobRecord job = recordedJob();
        Path dir = Path.of(job.jobDir());
        Files.writeString(dir.resolve("logs/prefill-0.log"),
                "NCCL WARN socketStartConnect: Connect to 10.0.0.12<41223> failed : Connection refused\n");
        job = ended(job, JobState.FAILED, "FAILED (NonZeroExitCode), exit code 1:0");

        template.sendBody("direct:job-settle", job);

        JobRecord after = beans.ledger().jobs().job(job.runId(), job.jobKey()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.PLANNED);
        assertThat(after.reason()).startsWith("retry 2 of 3");
        assertThat(dir.resolve("attempts/attempt-1/failure.tar.gz")).exists();
        assertThat(dir.resolve("attempts/attempt-1/triage.json")).exists();
        assertThat(dir.resolve("logs")).isEmptyDirectory();
    }

    private Ledger ledger() {
        return beans.ledger();
    }

    private JobRecord now(JobRecord job) {
        return ledger().jobs().job(job.runId(), job.jobKey()).orElseThrow();
    }

    private long events(JobRecord job, EventKind kind) {
        return ledger().jobs().events(job.runId(), job.jobKey()).stream().filter(e -> e.kind() == kind).count();
    }

    @Test
    void anEndedJobIsSettledOnceAndItsRunFinishesAfterTheFinalReportIsWritten() throws Exception {
        JobRecord job = recordedJob();
        Files.copy(Fixtures.fixture("seed-pr/failure-logs/03-api-server-flags.log"),
                Path.of(job.jobDir()).resolve("logs/prefill-0.log"));
        List<JobRecord> all = ledger().jobs().jobs(job.runId());
        for (JobRecord other : all) {
            ended(other, JobState.FAILED, "FAILED (NonZeroExitCode), exit code 2:0");
        }
        RunRecord run = ledger().runs().run(job.runId()).orElseThrow();
        assertThat(run.finished()).isFalse();

        // No live job: the cycle asks Slurm nothing and has what the ledger says ended settled, on the settling's
        // own thread (the cycle does not wait for it).
        template.sendBody("direct:job-poll", null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> ledger().runs().run(run.runId()).orElseThrow().finished());

        for (JobRecord other : all) {
            JobRecord after = now(other);
            assertThat(after.settled()).as(other.jobKey()).isTrue();
            assertThat(events(other, EventKind.SETTLED)).isEqualTo(1);
            assertThat(Path.of(other.jobDir()).resolve("failure.tar.gz")).exists();
        }
        assertThat(ledger().runs().run(run.runId()).orElseThrow().finished()).isTrue();
        Path report = home.resolve("reports").resolve(run.runId()).resolve("report.json");
        assertThat(io.sweepd.json.Json.MAPPER.readTree(report.toFile()).path("final").asBoolean())
                .as("the report was final before the run was").isTrue();
        // The finished mark came after the report was written.
        java.time.Instant finishedAt = ledger().runs().run(run.runId()).orElseThrow().finishedAt();
        assertThat(Files.getLastModifiedTime(report).toInstant()).isBeforeOrEqualTo(finishedAt.plusMillis(1));

        // Handling the same end again (a restart that re-read it) settles nothing twice and adds no diagnosis.
        String reason = now(job).reason();
        template.sendBody("direct:job-settle", now(job));
        assertThat(events(job, EventKind.SETTLED)).isEqualTo(1);
        assertThat(now(job).reason()).isEqualTo(reason);
        // And a later cycle has nothing left to do.
        assertThat(ledger().jobs().unsettled()).isEmpty();
    }

    @Test
    void aSettleThatThrowsIsLoggedWithTheJobsIdsAndTriedAgainAfterABackoffUntilItWorks() throws Exception {
        JobRecord job = ended(recordedJob(), JobState.FAILED, "FAILED (NonZeroExitCode), exit code 1:0");
        // The job directory is a file now: triage.json cannot be written, so handling the end throws.
        Path dir = Path.of(job.jobDir());
        Path aside = dir.resolveSibling("aside");
        Files.move(dir, aside);
        Files.writeString(dir, "not a directory");

        try (LogLines logs = LogLines.of(io.sweepd.jobs.JobSettling.class)) {
            template.sendBody("direct:job-settle", job);

            JobRecord failed = now(job);
            assertThat(failed.settled()).isFalse();
            assertThat(failed.settleAttempts()).isEqualTo(1);
            assertThat(failed.settleError()).isNotBlank();
            assertThat(failed.settleAfter()).isAfter(failed.updatedAt().minusSeconds(1));
            assertThat(events(job, EventKind.SETTLE_FAILED)).isEqualTo(1);
            assertThat(logs.at(ch.qos.logback.classic.Level.WARN)).anySatisfy(line -> assertThat(line).contains(job.runId())
                    .contains(job.jobKey()).contains("Slurm 4242").contains("trying again"));
        }

        Files.delete(dir);
        Files.move(aside, dir);
        // Within the backoff the job is not due; after it, a poll cycle has it settled once.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            template.sendBody("direct:job-poll", null);
            return now(job).settled();
        });
        assertThat(events(job, EventKind.SETTLED)).isEqualTo(1);
        assertThat(now(job).settleAttempts()).isEqualTo(1);
        assertThat(dir.resolve("failure.tar.gz")).exists();
    }

    @Test
    void aJobCancelledBeforeSubmissionIsSettledWithoutTriage() throws Exception {
        JobRecord job = recordedJob();
        assertThat(ledger().jobs().transition(job.runId(), job.jobKey(), JobState.PLANNED, JobState.CANCELLED,
                "cancelled by test before submission", Map.of())).isTrue();

        template.sendBody("direct:job-settle", now(job));

        assertThat(now(job).settled()).isTrue();
        assertThat(Path.of(job.jobDir()).resolve("triage.json")).doesNotExist();
        assertThat(Path.of(job.jobDir()).resolve("failure.tar.gz")).doesNotExist();
    }
}
