package io.sweepd.routes;

import io.sweepd.core.JobDirectory;
import io.sweepd.triage.TriageFile;

import io.sweepd.Fixtures;
import io.sweepd.core.JobState;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the routes do with a job that ended, without Slurm: a sweep is planned and recorded through the real
 * intake, then a job's end is handed to the collect and failure routes the poller feeds.
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
        return Map.of("sweepd.profile", "local");
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

        template.sendBody("direct:job-collect", job);

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

        template.sendBody("direct:job-failure", job);

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

        template.sendBody("direct:job-failure", job);

        JobRecord after = beans.ledger().jobs().job(job.runId(), job.jobKey()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.PLANNED);
        assertThat(after.reason()).startsWith("retry 2 of 3");
        assertThat(dir.resolve("attempts/attempt-1/failure.tar.gz")).exists();
        assertThat(dir.resolve("attempts/attempt-1/triage.json")).exists();
        assertThat(dir.resolve("logs")).isEmptyDirectory();
    }
}
