package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.InMemoryLedger;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobRetries;
import io.sweepd.jobs.RunRecorder;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.results.PointResults;
import io.sweepd.sweep.SweepOrigin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's timing as the report reads it: the ledger's times and nodes, the job directory's log and results. */
class JobTimingsTest {

    private static final String SWEEP = """
            gptoss-fp4-h100-vllm:
              image: vllm/vllm-openai:v0.18.0
              model: openai/gpt-oss-120b
              model-prefix: gptoss
              runner: h100
              precision: fp4
              framework: vllm
              multinode: false
              seq-len-configs:
              - isl: 1024
                osl: 1024
                search-space:
                - {tp: 2, conc-list: [4, 8]}
            """;
    private static final Instant SUBMITTED = Instant.parse("2026-11-02T10:00:00Z");

    @TempDir
    Path home;

    private Ledger ledger;

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private String record() throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", "local"));
        ledger = InMemoryLedger.open();
        Path file = home.resolve("nightly.yaml");
        Files.writeString(file, SWEEP);
        return new RunRecorder(ledger, PlannerFactory.profiles(settings), settings.outputs())
                .record(PlannerFactory.create(settings).plan(file), new SweepOrigin(file.toString(), home.toString(), null),
                        SUBMITTED.minusSeconds(60));
    }

    /** Submitted, started 12m 34s later on two nodes, failed 1h 30m after that. */
    private JobRecord runAndFail(String runId) {
        JobRecord job = ledger.jobs().jobs(runId).get(0);
        assertThat(ledger.jobs().beginSubmit(runId, job.jobKey(), "sweepd-" + job.jobKey())).isTrue();
        assertThat(ledger.jobs().transition(runId, job.jobKey(), JobState.SUBMITTING, JobState.PENDING, null,
                Map.of(JobDetails.SLURM_JOB_ID, "4242", JobDetails.SUBMITTED_AT, SUBMITTED))).isTrue();
        Instant started = SUBMITTED.plusSeconds(754);
        assertThat(ledger.jobs().transition(runId, job.jobKey(), JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, started))).isTrue();
        assertThat(ledger.jobs().transition(runId, job.jobKey(), JobState.RUNNING, JobState.FAILED, "exit 1",
                Map.of(JobDetails.ENDED_AT, started.plusSeconds(5400), "nodes", "gpu-node[3-4]"))).isTrue();
        return ledger.jobs().job(runId, job.jobKey()).orElseThrow();
    }

    @Test
    void timesNodesModelLoadBenchmarkAndLinksComeFromTheLedgerAndTheJobDirectory() throws Exception {
        String runId = record();
        JobRecord job = runAndFail(runId);
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        Files.createDirectories(dir.logs());
        Files.writeString(dir.slurmOutput("4242"), """
                sweepd: starting the server, log in logs/server.log: vllm serve ...
                sweepd: waiting up to 1800 s for http://127.0.0.1:8000/health
                sweepd: server healthy after 317 s
                sweepd: bench-c4: vllm bench serve ...
                """);
        Files.createDirectories(dir.results());
        // Per-request arrays before the duration, as detailed results have them; a file of another name is no result.
        Files.writeString(dir.results().resolve("results_concurrency_4_gpus_2.json"),
                "{\"ttfts\": [0.1, 0.2, {\"x\": [1]}], \"duration\": 600.25, \"completed\": 40}");
        Files.writeString(dir.results().resolve("results_concurrency_8_gpus_2.json"), "{\"duration\": 300}");
        Files.writeString(dir.results().resolve("summary.json"), "{\"duration\": 9999}");
        Files.writeString(dir.root().resolve("failure.tar.gz"), "not really gzip");
        Path reportDir = home.resolve("reports").resolve(runId);

        List<JobTiming> timings = JobTimings.read(ledger, runId, PointResults.of(ledger, runId, p -> "h100"), reportDir);

        // The local profile runs each concurrency in a job of its own: the other job was never submitted.
        assertThat(timings).hasSize(2);
        JobTiming t = timings.stream().filter(j -> j.jobKey().equals(job.jobKey())).findFirst().orElseThrow();
        assertThat(t.slurmJobId()).isEqualTo("4242");
        assertThat(t.state()).isEqualTo("FAILED");
        assertThat(t.nodes()).isEqualTo("gpu-node[3-4]");
        assertThat(t.gpus()).isEqualTo(2);
        assertThat(t.points()).isEqualTo(1);
        assertThat(t.queueWait()).isEqualTo(Duration.ofSeconds(754));
        assertThat(t.runTime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(t.gpuHours()).as("2 GPUs for 1.5 h").isEqualTo(3.0);
        assertThat(t.modelLoad()).isEqualTo(Duration.ofSeconds(317));
        assertThat(t.benchmark()).isEqualTo(Duration.ofMillis(900_250));
        assertThat(t.missing()).isNull();
        // Links are relative to the report's directory and lead to the job's files.
        for (String href : List.of(t.logsHref(), t.slurmLogHref(), t.archiveHref())) {
            assertThat(href).doesNotStartWith("/").doesNotContain("file:");
        }
        assertThat(reportDir.resolve(t.slurmLogHref()).normalize()).isEqualTo(dir.slurmOutput("4242"));
        assertThat(reportDir.resolve(t.archiveHref()).normalize()).isEqualTo(dir.root().resolve("failure.tar.gz"));
        assertThat(reportDir.resolve(t.logsHref()).normalize()).isEqualTo(dir.logs());
    }

    @Test
    void whatTheFilesDoNotGiveIsUnknownAndSaysWhy() throws Exception {
        String runId = record();
        JobRecord job = runAndFail(runId);
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        Files.createDirectories(dir.logs());
        Files.writeString(dir.slurmOutput("4242"), "sweepd: server exited with code 1 before it became healthy\n");

        JobTiming t = JobTimings.read(ledger, runId, PointResults.of(ledger, runId, p -> "h100"),
                home.resolve("reports").resolve(runId)).stream().filter(j -> j.jobKey().equals(job.jobKey()))
                .findFirst().orElseThrow();

        assertThat(t.modelLoad()).isNull();
        assertThat(t.benchmark()).isNull();
        assertThat(t.archiveHref()).isNull();
        assertThat(t.missing()).contains("server healthy after", "no result file");
        assertThat(t.queueWait()).as("the ledger's times still count").isEqualTo(Duration.ofSeconds(754));
    }

    @Test
    void aJobNeverSubmittedHasNoSlurmIdNoTimesAndNoLinksToFilesThatDoNotExist() throws Exception {
        String runId = record();

        JobTiming t = JobTimings.read(ledger, runId, PointResults.of(ledger, runId, p -> "h100"),
                home.resolve("reports").resolve(runId)).get(0);

        assertThat(t.slurmJobId()).isNull();
        assertThat(t.submittedAt()).isNull();
        assertThat(t.queueWait()).isNull();
        assertThat(t.gpuHours()).isNull();
        assertThat(t.slurmLogHref()).isNull();
        assertThat(t.missing()).contains("never submitted");
    }

    @Test
    void aRetriedJobKeepsItsFailedAttemptWithItsOwnIdNodesTimesLinksAndCostAndTheRunPaysForBoth() throws Exception {
        String runId = record();
        JobRecord failed = runAndFail(runId);
        JobDirectory dir = new JobDirectory(Path.of(failed.jobDir()));
        Files.createDirectories(dir.logs());
        Files.writeString(dir.slurmOutput("4242"), "torch.OutOfMemoryError\n");
        Files.writeString(dir.root().resolve("failure.tar.gz"), "not really gzip");
        ledger.jobs().transition(runId, failed.jobKey(), JobState.FAILED, JobState.FAILED, "exit 1; diagnosis: OOM",
                Map.of("diagnosis", "CUDA out of memory", "category", "oom"));
        Path reportDir = home.resolve("reports").resolve(runId);

        // Retried (the evidence moves to attempts/attempt-1/), not claimed again yet: the row holds no second attempt.
        assertThat(new JobRetries(ledger.jobs()).retry(failed, "retry with workaround mem-headroom added", false,
                "mem-headroom")).isTrue();
        JobTiming waiting = JobTimings.read(ledger, runId, PointResults.of(ledger, runId, p -> "h100"), reportDir)
                .stream().filter(j -> j.jobKey().equals(failed.jobKey())).findFirst().orElseThrow();
        assertThat(waiting.slurmJobId()).as("4242 is the earlier attempt's").isNull();
        assertThat(waiting.runTime()).isNull();
        assertThat(waiting.earlier()).extracting(e -> e.attempt().slurmJobId()).containsExactly("4242");

        assertThat(ledger.jobs().beginSubmit(runId, failed.jobKey(), "sweepd-" + failed.jobKey() + "-a2")).isTrue();
        Instant submitted = SUBMITTED.plusSeconds(7200);
        ledger.jobs().transition(runId, failed.jobKey(), JobState.SUBMITTING, JobState.PENDING, null,
                Map.of(JobDetails.SLURM_JOB_ID, "4300", JobDetails.SUBMITTED_AT, submitted));
        ledger.jobs().transition(runId, failed.jobKey(), JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, submitted.plusSeconds(60)));
        ledger.jobs().transition(runId, failed.jobKey(), JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, submitted.plusSeconds(60 + 1800), "nodes", "gpu-node7"));

        List<JobTiming> timings = JobTimings.read(ledger, runId, PointResults.of(ledger, runId, p -> "h100"),
                reportDir);

        JobTiming t = timings.stream().filter(j -> j.jobKey().equals(failed.jobKey())).findFirst().orElseThrow();
        assertThat(t.slurmJobId()).isEqualTo("4300");
        assertThat(t.nodes()).as("the current attempt's nodes, not the first's").isEqualTo("gpu-node7");
        assertThat(t.gpuHours()).as("2 GPUs for half an hour").isEqualTo(1.0);
        assertThat(t.current().slurmJobId()).isEqualTo("4300");
        assertThat(t.earlier()).hasSize(1);
        JobTiming.EarlierAttempt first = t.earlier().get(0);
        assertThat(first.attempt().slurmJobId()).isEqualTo("4242");
        assertThat(first.attempt().nodes()).isEqualTo("gpu-node[3-4]");
        assertThat(first.attempt().queueWait()).isEqualTo(Duration.ofSeconds(754));
        assertThat(first.attempt().diagnosis()).isEqualTo("CUDA out of memory");
        assertThat(first.attempt().addedWorkaround()).isEqualTo("mem-headroom");
        assertThat(first.gpuHours()).as("2 GPUs for 1.5 h").isEqualTo(3.0);
        assertThat(reportDir.resolve(first.slurmLogHref()).normalize())
                .isEqualTo(dir.earlierAttempt(1).resolve("logs/slurm-4242.out"));
        assertThat(reportDir.resolve(first.archiveHref()).normalize())
                .isEqualTo(dir.earlierAttempt(1).resolve("failure.tar.gz"));
        assertThat(JobTiming.totalGpuHours(timings)).as("the failed attempt held its GPUs too").isEqualTo(4.0);
        assertThat(JobTimings.gpuHours(ledger.jobs().jobs(runId), PointResults.of(ledger, runId, p -> "h100"),
                ledger.jobs().attempts(runId))).as("the history's figure for the run, from the ledger alone")
                .isEqualTo(4.0);
    }
}
