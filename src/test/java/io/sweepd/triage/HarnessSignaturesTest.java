package io.sweepd.triage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-node harness's own last words (src/main/resources/harness/single-node.sh) are named when no engine
 * error explains the failure, and an engine error in the same log still wins.
 */
class HarnessSignaturesTest {

    private static final String STARTED = "sweepd: job gptoss_1k1k-0925f65cd9 started on gpu-node1 at"
            + " 2026-12-02T13:49:24+00:00 (slurm job 246)\n"
            + "sweepd: starting the server, log in /out/job/logs/server.log: vllm serve openai/gpt-oss-120b --port 24451\n";

    @TempDir
    Path dir;

    private TriageResult classify(String log) throws IOException {
        Path file = dir.resolve("slurm-246.out");
        Files.writeString(file, log);
        return new Triage(SignatureCatalog.shipped()).classify(file);
    }

    @Test
    void aServerTheHarnessGaveUpOnIsAStartupDeadline() throws IOException {
        TriageResult result = classify(STARTED
                + "sweepd: waiting up to 3630 s for http://127.0.0.1:24451/health\n"
                + "sweepd: server not ready within 3630 seconds; last lines of /out/job/logs/server.log:\n"
                + "INFO 12-02 13:49:27 [gpu_model_runner.py:1950] Starting to load model openai/gpt-oss-120b...\n"
                + "sweepd: stopping the server (pid 1200)\n");

        assertThat(result.category()).isEqualTo(Category.STARTUP_DEADLINE);
        assertThat(result.retryable()).isFalse();
        assertThat(result.diagnosis()).contains("within 3630 s");
    }

    @Test
    void aPortAnotherJobServesOnIsARetryableLaunchFailure() throws IOException {
        TriageResult result = classify(STARTED
                + "sweepd: port 24451 on gpu-node1 already answers (another job's server?); not starting a second"
                + " server on it\n");

        assertThat(result.category()).isEqualTo(Category.JOB_LAUNCH_FAILURE);
        assertThat(result.retryable()).isTrue();
        assertThat(result.diagnosis()).contains("port 24451 on gpu-node1");
    }

    @Test
    void anEngineErrorBeforeTheHarnessGaveUpIsTheCause() throws IOException {
        TriageResult result = classify(STARTED
                + "vllm: error: unrecognized arguments: --definitely-not-a-flag\n"
                + "sweepd: server not ready within 3630 seconds; last lines of /out/job/logs/server.log:\n");

        assertThat(result.category()).isEqualTo(Category.UNSUPPORTED_ARGUMENT);
    }
}
