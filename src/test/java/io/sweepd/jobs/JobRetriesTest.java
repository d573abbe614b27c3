package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.core.JobDirectory;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRetriesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private Ledger ledger;
    private JobRetries retries;
    private String runId;
    private Path dir;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(clock);
        retries = new JobRetries(ledger.jobs());
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
        dir = home.resolve("outputs").resolve(runId).resolve(key(0));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** A first attempt that failed, with every kind of evidence the job directory can hold. */
    private JobRecord failedWithEvidence(String sacctNodes, String finalNodes) throws IOException {
        Runs.submitted(ledger, runId, key(0), "100");
        ledger.jobs().transition(runId, key(0), JobState.PENDING, JobState.FAILED, "Slurm: FAILED", Map.of());
        Files.writeString(dir.resolve("logs/slurm-100.out"), "attempt one\n");
        Files.createDirectories(dir.resolve("results"));
        Files.writeString(dir.resolve("results/results_concurrency_4_gpus_2.json"), "{}");
        Files.writeString(dir.resolve("failure.tar.gz"), "archive");
        Files.writeString(dir.resolve("triage.json"), "{}");
        Files.writeString(dir.resolve("started"), "job_id=100\n");
        Files.writeString(dir.resolve("exit-code"), "1\n");
        Files.writeString(dir.resolve("slurm.json"), "{\"final\":{\"nodeList\":\"" + finalNodes + "\"},"
                + "\"sacct\":{\"nodeList\":\"" + sacctNodes + "\"}}");
        Files.writeString(dir.resolve("plan.json"), "{\"points\":[]}");
        return job(ledger, runId, key(0));
    }

    @Test
    void theAttemptsEvidenceMovesToAttemptsAndTheNextAttemptStartsWithEmptyLogsAndResults() throws IOException {
        JobRecord failed = failedWithEvidence("gpu-node1", "gpu-node1");

        assertThat(retries.retry(failed, "retry 2 of 3", false)).isTrue();

        Path attempt = dir.resolve("attempts/attempt-1");
        assertThat(attempt.resolve("logs/slurm-100.out")).hasContent("attempt one\n");
        assertThat(attempt.resolve("results/results_concurrency_4_gpus_2.json")).exists();
        for (String moved : List.of("failure.tar.gz", "triage.json", "started", "exit-code", "slurm.json")) {
            assertThat(attempt.resolve(moved)).as(moved).isRegularFile();
            assertThat(dir.resolve(moved)).as(moved).doesNotExist();
        }
        assertThat(dir.resolve("logs")).isEmptyDirectory();
        assertThat(dir.resolve("results")).isEmptyDirectory();
        assertThat(dir.resolve("job.sbatch")).as("what the next attempt runs stays").isRegularFile();
        assertThat(dir.resolve("plan.json")).isRegularFile();
        JobRecord planned = job(ledger, runId, key(0));
        assertThat(planned.state()).isEqualTo(JobState.PLANNED);
        assertThat(planned.reason()).isEqualTo("retry 2 of 3");
        assertThat(dir.resolve(JobRetries.RETRY_FILE)).as("no nodes excluded when not asked").doesNotExist();
    }

    @Test
    void theNodesSacctNamesAreExcludedAndRecordedInTheLedger() throws IOException {
        JobRecord failed = failedWithEvidence("gpu-node[1-2]", "gpu-node9");

        retries.retry(failed, "retry", true);

        assertThat(JobRetries.excludedNodes(new JobDirectory(dir))).contains("gpu-node[1-2]");
        EventRecord event = ledger.jobs().events(runId, key(0)).get(ledger.jobs().events(runId, key(0)).size() - 1);
        assertThat(event.toState()).isEqualTo(JobState.PLANNED);
        assertThat(new ObjectMapper().readTree(event.detailsJson()).path("excludeNodes").asText())
                .isEqualTo("gpu-node[1-2]");
    }

    @Test
    void withoutAnSacctNodeListTheLastSqueueViewsNodesAreExcluded() throws IOException {
        JobRecord failed = failedWithEvidence("", "gpu-node4");

        retries.retry(failed, "retry", true);

        assertThat(JobRetries.excludedNodes(new JobDirectory(dir))).contains("gpu-node4");
    }

    @Test
    void excludedNodesAccumulateOverAttempts() throws IOException {
        retries.retry(failedWithEvidence("gpu-node1", "gpu-node1"), "retry", true);
        // attempt 2 fails on another node
        ledger.jobs().beginSubmit(runId, key(0), JobNames.attempt(runId, key(0), 2));
        ledger.jobs().submitted(runId, key(0), "101");
        ledger.jobs().transition(runId, key(0), JobState.PENDING, JobState.FAILED, "Slurm: FAILED", Map.of());
        Files.writeString(dir.resolve("slurm.json"), "{\"sacct\":{\"nodeList\":\"gpu-node2\"}}");

        retries.retry(job(ledger, runId, key(0)), "retry", true);

        assertThat(JobRetries.excludedNodes(new JobDirectory(dir))).contains("gpu-node1,gpu-node2");
        assertThat(dir.resolve("attempts/attempt-2/slurm.json")).content().contains("gpu-node2");
        assertThat(dir.resolve("attempts/attempt-1/slurm.json")).content().contains("gpu-node1");
    }

    @Test
    void aNodeListThatIsNotASlurmHostListIsNeverPassedOn() throws IOException {
        JobRecord failed = failedWithEvidence("gpu-node1 --partition=other", "");

        retries.retry(failed, "retry", true);

        assertThat(dir.resolve(JobRetries.RETRY_FILE)).doesNotExist();
        Files.writeString(dir.resolve(JobRetries.RETRY_FILE), "{\"exclude\":\"node1;reboot\"}");
        assertThat(JobRetries.excludedNodes(new JobDirectory(dir))).isEmpty();
    }

    @Test
    void onlyAJobThatEndedWithoutSuccessIsRetried() {
        Runs.completed(ledger, runId, key(0), "100", T0, T0.plusSeconds(60));
        JobRecord completed = job(ledger, runId, key(0));

        assertThatThrownBy(() -> retries.retry(completed, "retry", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COMPLETED");
        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.COMPLETED);
        assertThat(dir.resolve("attempts")).doesNotExist();
    }

    @Test
    void aLiveJobIsNotRetried() {
        Runs.submitted(ledger, runId, key(0), "100");

        assertThatThrownBy(() -> retries.retry(job(ledger, runId, key(0)), "retry", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PENDING");
    }

    @Test
    void aRetryOfAJobThatMovedOnMeanwhileChangesNothing() throws IOException {
        JobRecord stale = failedWithEvidence("gpu-node1", "gpu-node1");
        assertThat(retries.retry(stale, "retry by the daemon", true)).isTrue();
        Files.writeString(dir.resolve("logs/next-attempt.log"), "the retried attempt's log\n");
        String retryJson = Files.readString(dir.resolve(JobRetries.RETRY_FILE));

        boolean retried = retries.retry(stale, "retry by sweepd retry", true);

        assertThat(retried).isFalse();
        assertThat(dir.resolve("logs/next-attempt.log")).hasContent("the retried attempt's log\n");
        assertThat(dir.resolve(JobRetries.RETRY_FILE)).hasContent(retryJson);
        assertThat(job(ledger, runId, key(0)).reason()).isEqualTo("retry by the daemon");
    }
}
