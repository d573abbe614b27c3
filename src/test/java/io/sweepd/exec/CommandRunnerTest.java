package io.sweepd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final CommandRunner runner = new CommandRunner(Map.of("SWEEPD_TEST_OVERLAY", "from overlay", "HOME", "/overlay/home"));

    @Test
    void anArgumentWithShellSyntaxReachesTheProgramVerbatimAsOneArgument() {
        String nasty = "two words \"double\" 'single' $(touch /tmp/sweepd-pwned) `id` ; echo x | cat & ${HOME} * \\ end";

        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "printf", "%s\\n", nasty));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(nasty + "\n");
        assertThat(Path.of("/tmp/sweepd-pwned")).doesNotExist();
    }

    @Test
    void eachListElementIsExactlyOneArgumentEvenWhenEmptyOrQuoted() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "printf", "<%s>", "a b", "", "\"quoted\"", "'x y'",
                "line1\nline2"));

        assertThat(result.stdout()).isEqualTo("<a b><><\"quoted\"><'x y'><line1\nline2>");
    }

    @Test
    void aNonZeroExitIsReturnedWithBothStreams() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.firstErrorLine()).isEqualTo("err");
    }

    @Test
    void aCommandPastItsTimeoutIsKilledAndReportedAsTimedOut() {
        CommandResult result = runner.run(CommandSpec.of(Duration.ofMillis(300), "sleep", "30"));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void callsSideBySideEachKeepTheirOwnTimeoutAndOutput() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<CommandResult> slow = pool.submit(() -> runner.run(CommandSpec.of(Duration.ofMillis(500), "sleep",
                    "30")));
            List<Future<CommandResult>> quick = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String word = "call-" + i;
                quick.add(pool.submit(() -> runner.run(CommandSpec.of(TIMEOUT, "printf", "%s", word))));
            }

            for (int i = 0; i < quick.size(); i++) {
                CommandResult result = quick.get(i).get(60, TimeUnit.SECONDS);
                assertThat(result.timedOut()).as("call %d", i).isFalse();
                assertThat(result.stdout()).isEqualTo("call-" + i);
            }
            CommandResult killed = slow.get(60, TimeUnit.SECONDS);
            assertThat(killed.timedOut()).isTrue();
            assertThat(killed.took()).isLessThan(Duration.ofSeconds(20));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingProgramIsAResultWithTheShellsNotFoundStatus() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sweepd-no-such-program"));

        assertThat(result.exitCode()).isEqualTo(CommandResult.NOT_STARTED);
        assertThat(result.stderr()).contains("sweepd-no-such-program");
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void stdinIsClosedSoAProgramReadingItDoesNotWait() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "cat"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void theEnvironmentOverlayIsAddedToAndWinsOverTheJvmEnvironment() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sh", "-c",
                "printf '%s|%s|%s' \"$SWEEPD_TEST_OVERLAY\" \"$HOME\" \"${PATH:+inherited}\""));

        assertThat(result.stdout()).isEqualTo("from overlay|/overlay/home|inherited");
    }

    @Test
    void aCommandsOwnVariablesWinOverTheOverlayAndReachOnlyThatCommand() {
        CommandSpec spec = CommandSpec.of(TIMEOUT, "sh", "-c", "printf '%s|%s' \"$SWEEPD_TEST_OVERLAY\" \"$SWEEPD_TEST_OWN\"");

        CommandResult own = runner.run(spec.withEnvironment(Map.of("SWEEPD_TEST_OVERLAY", "mine", "SWEEPD_TEST_OWN",
                "$(echo not run) ; `id`")));
        CommandResult plain = runner.run(spec);

        assertThat(own.stdout()).isEqualTo("mine|$(echo not run) ; `id`");
        assertThat(plain.stdout()).isEqualTo("from overlay|");
    }

    @Test
    void theInputIsWrittenToStdinVerbatimAndThenClosed() {
        String input = "{\"text\": \"héllo $(id) `id` 'q' \\\"dq\\\"\"}\nsecond line\n";

        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "cat").withInput(input));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(input);
    }

    @Test
    void theCommandRunsInItsWorkingDirectory(@TempDir Path dir) throws Exception {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "pwd").in(dir));

        assertThat(Path.of(result.stdout().strip())).isEqualTo(dir.toRealPath());
    }

    @Test
    void aMissingWorkingDirectoryIsAResultNotAnException(@TempDir Path dir) {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "pwd").in(dir.resolve("absent")));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).isNotBlank();
    }

    @Test
    void largeOutputIsCapturedWhole(@TempDir Path dir) throws Exception {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "seq", "1", "200000"));

        assertThat(result.stdout().lines().count()).isEqualTo(200000);
        assertThat(result.stdout()).endsWith("199999\n200000\n");
        Files.writeString(dir.resolve("unused"), ""); // keeps @TempDir honest on all JUnit versions
    }

    @Test
    void withAStdoutFileTheOutputGoesToTheFileAndNotIntoTheResult(@TempDir Path dir) throws Exception {
        Path answer = Files.writeString(dir.resolve("answer.txt"), "an earlier answer, longer than this one's\n");

        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "seq", "1", "200000").withStdoutTo(answer));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEmpty();
        assertThat(Files.readAllLines(answer)).hasSize(200000).endsWith("199999", "200000");
    }

    @Test
    void withAStdoutFileStderrIsStillInTheResult(@TempDir Path dir) throws Exception {
        Path answer = dir.resolve("answer.txt");

        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sh", "-c", "echo out; echo err >&2; exit 3")
                .withStdoutTo(answer));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(Files.readString(answer)).isEqualTo("out\n");
    }

    @Test
    void aLauncherThatAnswersInMemoryHasItsAnswerWrittenToTheStdoutFile(@TempDir Path dir) throws Exception {
        // Canned replies (the tests' fake Slurm) keep working for callers that read the file.
        CommandRunner canned = new CommandRunner(spec -> new CommandResult(spec, 0, "canned\n", "", false,
                Duration.ZERO));
        Path answer = dir.resolve("answer.txt");

        CommandResult result = canned.run(CommandSpec.of(TIMEOUT, "squeue").withStdoutTo(answer));

        assertThat(result.stdout()).isEmpty();
        assertThat(Files.readString(answer)).isEqualTo("canned\n");
    }

    @Test
    void invocationsAreCountedPerProgramNameWhateverThePathUsed() {
        runner.run(CommandSpec.of(TIMEOUT, "true"));
        runner.run(CommandSpec.of(TIMEOUT, "/bin/true"));
        runner.run(CommandSpec.of(TIMEOUT, "false"));

        assertThat(runner.invocations("true")).isEqualTo(2);
        assertThat(runner.invocations("/usr/bin/true")).isEqualTo(2);
        assertThat(runner.invocations("false")).isEqualTo(1);
        assertThat(runner.invocations("squeue")).isZero();
    }

    @Test
    void listenersSeeEveryResult() {
        List<CommandResult> seen = new ArrayList<>();
        runner.addListener(seen::add);

        runner.run(CommandSpec.of(TIMEOUT, "false"));

        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.spec().argv()).containsExactly("false");
            assertThat(r.exitCode()).isEqualTo(1);
        });
    }
}
