package io.sweepd.results;

import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sweepd.results.JobResultsCollectorTest.point;
import static io.sweepd.results.TestPoints.json;
import static io.sweepd.results.TestPoints.place;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole way from a job directory to the report's rows on the embedded ledger: collect, record, and build
 * the run's PointResults, refused and failed points included.
 */
class PointResultsTest {

    @TempDir
    Path home;

    private Ledger ledger;
    private final JobResultsCollector collector = new JobResultsCollector();

    @BeforeEach
    void openLedger() {
        ledger = Ledger.embedded(home.resolve("state"));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private Path jobDir(String runId, String jobKey) {
        return home.resolve("outputs").resolve(runId).resolve(jobKey);
    }

    private JobRecord job(String runId, String jobKey, String profile) {
        return JobRecord.planned(runId, jobKey, profile, jobDir(runId, jobKey).toString(), 600, 1800, 7200);
    }

    private void run(String runId, String slurmJobId, String jobKey, JobState end, String reason) {
        ledger.jobs().beginSubmit(runId, jobKey, "sweepd-" + jobKey);
        ledger.jobs().submitted(runId, jobKey, slurmJobId);
        if (end != JobState.PENDING) {
            ledger.jobs().transition(runId, jobKey, JobState.PENDING, end, reason, null);
        }
    }

    private static List<Map<String, Object>> gptossPoints() {
        Map<String, Object> c64 = TestPoints.singleNode("gptoss-c64", "j-gptoss", 8, 1, false, 64, 8);
        c64.put("run-eval", true);
        return List.of(TestPoints.singleNode("gptoss-c32", "j-gptoss", 8, 1, false, 32, 8), c64);
    }

    /** Run r1 of sweep "mix": job j-gptoss ran, and its results (c64 measured, c32 missing) were collected. */
    private void runOneCollected() {
        List<PointRecord> points = gptossPoints().stream().map(p -> point("r1", p)).toList();
        ledger.runs().recordRun(RunRecord.planned("r1", "mix", null, null, null, "{}"),
                List.of(job("r1", "j-gptoss", "h100-local")), points);
        Path results = jobDir("r1", "j-gptoss").resolve("results");
        place(results, "single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");
        place(results, "evals/eval_gsm8k.json", "eval_gsm8k.json");
        run("r1", "101", "j-gptoss", JobState.COMPLETED, "exit 0");

        JobResults collected = collector.collect(ledger.jobs().job("r1", "j-gptoss").orElseThrow(),
                ledger.runs().points("r1"));
        ledger.results().recordResults("r1", "j-gptoss", collected.toRecords());
    }

    /**
     * Run r2 of the same sweep: j-gptoss is reused from r1, a disaggregated job failed (and triage explained it),
     * a completed job is not collected yet, one is still pending, one point was refused.
     */
    private void runTwo() throws IOException {
        List<PointRecord> points = new java.util.ArrayList<>(gptossPoints().stream().map(p -> point("r2", p)).toList());
        points.add(point("r2", TestPoints.disagg("dsr1-1p1d", "j-dsr1", List.of(256, 512), 1, 1, null)));
        points.add(point("r2", TestPoints.singleNode("gptoss-tp4-c16", "j-tp4", 4, 1, false, 16, 4)));
        points.add(point("r2", TestPoints.dpAttention("dsr1-dpa-c128", "j-dpa", 128)));
        Map<String, Object> refused = TestPoints.singleNode("gptoss-tp16-c64", "j-tp16", 16, 1, false, 64, 16);
        refused.put("refused", "needs 16 GPUs on one node, h100-local nodes have 8");
        points.add(PointRecord.of("r2", "gptoss-tp16-c64", "j-tp16", json(refused),
                "needs 16 GPUs on one node, h100-local nodes have 8"));
        ledger.runs().recordRun(RunRecord.planned("r2", "mix", null, null, null, "{\"r\":2}"),
                List.of(job("r2", "j-gptoss", "h100-local"), job("r2", "j-dsr1", "h100-multinode"),
                        job("r2", "j-tp4", "h100-local"), job("r2", "j-dpa", "h200-local")),
                points);
        run("r2", "201", "j-dsr1", JobState.FAILED, "exit 1 (NonZeroExitCode)");
        Files.createDirectories(jobDir("r2", "j-dsr1"));
        Files.writeString(jobDir("r2", "j-dsr1").resolve("triage.json"), """
                {"category": "nvshmem-ipc", "diagnosis": "NVSHMEM could not map peer memory over IPC",
                 "retryable": false, "workaround": "dsr1-h100-nvshmem-ipc"}""");
        run("r2", "202", "j-tp4", JobState.COMPLETED, "exit 0");
        run("r2", "203", "j-dpa", JobState.PENDING, null);
    }

    private static PointResult row(List<PointResult> rows, String pointId, int conc) {
        return rows.stream().filter(r -> r.pointId().equals(pointId) && r.conc() == conc).findFirst().orElseThrow();
    }

    @Test
    void aCollectedJobShowsOneRowPerConcurrencyWithMetricsOrTheReason() {
        runOneCollected();

        List<PointResult> rows = PointResults.of(ledger, "r1");

        assertThat(rows).extracting(PointResult::pointId, PointResult::conc, PointResult::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gptoss-c32", 32, "INVALID"),
                org.assertj.core.groups.Tuple.tuple("gptoss-c64", 64, "COMPLETED"));
        PointResult c64 = rows.get(1);
        assertThat(c64.runId()).isEqualTo("r1");
        assertThat(c64.jobKey()).isEqualTo("j-gptoss");
        assertThat(c64.configKey()).isEqualTo("gptoss-fp4-h100-vllm");
        assertThat(c64.model()).isEqualTo("openai/gpt-oss-120b");
        assertThat(c64.modelPrefix()).isEqualTo("gptoss");
        assertThat(c64.precision()).isEqualTo("fp4");
        assertThat(c64.framework()).isEqualTo("vllm");
        assertThat(c64.hardware()).isEqualTo("h100");
        assertThat(c64.profile()).isEqualTo("h100-local");
        assertThat(c64.runner()).isEqualTo("h100");
        assertThat(c64.isl()).isEqualTo(1024);
        assertThat(c64.osl()).isEqualTo(1024);
        assertThat(c64.disagg()).isFalse();
        assertThat(c64.specDecoding()).isEqualTo("none");
        assertThat(c64.shape()).isEqualTo("tp8");
        assertThat(c64.reason()).isNull();
        assertThat(c64.diagnosis()).isNull();
        assertThat(c64.prefillGpus()).isZero();
        assertThat(c64.decodeGpus()).isZero();
        assertThat(c64.totalGpus()).isEqualTo(8);
        assertThat(c64.hasMetrics()).isTrue();
        assertThat(c64.metrics()).containsEntry("tput_per_gpu", 1000.0).containsEntry("mean_intvty", 64.0)
                .containsEntry("conc", 64).containsEntry("dp_attention", "false")
                .containsEntry("gpus_counted_from", "topology");
        assertThat((Map<String, Object>) c64.eval().get("gsm8k")).containsEntry("passed", true);
        assertThat(c64.seriesKey()).isEqualTo("gptoss-fp4-h100-vllm tp8 1024/1024");

        PointResult c32 = rows.get(0);
        assertThat(c32.reason()).isEqualTo("no result file for concurrency 32");
        assertThat(c32.hasMetrics()).isFalse();
        assertThat(c32.eval()).isNull();
    }

    @Test
    void everyPointOfARunIsShownFailedRefusedPendingAndReusedIncluded() throws IOException {
        runOneCollected();
        runTwo();

        List<PointResult> rows = PointResults.of(ledger, "r2");

        assertThat(rows).extracting(r -> r.pointId() + "@" + r.conc() + " " + r.state()).containsExactly(
                "gptoss-c32@32 INVALID",
                "gptoss-c64@64 COMPLETED",
                "dsr1-1p1d@256 FAILED",
                "dsr1-1p1d@512 FAILED",
                "gptoss-tp4-c16@16 COLLECTING",
                "dsr1-dpa-c128@128 PENDING",
                "gptoss-tp16-c64@64 REFUSED");

        PointResult reused = row(rows, "gptoss-c64", 64);
        assertThat(reused.runId()).as("this run's row").isEqualTo("r2");
        assertThat(reused.metrics()).as("measured by r1, which ran the job").containsEntry("tput_per_gpu", 1000.0);

        PointResult failed = row(rows, "dsr1-1p1d", 256);
        assertThat(failed.reason()).isEqualTo("exit 1 (NonZeroExitCode)");
        assertThat(failed.diagnosis()).isEqualTo("NVSHMEM could not map peer memory over IPC");
        assertThat(failed.metrics()).isNull();
        assertThat(failed.shape()).isEqualTo("1P(tp16 ep16 dpa) + 1D(tp16 ep16 dpa)");
        assertThat(failed.prefillGpus()).isEqualTo(16);
        assertThat(failed.decodeGpus()).isEqualTo(16);
        assertThat(failed.totalGpus()).isEqualTo(32);
        assertThat(failed.disagg()).isTrue();
        assertThat(failed.isl()).isEqualTo(8192);
        assertThat(failed.hardware()).as("runner h100-multinode").isEqualTo("h100");
        assertThat(failed.workarounds()).containsExactly("dsr1-h100-nvshmem-ipc");

        PointResult uncollected = row(rows, "gptoss-tp4-c16", 16);
        assertThat(uncollected.reason()).isEqualTo("job COMPLETED; results not collected yet");
        assertThat(uncollected.hasMetrics()).isFalse();
        assertThat(uncollected.shape()).isEqualTo("tp4");

        PointResult pending = row(rows, "dsr1-dpa-c128", 128);
        assertThat(pending.reason()).isNull();
        assertThat(pending.shape()).isEqualTo("tp8 ep8 dpa");
        assertThat(pending.hardware()).isEqualTo("h200");

        PointResult refused = row(rows, "gptoss-tp16-c64", 64);
        assertThat(refused.reason()).isEqualTo("needs 16 GPUs on one node, h100-local nodes have 8");
        assertThat(refused.jobKey()).isEqualTo("j-tp16");
        assertThat(refused.totalGpus()).isEqualTo(16);
        assertThat(refused.diagnosis()).isNull();
    }

    @Test
    void theProfilesGpuNamesTheHardwareWhenKnown() {
        runOneCollected();

        List<PointResult> rows = PointResults.of(ledger, "r1",
                profile -> profile.equals("h100-local") ? "h100-sxm" : null);

        assertThat(rows).extracting(PointResult::hardware).containsOnly("h100-sxm");
    }

    @Test
    void anUnknownRunIsAnError() {
        assertThatThrownBy(() -> PointResults.of(ledger, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no run nope");
    }
}
