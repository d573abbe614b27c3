package io.sweepd.triage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's failures as other deployments print them, and diagnoses that speak of the job's own framework.
 */
class FieldVariantsTest {

    private static final Pattern SRT_PREFIX = Pattern.compile("^\\[([a-z]+)-(\\d+)] (.*)$");

    private static Triage triage;

    @TempDir
    Path dir;

    @BeforeAll
    static void shippedSignatures() {
        triage = new Triage(SignatureCatalog.shipped());
    }

    static List<String> logCases() {
        return RealisticVariantsTest.logCases().toList();
    }

    /**
     * A seed log as a vLLM-multiprocess deployment with a log collector writes it: srt-slurm's {@code [decode-3] }
     * becomes vLLM's {@code (VllmWorker_decode rank=3 pid=2003) } or torch's {@code [rank3]:}, every line gets a
     * timestamp, the packages live in dist-packages of another Python.
     */
    static List<String> deployedElsewhere(List<String> lines, boolean torchPrefix) {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            String moved = line.replace("site-packages", "dist-packages").replaceAll("python3\\.\\d+", "python3.10");
            Matcher m = SRT_PREFIX.matcher(moved);
            if (m.matches()) {
                int rank = Integer.parseInt(m.group(2));
                int offset = m.group(1).equals("decode") ? 100 : 0;
                moved = torchPrefix ? "[rank" + (rank + offset) + "]: " + m.group(3)
                        : "(VllmWorker_" + m.group(1) + " rank=" + rank + " pid=" + (2000 + offset + rank) + ") "
                                + m.group(3);
            }
            out.add(String.format(Locale.ROOT, "2026-01-02T03:04:%02d.%06d+00:00 %s", n % 60, n, moved));
            n++;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void seedCasesKeepTheirDiagnosisAndFixWhenDeployedElsewhere(String fixture) {
        TriageResult bare = triage.classify(SeedFailureLogsTest.seed(fixture));
        for (boolean torchPrefix : new boolean[] {false, true}) {
            Path log = LogVariants.write(dir.resolve(torchPrefix + "-" + fixture),
                    deployedElsewhere(LogVariants.fixtureLines(fixture), torchPrefix), "\n");

            TriageResult result = triage.classify(log);

            assertThat(result.signature()).as(fixture + " torch prefix " + torchPrefix).isEqualTo(bare.signature());
            assertThat(result.category()).isEqualTo(bare.category());
            assertThat(result.suggestedWorkaround()).isEqualTo(bare.suggestedWorkaround());
            assertThat(result.retryable()).isEqualTo(bare.retryable());
        }
    }

    @Test
    void theDynamoImportCaseIsRecognisedThroughDistPackages() throws IOException {
        List<String> lines = LogVariants.fixtureLines("02-dynamo-import.log").stream()
                .map(line -> line.replace("site-packages", "dist-packages"))
                .toList();
        assertThat(String.join("\n", lines)).contains("dist-packages/dynamo/").doesNotContain("site-packages");

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("dist.log"), lines, "\n"));

        assertThat(result.suggestedWorkaround()).isEqualTo("dsv4-dynamo-vllm-pin-dynamo-commit");
        assertThat(result.diagnosis()).isEqualTo(triage.classify(SeedFailureLogsTest.seed("02-dynamo-import.log")).diagnosis());
    }

    private Path job(String framework, List<String> log) throws IOException {
        Path job = Files.createDirectories(dir.resolve("job-" + framework + "-" + log.size()));
        Files.createDirectories(job.resolve("logs"));
        Files.write(job.resolve("logs/server.log"), log);
        if (framework != null) {
            Files.writeString(job.resolve("plan.json"),
                    "{\"job-key\": \"j1\", \"points\": [{\"framework\": \"" + framework + "\", \"model\": \"m\"}]}\n");
        }
        return job;
    }

    private static final List<String> OOM = List.of(
            "Traceback (most recent call last):",
            "  File \"/usr/local/lib/python3.12/dist-packages/torch/nn/modules/module.py\", line 1751, in _call_impl",
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of"
                    + " 79.19 GiB of which 1.20 GiB is free.");

    @Test
    void aGpuOomOfAnSglangJobSpeaksOfSglangsSettingsAndAVllmJobsOfVllms() throws IOException {
        TriageResult sglang = triage.classify(job("dynamo-sglang", OOM));
        TriageResult vllm = triage.classify(job("vllm", OOM));
        TriageResult trtllm = triage.classify(job("trt", OOM));

        assertThat(sglang.category()).isEqualTo(Category.GPU_OUT_OF_MEMORY);
        assertThat(sglang.diagnosis()).contains("--mem-fraction-static").doesNotContain("gpu-memory-utilization");
        assertThat(vllm.diagnosis()).contains("gpu-memory-utilization").doesNotContain("mem-fraction-static");
        assertThat(trtllm.diagnosis()).contains("free_gpu_memory_fraction").doesNotContain("gpu-memory-utilization");
        assertThat(List.of(sglang.evidence(), vllm.evidence(), trtllm.evidence())).containsOnly(OOM.get(2));
    }

    @Test
    void withoutAPlanTheFrameworkIsTheOneTheLogsShow() throws IOException {
        List<String> sglangLog = new ArrayList<>(List.of(
                "[2026-01-02 03:04:05 TP0] Scheduler hit an exception: Traceback (most recent call last):",
                "  File \"/sgl-workspace/sglang/python/sglang/srt/managers/scheduler.py\", line 2769, in run_scheduler_process"));
        sglangLog.addAll(OOM);

        TriageResult result = triage.classify(job(null, sglangLog));

        assertThat(result.diagnosis()).contains("--mem-fraction-static");
    }

    @Test
    void unrecognisedArgumentsOfSglangPointAtSglangsServerArguments() throws IOException {
        TriageResult result = triage.classify(job("sglang", List.of(
                "launch_server.py: error: unrecognized arguments: --enable-reasoning")));

        assertThat(result.category()).isEqualTo(Category.UNSUPPORTED_ARGUMENT);
        assertThat(result.diagnosis()).contains("SGLang").contains("--enable-reasoning").doesNotContain("vLLM");
    }
}
