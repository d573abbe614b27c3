package io.sweepd.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.Fixtures;
import io.sweepd.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd plan} and {@code sweepd submit} run in-process as a user runs them: what stdout holds, what stderr
 * says, and the exit status a script branches on (ExitCodes).
 */
class PlanAndSubmitCommandTest {

    /** Strict: trailing text after the document (a log line, a second document) fails the parse. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path home;

    private record Ran(int exit, String out, String err) {
    }

    private Ran sweepd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return new Ran(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private Path sweep(String name, String text) throws Exception {
        return Files.writeString(home.resolve(name), text);
    }

    /** The one-job sweep plus a TP16 point no 8-GPU node can hold: preflight refuses it. */
    private Path sweepWithARefusedPoint() throws Exception {
        return sweep("refusing.yaml", Fixtures.oneJobSweep().replace("    - {tp: 2, conc-list: [4, 8]}\n",
                "    - {tp: 2, conc-list: [4, 8]}\n    - {tp: 16, conc-list: [4]}\n"));
    }

    private List<Path> inbox() throws Exception {
        Path inbox = home.resolve("inbox");
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aPlanWithEveryPointPlacedExitsZeroWithOnlyJsonOnStdout() throws Exception {
        Ran plan = sweepd("plan", sweep("one.yaml", Fixtures.oneJobSweep()).toString(), "--format", "json");

        assertThat(plan.exit()).isEqualTo(ExitCodes.OK);
        JsonNode json = STRICT_JSON.readTree(plan.out());
        assertThat(json.get("points")).hasSize(2);
        assertThat(plan.err()).isEmpty();
    }

    @Test
    void aPlanWithARefusedPointExitsThreeAndStillPrintsTheWholePlan() throws Exception {
        Path file = sweepWithARefusedPoint();

        Ran json = sweepd("plan", file.toString(), "--format", "json");
        Ran table = sweepd("plan", file.toString());

        assertThat(json.exit()).isEqualTo(ExitCodes.REFUSED);
        JsonNode points = STRICT_JSON.readTree(json.out()).get("points");
        assertThat(points).hasSize(3);
        assertThat(points.get(2).get("refused").asText()).contains("needs 16 GPUs in one node");
        assertThat(table.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(table.out()).contains("needs 16 GPUs in one node");
        assertThat(table.err()).contains("1 of 3 points refused before submission (exit 3)");
    }

    @Test
    void aMissingSweepFileIsOneLineNamingItNotAJavaException() {
        Ran plan = sweepd("plan", "nosuch.yaml", "--format", "json");
        Ran submit = sweepd("submit", "nosuch.yaml");

        for (Ran ran : List.of(plan, submit)) {
            assertThat(ran.exit()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(ran.out()).isEmpty();
            assertThat(ran.err()).endsWith("nosuch.yaml: no such sweep file" + System.lineSeparator())
                    .doesNotContain("Exception").hasLineCount(1);
        }
        assertThat(plan.err()).startsWith("sweepd plan: ");
    }

    @Test
    void aSweepThatDoesNotParseIsBadInputNamingFileLineAndField() throws Exception {
        Path bad = sweep("bad.yaml", Fixtures.oneJobSweep().replace("  multinode: false\n",
                "  multinode: false\n  bogus-key: 1\n"));

        Ran plan = sweepd("plan", bad.toString());

        assertThat(plan.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(plan.out()).isEmpty();
        assertThat(plan.err()).contains(bad + ":11:3: field 'gptoss-fp4-h100-vllm.bogus-key': unknown key 'bogus-key'")
                .hasLineCount(1);
    }

    @Test
    void anUnknownProfileIsRefusedBeforeAnyPlanning() throws Exception {
        Path file = sweep("one.yaml", Fixtures.oneJobSweep());

        Ran plan = sweepd("plan", file.toString(), "--profile", "nosuch");
        Ran submit = sweepd("submit", file.toString(), "--profile", "nosuch");

        for (Ran ran : List.of(plan, submit)) {
            assertThat(ran.exit()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(ran.out()).isEmpty();
            assertThat(ran.err()).contains("no cluster profile named nosuch; known: ").contains("local, local-h200");
        }
        assertThat(inbox()).as("nothing submitted").isEmpty();
    }

    @Test
    void submitRefusesAFileTheDaemonWouldMoveToErrorAndCopiesNothing() throws Exception {
        Path bad = sweep("bad.yaml", Fixtures.oneJobSweep().replace("  multinode: false\n",
                "  multinode: false\n  bogus-key: 1\n"));

        Ran submit = sweepd("submit", bad.toString());

        assertThat(submit.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(submit.out()).isEmpty();
        assertThat(submit.err()).isEqualTo("sweepd submit: " + bad + ":11:3: field 'gptoss-fp4-h100-vllm.bogus-key':"
                + " unknown key 'bogus-key'; expected one of: disagg, framework, image, model, model-prefix, multinode,"
                + " precision, runner, scenarios, seq-len-configs; not submitted" + System.lineSeparator());
        assertThat(inbox()).isEmpty();
    }

    @Test
    void submitQueuesAValidSweepAndSaysOnStderrHowManyPointsWillBeRefused() throws Exception {
        Path file = sweepWithARefusedPoint();

        Ran submit = sweepd("submit", file.toString());

        assertThat(submit.exit()).as("submitted: the refused point does not stop the others").isEqualTo(ExitCodes.OK);
        assertThat(submit.out()).isEqualTo("submitted " + file + " as " + home.resolve("inbox/refusing.yaml")
                + System.lineSeparator());
        assertThat(submit.err()).isEqualTo("sweepd submit: 1 of 3 points will be refused before submission"
                + " (sweepd plan " + file + " says why)" + System.lineSeparator());
        assertThat(inbox()).containsExactly(home.resolve("inbox/refusing.yaml"));
        assertThat(Files.readString(home.resolve("inbox/refusing.yaml"))).isEqualTo(Files.readString(file));
        assertThat(inbox()).noneMatch(p -> p.getFileName().toString().startsWith(".")).hasSize(1);
    }

    @Test
    void helpListsTheExitCodesWithoutTerminalCodes() {
        Ran root = sweepd("--help");
        Ran plan = sweepd("plan", "--help");

        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("Exit codes:")
                .containsPattern("(?m)^ +0 +all good")
                .containsPattern("(?m)^ +2 +usage error")
                .containsPattern("(?m)^ +3 +points refused")
                .containsPattern("(?m)^ +4 +the run finished with failed points")
                .containsPattern("(?m)^ +5 +bad input file")
                .containsPattern("(?m)^ +6 +unknown name")
                .containsPattern("(?m)^ +7 +Slurm unavailable")
                .doesNotContain("\u001b");
        assertThat(plan.out()).contains("Exit codes:").containsPattern("(?m)^ +3 +points refused")
                .doesNotContainPattern("(?m)^ +7 +Slurm unavailable").doesNotContain("\u001b");
    }

    @Test
    void aUsageErrorExitsTwo() {
        Ran ran = sweepd("plan", "--no-such-option", "x.yaml");

        assertThat(ran.exit()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
        assertThat(ran.out()).isEmpty();
        assertThat(ran.err()).contains("Unknown option: '--no-such-option'");
    }

    /**
     * As a user runs it, in a JVM of its own with the shipped logback.xml: the planner logs a warning (the sweep
     * disables a workaround rule), which goes to stderr; stdout is the JSON document alone.
     */
    @Test
    void logLinesGoToStderrSoThatJsonOnStdoutParses() throws Exception {
        Path file = sweep("one.yaml", Fixtures.oneJobSweep());
        Path stdout = home.resolve("stdout.txt");
        Path stderr = home.resolve("stderr.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SweepdCli.class.getName(), "--home", home.toString(), "plan", file.toString(), "--format", "json")
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the command finished").isTrue();

        assertThat(process.exitValue()).isEqualTo(ExitCodes.OK);
        assertThat(STRICT_JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8)).get("points")).hasSize(2);
        assertThat(Files.readString(stderr)).contains("WARN  [Planner] sweep one: workaround rules disabled by the"
                + " sweep file: [inferencemax-gptoss-fp4-h100]");
    }
}
