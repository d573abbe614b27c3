package io.sweepd.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.cli.TriageCommand;
import io.sweepd.core.JobDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sweepd triage PATH... --format json|table}, offline. */
class TriageCommandTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TriageCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void jsonHasOneObjectPerInputWhateverItIs() throws Exception {
        JobDirectory dir = TriageInputsTest.jobDir(tmp.resolve("job"),
                LogVariants.fixtureLines("03-api-server-flags.log"));
        Path case1 = SeedFailureLogsTest.seed("01-no-log-file.scontrol.txt");
        Path case9 = SeedFailureLogsTest.seed("09-per-rank-oom.log");

        Run run = run("--format", "json", case1.toString(), case9.toString(), dir.root().toString());

        assertThat(run.exit()).isZero();
        JsonNode results = new ObjectMapper().readTree(run.out());
        assertThat(results).hasSize(3);
        JsonNode first = results.get(0);
        assertThat(first.path("input").asText()).isEqualTo(case1.toString());
        assertThat(first.path("category").asText()).isEqualTo("job-launch-failure");
        assertThat(first.path("retryable").asBoolean()).isFalse();
        assertThat(first.path("suggested-workaround").isNull()).isTrue();
        assertThat(first.has("diagnosis")).isTrue();
        assertThat(first.path("evidence").asText()).startsWith("JobState=FAILED");
        assertThat(results.get(1).path("category").asText()).isEqualTo("gpu-out-of-memory");
        assertThat(results.get(1).path("diagnosis").asText()).contains("74.99 GiB of each 79.19 GiB GPU");
        assertThat(results.get(2).path("category").asText()).isEqualTo("unsupported-argument");
        assertThat(results.get(2).path("suggested-workaround").asText())
                .isEqualTo("dynamo-vllm-no-frontend-flags-on-workers");
        assertThat(results.get(2).path("file").asText()).isEqualTo("logs/prefill-0.log");
    }

    @Test
    void everySeedLogInOneCall() throws Exception {
        List<String> names = List.of("02-dynamo-import.log", "03-api-server-flags.log", "04-nvshmem-ipc.log",
                "05-indexer-oom.log", "06-chat-template.log", "07-cross-node-tp.log", "08-weight-load-deadline.log");
        String[] args = new String[names.size() + 2];
        args[0] = "--format";
        args[1] = "json";
        for (int i = 0; i < names.size(); i++) {
            args[i + 2] = SeedFailureLogsTest.seed(names.get(i)).toString();
        }

        JsonNode results = new ObjectMapper().readTree(run(args).out());

        assertThat(results.findValuesAsText("suggested-workaround")).containsExactly(
                "dsv4-dynamo-vllm-pin-dynamo-commit", "dynamo-vllm-no-frontend-flags-on-workers",
                "dsv4-hopper-nccl-instead-of-nvshmem", "dsv4-indexer-memory-headroom", "dsv4-no-chat-template",
                "dynamo-vllm-cross-node-tp-needs-headless", "dsv4-multinode-slow-weight-load");
    }

    @Test
    void theTableNamesCategoryFixAndEvidence() {
        Run run = run(SeedFailureLogsTest.seed("06-chat-template.log").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("benchmark-client").contains("dsv4-no-chat-template")
                .contains("tokenizer.chat_template is not set");
    }

    @Test
    void theVerdictOptionIsMatchedToo() throws Exception {
        JobDirectory dir = TriageInputsTest.jobDir(tmp.resolve("job"), null);

        Run run = run("--format", "json", "--verdict", "INVALID: 12 of 64 requests failed (18.8% > 5%)",
                dir.root().toString());

        assertThat(new ObjectMapper().readTree(run.out()).get(0).path("category").asText())
                .isEqualTo("benchmark-invalid");
    }

    @Test
    void aPathThatCannotBeReadIsReportedAndTheOthersStillClassified() throws Exception {
        Run run = run("--format", "json", tmp.resolve("missing").toString(),
                SeedFailureLogsTest.seed("07-cross-node-tp.log").toString());

        assertThat(run.exit()).as("bad input file (cli.ExitCodes.BAD_INPUT)").isEqualTo(5);
        JsonNode results = new ObjectMapper().readTree(run.out());
        assertThat(results.get(0).path("error").asText()).contains("does not exist");
        assertThat(results.get(1).path("category").asText()).isEqualTo("parallel-config");
        assertThat(run.err()).contains("does not exist");
    }
}
