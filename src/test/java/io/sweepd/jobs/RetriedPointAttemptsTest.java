package io.sweepd.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.report.ReportWriter;
import io.sweepd.report.RunReports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A point whose first attempt died (out of memory on two nodes, triaged) and whose retry, with the workaround triage
 * suggested, succeeded: status and report keep both attempts, the diagnosis and the rule the retry added. Before,
 * the report said "0 failed", listed no attempt and left the rule out of its workarounds.
 */
class RetriedPointAttemptsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    private static final String RULE = "vllm-gpu-memory-headroom";

    @TempDir
    Path home;

    private Ledger ledger;
    private MutableClock clock;
    private String run;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        ledger = InMemoryLedger.open(clock);
        run = Runs.record(ledger, home.resolve("outputs"), "quickstart", T0, 1, "needs 16 GPUs, the pool has 8");
        Runs.running(ledger, run, key(0), "101", T0);
        ledger.jobs().transition(run, key(0), JobState.RUNNING, JobState.OUT_OF_MEMORY, "OutOfMemory (exit 137)",
                Map.of(JobDetails.ENDED_AT, T0.plusSeconds(60), JobDetails.EXIT_CODE, 137, "nodes", "gpu[01-02]"));
        // What FailureHandler records once triage has read the logs.
        ledger.jobs().transition(run, key(0), JobState.OUT_OF_MEMORY, JobState.OUT_OF_MEMORY,
                "OutOfMemory (exit 137); diagnosis: CUDA out of memory while loading weights",
                Map.of("diagnosis", "CUDA out of memory while loading weights", "category", "oom"));
        // What `sweepd retry --apply-suggested` does once the rule is added to the job's files.
        assertThat(new JobRetries(ledger.jobs()).retry(Runs.job(ledger, run, key(0)),
                "retry with workaround " + RULE + " added by triage: gpu-memory-utilization 0.85", false, RULE))
                .isTrue();
        ledger.jobs().beginSubmit(run, key(0), JobNames.attempt(run, key(0), 2));
        ledger.jobs().submitted(run, key(0), "102");
        ledger.jobs().transition(run, key(0), JobState.PENDING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, T0.plusSeconds(600), JobDetails.EXIT_CODE, 0, "nodes", "gpu03"));
        ledger.results().recordResults(run, key(0), List.of(ResultRecord.of(run, key(0) + "-c4", 4, key(0),
                ResultState.COMPLETED, null, "{}", null, "results_concurrency_4_gpus_8.json")));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    void statusListsBothAttemptsOfTheRetriedPointWithTheDiagnosisAndTheRuleAdded() {
        List<SweepStatus.Row> rows = new SweepStatus(ledger, clock).rows(ledger.runs().run(run).orElseThrow());

        String table = StatusText.pointsTable(rows);

        assertThat(table).containsPattern("\\| " + key(0) + "-c4 +\\| +102 \\| COMPLETED +\\| .*\\| 2 \\(1 failed: oom\\)")
                .contains("Attempts\njob " + key(0) + " (point " + key(0) + "-c4)\n"
                        + "  #1 Slurm 101 OUT_OF_MEMORY on gpu[01-02]: OutOfMemory (exit 137); diagnosis: CUDA out of"
                        + " memory while loading weights; retried with workaround " + RULE + " added\n"
                        + "  #2 Slurm 102 COMPLETED on gpu03");
        Map<String, Object> json = StatusText.pointJson(rows.get(0));
        assertThat(Json.MAPPER.valueToTree(json).path("attempts").findValuesAsText("slurm-job-id"))
                .containsExactly("101", "102");
    }

    @Test
    void theReportKeepsTheFailedFirstAttemptCountsItAndNamesTheRuleTheRetryAdded() throws Exception {
        RunReports reports = new RunReports(ledger, home.resolve("reports"), profile -> "h100", 0.05, clock);

        ReportWriter.WrittenReport written = reports.write(ledger.runs().run(run).orElseThrow(), true,
                Optional.empty());

        String md = Files.readString(written.markdown());
        assertThat(md).contains("**2 configurations → 1 job, 2 points; refused: 1 configuration (1 point).**",
                "| Points completed | 1 |", "| Points failed | 0 |",
                "| Failed attempts (retried ones included) | 1 (1 retried) |", "## Attempts",
                "| " + key(0) + " | " + key(0) + "-c4 | 1 | 101 | OUT_OF_MEMORY | gpu\\[01-02\\] | OutOfMemory (exit 137)"
                        + " | CUDA out of memory while loading weights | retried, workaround " + RULE + " added |",
                "| " + key(0) + " | " + key(0) + "-c4 | 2 | 102 | COMPLETED | gpu03 |",
                RULE + " (added by retry of job " + key(0) + " after attempt 1, Slurm job 101, OUT_OF_MEMORY)");

        JsonNode json = Json.MAPPER.readTree(written.json().toFile());
        assertThat(json.at("/summary/failed").asInt()).isZero();
        assertThat(json.at("/summary/failed_attempts").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/counts").asText())
                .isEqualTo("2 configurations → 1 job, 2 points; refused: 1 configuration (1 point)");
        JsonNode point = json.get("points").get(0).get("point_id").asText().equals(key(0) + "-c4")
                ? json.get("points").get(0) : json.get("points").get(1);
        JsonNode first = point.get("attempts").get(0);
        assertThat(first.get("slurm_job_id").asText()).isEqualTo("101");
        assertThat(first.get("state").asText()).isEqualTo("OUT_OF_MEMORY");
        assertThat(first.get("nodes").asText()).isEqualTo("gpu[01-02]");
        assertThat(first.get("diagnosis").asText()).isEqualTo("CUDA out of memory while loading weights");
        assertThat(first.get("added_workaround").asText()).isEqualTo(RULE);
        assertThat(point.get("attempts").get(1).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("workarounds_added_by_retries").findValuesAsText("rule")).containsExactly(RULE);

        assertThat(Files.readString(written.html())).contains(RULE + " (added by retry of job " + key(0));
    }
}
