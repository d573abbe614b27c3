package io.sweepd.triage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's failures as they look in a real job's logs: buried in thousands of ordinary lines, interleaved
 * with other ranks, coloured, with Windows line ends (at the end of a 50 MB log: {@link LargeLogTriageIT}). Each is
 * named as the bare fixture is.
 */
class RealisticVariantsTest {

    private static Triage triage;

    @TempDir
    Path dir;

    @BeforeAll
    static void shippedSignatures() {
        triage = new Triage(SignatureCatalog.shipped());
    }

    /** Cases 2 to 9: the log fixtures (case 1 has no log; see {@link TriageInputsTest}). */
    static Stream<String> logCases() {
        return Stream.of("02-dynamo-import.log", "03-api-server-flags.log", "04-nvshmem-ipc.log",
                "05-indexer-oom.log", "06-chat-template.log", "07-cross-node-tp.log", "08-weight-load-deadline.log",
                "09-per-rank-oom.log");
    }

    static TriageResult bare(String fixture) {
        return triage.classify(SeedFailureLogsTest.seed(fixture));
    }

    static void assertSameVerdict(String fixture, Path variant) {
        TriageResult expected = bare(fixture);
        TriageResult actual = triage.classify(variant);

        assertThat(actual.signature()).as(fixture).isEqualTo(expected.signature());
        assertThat(actual.category()).isEqualTo(expected.category());
        assertThat(actual.suggestedWorkaround()).isEqualTo(expected.suggestedWorkaround());
        assertThat(actual.retryable()).isEqualTo(expected.retryable());
        assertThat(actual.diagnosis()).isEqualTo(expected.diagnosis());
        assertThat(actual.evidence()).isEqualTo(expected.evidence());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void buriedInThousandsOfOrdinaryVllmAndNcclLines(String fixture) {
        List<String> lines = new LogVariants(fixture.hashCode()).withNoise(LogVariants.fixtureLines(fixture), 5000, 300);
        Path log = LogVariants.write(dir.resolve("noisy.log"), lines, "\n");

        assertSameVerdict(fixture, log);
        assertThat(triage.classify(log).line()).isGreaterThan(5000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void interleavedWithOtherRanks(String fixture) {
        List<String> lines = new LogVariants(fixture.hashCode()).interleaved(LogVariants.fixtureLines(fixture));

        assertSameVerdict(fixture, LogVariants.write(dir.resolve("interleaved.log"), lines, "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void inAnsiColours(String fixture) {
        List<String> lines = LogVariants.coloured(
                new LogVariants(fixture.hashCode()).withNoise(LogVariants.fixtureLines(fixture), 500, 50));

        assertSameVerdict(fixture, LogVariants.write(dir.resolve("coloured.log"), lines, "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void withWindowsLineEnds(String fixture) {
        List<String> lines = new LogVariants(fixture.hashCode()).withNoise(LogVariants.fixtureLines(fixture), 500, 50);
        Path log = LogVariants.write(dir.resolve("crlf.log"), lines, "\r\n");

        assertSameVerdict(fixture, log);
        assertThat(triage.classify(log).line()).isEqualTo(lineOf(lines, bare(fixture).evidence()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logCases")
    void withProgressBarsRedrawnByCarriageReturns(String fixture) {
        List<String> lines = new ArrayList<>();
        LogVariants variants = new LogVariants(fixture.hashCode());
        for (int i = 0; i < 20; i++) {
            lines.add(variants.noise("decode-1"));
            lines.add(LogVariants.progressBar("decode-1", 64).replace("Loading safetensors", "Capturing CUDA graphs"));
        }
        lines.addAll(LogVariants.fixtureLines(fixture));

        assertSameVerdict(fixture, LogVariants.write(dir.resolve("progress.log"), lines, "\n"));
    }

    @Test
    void aBenignWarningBeforeTheRealErrorIsNotTheAnswer() {
        List<String> lines = new ArrayList<>();
        LogVariants variants = new LogVariants(7);
        lines.add("No chat template is set for this tokenizer, falling back to a default class-level template.");
        lines.add("WARNING 04-24 19:00:02 [__init__.py:26] No module named 'flash_attn'; using the SDPA backend");
        lines.add("srun: error: Unable to contact slurm controller (connect failure)");
        lines.add("h100-dgxc-slurm-16:2211:2211 [0] NCCL WARN NET/IB : Got async event : port error");
        for (int i = 0; i < 200; i++) {
            lines.add(variants.noise("decode-2"));
        }
        lines.addAll(LogVariants.fixtureLines("03-api-server-flags.log"));
        lines.add("WARNING 04-24 19:03:00 [api_server.py:1021] Shutting down: worker prefill-0 exited");

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("benign.log"), lines, "\n"));

        assertThat(result.category()).isEqualTo(Category.UNSUPPORTED_ARGUMENT);
        assertThat(result.suggestedWorkaround()).isEqualTo("dynamo-vllm-no-frontend-flags-on-workers");
    }

    @Test
    void anOomAtWarmupAfterOrdinaryWeightLoadingLinesIsNotBlamedOnTheWeights() {
        List<String> lines = List.of(
                "[decode-1] INFO 04-24 19:00:01 [weight_utils.py:381] Using model weights format ['*.safetensors']",
                "[decode-1] INFO 04-24 19:07:12 [default_loader.py:262] Loading weights took 455.02 seconds",
                "[decode-1] INFO 04-24 19:07:20 [gpu_model_runner.py:2011] Model loading took 54.20 GiB and 463.1 seconds",
                "[decode-1] Traceback (most recent call last):",
                "[decode-1]   File \".../vllm/v1/worker/gpu_model_runner.py\", line 3105, in _dummy_run",
                "[decode-1] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total"
                        + " capacity of 79.19 GiB of which 1.02 GiB is free.");

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("warmup.log"), lines, "\n"));

        // 54.20 of 79.19 GiB is 68 %: the weights fit, the runtime settings do not.
        assertThat(result.signature()).isEqualTo("gpu-oom");
    }

    @Test
    void anInformationalLineIsNeverTheFailure() {
        List<String> lines = List.of(
                "INFO 04-24 19:00:00 [scheduler.py:100] chunk size must be divisible by block size (64); rounding up",
                "h100-dgxc-slurm-16:2211:2211 [0] NCCL INFO ncclSystemError recovery is not needed",
                "orchestrator: worker decode-0 exited with code 1 before the server became healthy; cancelling job");

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("info.log"), lines, "\n"));

        assertThat(result.category()).isEqualTo(Category.UNKNOWN);
    }

    @Test
    void aCommunicationErrorOfAPeerLosesToTheRankThatRanOutOfMemory() {
        List<String> lines = new ArrayList<>(LogVariants.fixtureLines("09-per-rank-oom.log"));
        lines.add("[decode-6] h100-dgxc-slurm-17:3012:3090 [6] NCCL WARN socketStartConnect: Connect to"
                + " 10.0.0.17<42137> failed : Connection refused");
        lines.add("[decode-6] torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1970,"
                + " unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.27.3");

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("peers.log"), lines, "\n"));

        assertThat(result.signature()).isEqualTo("gpu-oom-weights-fill-gpu");
    }

    @Test
    void aCommunicationErrorAloneIsARetryableFlake() {
        List<String> lines = new LogVariants(3).withNoise(List.of(
                "[decode-6] h100-dgxc-slurm-17:3012:3090 [6] NCCL WARN socketStartConnect: Connect to"
                        + " 10.0.0.17<42137> failed : Connection refused"), 300, 10);

        TriageResult result = triage.classify(LogVariants.write(dir.resolve("flake.log"), lines, "\n"));

        assertThat(result.category()).isEqualTo(Category.COMMUNICATION_BOOTSTRAP);
        assertThat(result.retryable()).isTrue();
        assertThat(result.suggestedWorkaround()).isNull();
    }

    @Test
    void anIllegalMemoryAccessIsAKernelCrashQuotedByItsOwnLineNotTheWarningsAfterIt() {
        List<String> lines = new LogVariants(11).withNoise(List.of(
                "[decode-4] Traceback (most recent call last):",
                "[decode-4]   File \".../vllm/v1/worker/gpu_model_runner.py\", line 2204, in execute_model",
                "[decode-4] RuntimeError: CUDA error: an illegal memory access was encountered",
                "[decode-4] CUDA kernel errors might be asynchronously reported at some other API call, so the"
                        + " stacktrace below might be incorrect.",
                "[decode-4] For debugging consider passing CUDA_LAUNCH_BLOCKING=1"), 1000, 20);
        lines.add("WARNING 04-24 19:40:00 [multiproc_executor.py:149] Error while shutting down workers, ignoring");
        Path log = LogVariants.write(dir.resolve("crash.log"), lines, "\n");

        TriageResult result = triage.classify(log);

        assertThat(result.category()).isEqualTo(Category.GPU_KERNEL_CRASH);
        assertThat(result.retryable()).isFalse();
        assertThat(result.evidence())
                .isEqualTo("[decode-4] RuntimeError: CUDA error: an illegal memory access was encountered");
        assertThat(result.line()).isEqualTo(lineOf(lines, result.evidence()));
        assertThat(result.diagnosis()).contains("--enforce-eager").doesNotContain("--disable-cuda-graph");
    }

    @Test
    void anUnknownFailureQuotesTheLastErrorLookingLineNotAnEmptyContinuationNorATrailer() {
        List<String> lines = new LogVariants(12).withNoise(List.of(
                "ERROR 04-24 19:39:58 [launcher.py:88] the frontend at 10.0.0.7:8000 refused the registration",
                "ERROR 04-24 19:39:58 [launcher.py:88] ",
                "srun: error: gpu-017: task 3: Exited with exit code 1",
                "launcher: task exited"), 1000, 20);
        lines.add("WARNING 04-24 19:40:00 [multiproc_executor.py:149] Error while shutting down workers, ignoring");
        Path log = LogVariants.write(dir.resolve("unknown.log"), lines, "\n");

        TriageResult result = triage.classify(log);

        assertThat(result.category()).isEqualTo(Category.UNKNOWN);
        assertThat(result.retryable()).isFalse();
        assertThat(result.suggestedWorkaround()).isNull();
        assertThat(result.signature()).isEqualTo("unknown");
        assertThat(result.evidence()).isEqualTo(
                "ERROR 04-24 19:39:58 [launcher.py:88] the frontend at 10.0.0.7:8000 refused the registration");
        assertThat(result.line()).isEqualTo(lineOf(lines, result.evidence()));
        assertThat(result.diagnosis()).startsWith("no known failure signature matched");
    }

    @Test
    void anUnknownFailureWithoutAnErrorLineQuotesTheLastLine() {
        Path log = LogVariants.write(dir.resolve("quiet.log"),
                List.of("INFO 04-24 19:00:00 [core.py:61] Initializing", "INFO 04-24 19:00:01 [core.py:62] still"), "\n");

        TriageResult result = triage.classify(log);

        assertThat(result.category()).isEqualTo(Category.UNKNOWN);
        assertThat(result.evidence()).isEqualTo("INFO 04-24 19:00:01 [core.py:62] still");
        assertThat(result.diagnosis()).contains("the logs show no error line");
    }

    @Test
    void aSignatureEarlierThanTheTailIsFoundByReadingFurtherBackWithinTheBudget() throws IOException {
        Path log = dir.resolve("early.log");
        List<String> lines = new ArrayList<>(LogVariants.fixtureLines("07-cross-node-tp.log"));
        LogVariants variants = new LogVariants(5);
        for (int i = 0; i < 20_000; i++) {
            lines.add(variants.noise("decode-3"));
        }
        LogVariants.write(log, lines, "\n");
        long size = Files.size(log);
        ScanLimits small = new ScanLimits(64 * 1024, 256 * 1024, size * 2, 4096, 4096);
        ScanLimits tooSmall = new ScanLimits(64 * 1024, 256 * 1024, size / 2, 4096, 4096);
        SignatureCatalog signatures = SignatureCatalog.shipped();

        TriageResult found = new Triage(signatures, small).classify(log);
        TriageResult overBudget = new Triage(signatures, tooSmall).classify(log);

        assertThat(found.category()).isEqualTo(Category.PARALLEL_CONFIG);
        assertThat(found.line()).isEqualTo(2);
        assertThat(overBudget.category()).isEqualTo(Category.UNKNOWN);
    }

    @Test
    void linesAreCleanedOfColoursCarriageReturnsAndRankPrefixes() {
        byte[] bytes = ("\u001B[2K\u001B[36m[decode-3]\u001B[0m \u001B[1;31mValueError: boom\u001B[0m\r\n"
                + "(VllmWorker rank=2 pid=4242) INFO x\r12: srun label\rplain\n")
                .getBytes(StandardCharsets.UTF_8);

        List<LogLine> lines = LineCleaner.lines(bytes, 0, bytes.length, 0, 1000);

        assertThat(lines).extracting(LogLine::rank).containsExactly("decode-3", "VllmWorker rank=2 pid=4242", "12",
                null);
        assertThat(lines).extracting(LogLine::text).containsExactly("ValueError: boom", "INFO x", "srun label",
                "plain");
        assertThat(lines).extracting(LogLine::lineInChunk).containsExactly(0, 1, 1, 1);
    }

    private static long lineOf(List<String> lines, String evidence) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(evidence)) {
                return i + 1;
            }
        }
        throw new AssertionError("not in the log: " + evidence);
    }
}
