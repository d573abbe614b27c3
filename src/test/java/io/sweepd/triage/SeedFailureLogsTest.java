package io.sweepd.triage;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The nine failures of the seed PR (fixtures/seed-pr/failure-logs), each named with the fix the PR made. */
class SeedFailureLogsTest {

    private static Triage triage;

    @BeforeAll
    static void shippedSignatures() {
        triage = new Triage(SignatureCatalog.shipped());
    }

    /** File, category, suggested workaround (null: no rule fixes it), retryable. */
    static Stream<Arguments> seedCases() {
        return Stream.of(
                Arguments.of("01-no-log-file.scontrol.txt", Category.JOB_LAUNCH_FAILURE, null, false),
                Arguments.of("02-dynamo-import.log", Category.DEPENDENCY_MISMATCH,
                        "dsv4-dynamo-vllm-pin-dynamo-commit", false),
                Arguments.of("03-api-server-flags.log", Category.UNSUPPORTED_ARGUMENT,
                        "dynamo-vllm-no-frontend-flags-on-workers", false),
                Arguments.of("04-nvshmem-ipc.log", Category.COMMUNICATION_BOOTSTRAP,
                        "dsv4-hopper-nccl-instead-of-nvshmem", false),
                Arguments.of("05-indexer-oom.log", Category.GPU_OUT_OF_MEMORY, "dsv4-indexer-memory-headroom", false),
                Arguments.of("06-chat-template.log", Category.BENCHMARK_CLIENT, "dsv4-no-chat-template", false),
                Arguments.of("07-cross-node-tp.log", Category.PARALLEL_CONFIG,
                        "dynamo-vllm-cross-node-tp-needs-headless", false),
                Arguments.of("08-weight-load-deadline.log", Category.STARTUP_DEADLINE,
                        "dsv4-multinode-slow-weight-load", false),
                Arguments.of("09-per-rank-oom.log", Category.GPU_OUT_OF_MEMORY, null, false));
    }

    static Path seed(String name) {
        return Fixtures.fixture(LogVariants.SEED_LOGS + name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedCases")
    void eachSeedFailureIsNamedWithTheFixThePrMade(String file, Category category, String fix, boolean retryable) {
        TriageResult result = triage.classify(seed(file));

        assertThat(result.category()).isEqualTo(category);
        assertThat(result.suggestedWorkaround()).isEqualTo(fix);
        assertThat(result.retryable()).isEqualTo(retryable);
        assertThat(result.evidence()).isNotBlank();
        assertThat(result.line()).isPositive();
        assertThat(result.file()).isEqualTo(seed(file).toString());
    }

    @Test
    void case1WithoutALogIsAJobLaunchFailureThatQuotesSlurmsRecord() {
        TriageResult result = triage.classify(seed("01-no-log-file.scontrol.txt"));

        assertThat(result.signature()).isEqualTo("died-before-logging");
        assertThat(result.evidence()).isEqualTo("JobState=FAILED Reason=NonZeroExitCode Dependency=(null)");
        assertThat(result.line()).isEqualTo(2);
        assertThat(result.diagnosis())
                .contains("FAILED (exit 1:0) after 00:00:06 without a single log line")
                .contains("/home/runner/srt-slurm/outputs/%j/logs/sweep_%j.log");
    }

    @Test
    void case2QuotesTheImportErrorOfThePrefillWorker() {
        TriageResult result = triage.classify(seed("02-dynamo-import.log"));

        assertThat(result.evidence()).isEqualTo("[prefill-0] ModuleNotFoundError: No module named 'vllm.inputs.data'");
        assertThat(result.line()).isEqualTo(7);
        assertThat(result.diagnosis()).startsWith("ai-dynamo imports vllm.inputs.data");
    }

    @Test
    void case3NamesTheRejectedFlags() {
        TriageResult result = triage.classify(seed("03-api-server-flags.log"));

        assertThat(result.diagnosis()).contains("--enable-auto-tool-choice --tool-call-parser deepseek_v4");
        assertThat(result.line()).isEqualTo(2);
    }

    @Test
    void case4IsTheDeterministicNvshmemIpcFailureNotAFlakeEvenAfterAHeavyWeightLoad() {
        TriageResult result = triage.classify(seed("04-nvshmem-ipc.log"));

        assertThat(result.signature()).isEqualTo("nvshmem-ipc-bootstrap-cu129");
        assertThat(result.retryable()).isFalse();
        assertThat(result.evidence()).contains("Fatal IPC Failure");
    }

    @Test
    void case5IsTheIndexerOomNotTheWeightsFillingTheGpu() {
        TriageResult result = triage.classify(seed("05-indexer-oom.log"));

        assertThat(result.signature()).isEqualTo("dsv4-sparse-attention-indexer-oom");
        assertThat(result.evidence()).startsWith("[decode-0] torch.OutOfMemoryError: CUDA out of memory.");
    }

    @Test
    void case8SaysHowFarTheWeightsGotBeforeTheDeadline() {
        TriageResult result = triage.classify(seed("08-weight-load-deadline.log"));

        assertThat(result.diagnosis()).contains("1800 s").contains("8/64 shards after 16:02");
        assertThat(result.evidence()).startsWith("orchestrator: deadline of 1800 s reached");
        assertThat(result.line()).isEqualTo(4);
    }

    @Test
    void case9ComputesThatTheWeightsAloneNearlyFillTheGpuAndTheTopologyCannotWork() {
        TriageResult result = triage.classify(seed("09-per-rank-oom.log"));

        assertThat(result.signature()).isEqualTo("gpu-oom-weights-fill-gpu");
        assertThat(result.suggestedWorkaround()).isNull();
        // 74.99 / 79.19 = 94.7 %; 79.19 - 74.99 = 4.20 GiB left for everything else.
        assertThat(result.diagnosis())
                .contains("74.99 GiB of each 79.19 GiB GPU (95%)")
                .contains("leaving 4.20 GiB")
                .contains("this parallel layout cannot work on these GPUs");
        assertThat(result.evidence()).startsWith("[decode-5] torch.OutOfMemoryError");
        assertThat(result.line()).isEqualTo(2);
    }
}
