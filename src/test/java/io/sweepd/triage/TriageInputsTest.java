package io.sweepd.triage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job directories as render and the tracker leave them, their failure.tar.gz, and triage.json. */
class TriageInputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Triage triage;

    @TempDir
    Path tmp;

    @BeforeAll
    static void shippedSignatures() {
        triage = new Triage(SignatureCatalog.shipped());
    }

    /** A job directory: plan, script, the Slurm output with sweepd's and the orchestrator's lines, worker logs. */
    static JobDirectory jobDir(Path root, List<String> prefillLog) throws IOException {
        JobDirectory dir = new JobDirectory(root);
        Files.createDirectories(dir.logs());
        Files.writeString(dir.plan(), "{\"job-key\": \"abc123\"}\n");
        Files.writeString(dir.script(), "#!/bin/bash\n#SBATCH --output=logs/slurm-%j.out\n");
        LogVariants variants = new LogVariants(42);
        List<String> out = new ArrayList<>(List.of("sweepd: job abc123 started on gpu-node1 at 2026-04-24 (slurm job 77)",
                "orchestrator: starting 1 prefill worker(s) of 16 GPUs (TP1, DP16, EP16)"));
        out.add("orchestrator: worker prefill-0 exited with code 1 before the server became healthy; cancelling job");
        LogVariants.write(dir.slurmOutput("77"), out, "\n");
        List<String> decode = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            decode.add(variants.noise("decode-" + (i % 8)));
        }
        LogVariants.write(dir.logs().resolve("decode-0.log"), decode, "\n");
        if (prefillLog != null) {
            LogVariants.write(dir.logs().resolve("prefill-0.log"), prefillLog, "\n");
        }
        Files.writeString(dir.exitCodeFile(), "1\n");
        return dir;
    }

    /** slurm.json as JobTracker writes it: the final view, sacct's, scontrol's text. */
    static void slurmJson(JobDirectory dir, String state, String reason, String exitCode, String scontrol)
            throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("slurm-job-id", "77");
        for (String view : List.of("final", "sacct")) {
            ObjectNode info = record.putObject(view);
            info.put("jobId", "77");
            info.put("jobName", "sweepd-abc123");
            info.put("state", "FAILED");
            info.put("slurmState", state);
            info.put("reason", reason);
            info.put("exitCode", exitCode);
            info.put("nodeList", "gpu-node[1-4]");
            info.put("elapsed", 2581.0);
        }
        if (scontrol != null) {
            record.put("scontrol", scontrol);
        }
        Files.writeString(dir.root().resolve("slurm.json"), JSON.writeValueAsString(record));
    }

    private static List<String> withNoise(String fixture) {
        return new LogVariants(fixture.hashCode()).withNoise(LogVariants.fixtureLines(fixture), 2000, 100);
    }

    @Test
    void aJobDirectoryIsTriagedFromEveryLogUnderLogsAndQuotesFileAndLine() throws IOException {
        List<String> prefill = withNoise("02-dynamo-import.log");
        JobDirectory dir = jobDir(tmp.resolve("job"), prefill);
        slurmJson(dir, "FAILED", "NonZeroExitCode", "1:0", null);

        TriageResult result = triage.classify(dir, null);

        assertThat(result.category()).isEqualTo(Category.DEPENDENCY_MISMATCH);
        assertThat(result.suggestedWorkaround()).isEqualTo("dsv4-dynamo-vllm-pin-dynamo-commit");
        assertThat(result.file()).isEqualTo("logs/prefill-0.log");
        assertThat(prefill.get((int) result.line() - 1)).isEqualTo(result.evidence());
    }

    @Test
    void case1AsAJobDirectoryWhoseOnlyLogLineIsSweepdsOwn() throws IOException {
        JobDirectory dir = new JobDirectory(tmp.resolve("job"));
        Files.createDirectories(dir.logs());
        LogVariants.write(dir.slurmOutput("77"), List.of("sweepd: job abc123 started on gpu-node1 (slurm job 77)"), "\n");
        slurmJson(dir, "FAILED", "NonZeroExitCode", "1:0",
                Files.readString(SeedFailureLogsTest.seed("01-no-log-file.scontrol.txt")));

        TriageResult result = triage.classify(dir.root());

        assertThat(result.category()).isEqualTo(Category.JOB_LAUNCH_FAILURE);
        assertThat(result.signature()).isEqualTo("died-before-logging");
        assertThat(result.file()).isEqualTo("slurm.json");
        assertThat(result.evidence()).startsWith("JobState=FAILED");
        assertThat(result.diagnosis()).contains("exit 1:0").contains("after 00:00:06");
    }

    @Test
    void exitCode53IsTheOutputPathThatCannotBeOpened() throws IOException {
        JobDirectory dir = new JobDirectory(tmp.resolve("job"));
        Files.createDirectories(dir.root());
        slurmJson(dir, "FAILED", "NonZeroExitCode", "0:53", null);

        TriageResult result = triage.classify(dir.root());

        assertThat(result.category()).isEqualTo(Category.JOB_LAUNCH_FAILURE);
        assertThat(result.signature()).isEqualTo("slurm-launch-output-path");
        assertThat(result.evidence()).contains("ExitCode=0:53");
    }

    @Test
    void slurmsOutcomeDecidesWhenTheLogsShowNoCrash() throws IOException {
        record Case(String state, Category category, boolean retryable) {
        }
        for (Case c : List.of(new Case("NODE_FAIL", Category.NODE_FAILURE, true),
                new Case("PREEMPTED", Category.PREEMPTED, true),
                new Case("TIMEOUT", Category.TIME_LIMIT, false),
                new Case("OUT_OF_MEMORY", Category.HOST_OUT_OF_MEMORY, false),
                new Case("CANCELLED by 1000", Category.CANCELLED, false))) {
            JobDirectory dir = jobDir(tmp.resolve(c.state().replace(' ', '-')), null);
            slurmJson(dir, c.state(), "None", "0:15", null);

            TriageResult result = triage.classify(dir.root());

            assertThat(result.category()).as(c.state()).isEqualTo(c.category());
            assertThat(result.retryable()).as(c.state()).isEqualTo(c.retryable());
        }
    }

    @Test
    void aCrashInTheLogsWinsOverTheCancelThatFollowedIt() throws IOException {
        JobDirectory dir = jobDir(tmp.resolve("job"), withNoise("07-cross-node-tp.log"));
        slurmJson(dir, "CANCELLED by 1000", "None", "0:15", null);

        assertThat(triage.classify(dir.root()).category()).isEqualTo(Category.PARALLEL_CONFIG);
    }

    @Test
    void sweepdsDeadlineVerdictWithWeightsStillLoadingSuggestsTheLongerDeadline() throws IOException {
        LogVariants variants = new LogVariants(8);
        List<String> prefill = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            prefill.add(variants.noise("prefill-" + (i % 8)));
        }
        prefill.add("[prefill-0] Loading safetensors checkpoint shards:   9% Completed | 6/64 [42:10<7:24:21, 421.7s/it]");
        JobDirectory dir = jobDir(tmp.resolve("job"), prefill);
        slurmJson(dir, "CANCELLED by 1000", "None", "0:15", null);

        TriageResult result = triage.classify(dir, "the server was not healthy within 1800 s of the job's start");

        assertThat(result.category()).isEqualTo(Category.STARTUP_DEADLINE);
        assertThat(result.suggestedWorkaround()).isEqualTo("dsv4-multinode-slow-weight-load");
        assertThat(result.diagnosis()).contains("1800 s").contains("6/64 shards after 42:10");
        assertThat(result.file()).isNull();
        assertThat(result.evidence()).isEqualTo("the server was not healthy within 1800 s of the job's start");
    }

    @Test
    void theValidityGatesVerdictIsABenchmarkInvalid() throws IOException {
        JobDirectory dir = jobDir(tmp.resolve("job"), null);
        slurmJson(dir, "COMPLETED", "None", "0:0", null);

        // Worded as io.sweepd.jobs.CompletedJobHandler and io.sweepd.results.ValidityGate write the job's reason.
        String verdict = "no valid benchmark result: 0 output tokens (64 completed requests)";
        TriageResult result = triage.classify(dir, verdict);

        assertThat(result.category()).isEqualTo(Category.BENCHMARK_INVALID);
        assertThat(result.signature()).isEqualTo("validity-no-output-tokens");
        assertThat(result.diagnosis()).contains("(" + verdict + ")");
        assertThat(triage.classify(dir, "no valid benchmark result: 0 completed requests (64 failed, 64 prompts)")
                .signature()).isEqualTo("validity-no-completed-requests");
        assertThat(triage.classify(dir, "no valid benchmark result: 12 of 64 requests failed (18.75% > 5%)")
                .signature()).isEqualTo("validity-failed-requests");
        assertThat(triage.classify(dir, "no valid benchmark result: no result file for concurrency 64 (expected"
                + " results_concurrency_64_gpus_8.json)").signature()).isEqualTo("validity-no-result-file");
        assertThat(triage.classify(dir, "no valid benchmark result: results_concurrency_4.json: not JSON")
                .signature()).isEqualTo("validity-gate");
    }

    @Test
    void aFailureArchiveIsTriagedLikeTheDirectoryItWasMadeFrom() throws IOException, InterruptedException {
        JobDirectory dir = jobDir(tmp.resolve("job"), withNoise("05-indexer-oom.log"));
        slurmJson(dir, "FAILED", "NonZeroExitCode", "1:0", null);
        Path archive = tarGz(dir.root(), tmp.resolve("failure.tar.gz"));

        TriageResult fromDir = triage.classify(dir.root());
        TriageResult fromArchive = triage.classify(archive);

        assertThat(fromArchive).isEqualTo(fromDir);
        assertThat(fromArchive.file()).isEqualTo("logs/prefill-0.log");
        assertThat(fromArchive.suggestedWorkaround()).isEqualTo("dsv4-indexer-memory-headroom");
    }

    @Test
    void aJobDirectoryWhoseLogsAreGoneIsReadFromItsArchive() throws IOException, InterruptedException {
        JobDirectory dir = jobDir(tmp.resolve("job"), withNoise("06-chat-template.log"));
        tarGz(dir.root(), dir.root().resolve(Triage.ARCHIVE));
        ArchiveExtractor.delete(dir.logs());

        TriageResult result = triage.classify(dir.root());

        assertThat(result.suggestedWorkaround()).isEqualTo("dsv4-no-chat-template");
        assertThat(result.file()).isEqualTo("logs/prefill-0.log");
    }

    @Test
    void aDirectoryOfLogsWithoutTheJobLayoutIsOneJob() throws IOException {
        Path dir = tmp.resolve("srt-slurm-outputs/12345");
        LogVariants.write(dir.resolve("sweep_12345.log"), List.of("orchestrator: starting"), "\n");
        LogVariants.write(dir.resolve("decode/decode-5.log"), withNoise("09-per-rank-oom.log"), "\n");
        Files.writeString(dir.resolve("config.yaml"), "model: x\n");
        Files.writeString(dir.resolve("scontrol_show_job.txt"),
                Files.readString(SeedFailureLogsTest.seed("01-no-log-file.scontrol.txt")));

        TriageResult result = triage.classify(dir);

        assertThat(result.signature()).isEqualTo("gpu-oom-weights-fill-gpu");
        assertThat(result.file()).isEqualTo("decode/decode-5.log");
    }

    @Test
    void aBrokenArchiveOrAMissingPathIsATriageException() throws IOException {
        Path broken = tmp.resolve("failure.tar.gz");
        Files.writeString(broken, "not gzip");

        assertThatThrownBy(() -> triage.classify(broken)).isInstanceOf(TriageException.class)
                .hasMessageContaining("cannot unpack");
        assertThatThrownBy(() -> triage.classify(tmp.resolve("nope.log"))).isInstanceOf(TriageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void triageJsonHoldsTheFieldsInOrderAndReadsBack() throws IOException {
        JobDirectory dir = jobDir(tmp.resolve("job"), withNoise("04-nvshmem-ipc.log"));
        TriageResult result = triage.classify(dir, null);

        // As the job-failure route writes it: the fields, marshalled with the shared mapper.
        Path written = Files.writeString(dir.root().resolve(TriageFile.FILE),
                io.sweepd.json.Json.PRETTY.writeValueAsString(TriageFile.fields(result)));

        assertThat(JSON.readTree(written.toFile()).fieldNames()).toIterable().containsExactly("category",
                "retryable", "diagnosis", "suggested-workaround", "evidence", "file", "line", "signature");
        assertThat(JSON.readTree(written.toFile()).path("suggested-workaround").asText())
                .isEqualTo("dsv4-hopper-nccl-instead-of-nvshmem");
        assertThat(TriageFile.read(dir)).contains(result);
        assertThat(triage.classify(dir, null)).as("triage.json is not read as a log").isEqualTo(result);
    }

    private static Path tarGz(Path dir, Path archive) throws IOException, InterruptedException {
        List<String> members = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            listing.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".tar.gz")).sorted()
                    .forEach(members::add);
        }
        List<String> argv = new ArrayList<>(List.of("tar", "-czf", archive.toString(), "-C", dir.toString(), "--"));
        argv.addAll(members);
        Process tar = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(output).isZero();
        return archive;
    }
}
