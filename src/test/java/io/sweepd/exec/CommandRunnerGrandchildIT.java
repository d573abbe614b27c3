package io.sweepd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A program that leaves a background child holding its stdout (a launcher that forks and exits): the call still
 * ends, with the program's own status or its timeout (through the whole stack: CommandRunner, camel-exec's
 * values, {@link CommonsExecCommandExecutor}'s bounded pumps). Slow (each case takes ~5 s here before the pipe is
 * released), so it runs with the integration tests.
 */
class CommandRunnerGrandchildIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final CommandRunner runner = new CommandRunner(Map.of());

    @Test
    void aBackgroundedGrandchildHoldingStdoutDoesNotMakeTheCallHang() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sh", "-c", "sleep 30 & echo started"));

        assertThat(result.stdout()).startsWith("started");
        assertThat(result.exitCode()).isZero();
        // Whether the JDK or the pump stop timeout releases the pipe first is a race; either way the call is bounded.
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aGrandchildHoldingStdoutDoesNotHideTheProgramsOwnExitStatus() {
        CommandResult result = runner.run(CommandSpec.of(TIMEOUT, "sh", "-c", "sleep 30 & echo started; exit 4"));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.timedOut()).isFalse();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aTimeoutIsFlaggedAndBoundedEvenWithAGrandchildHoldingStdout() {
        CommandResult result = runner.run(CommandSpec.of(Duration.ofMillis(300), "sh", "-c",
                "sleep 30 & echo started; sleep 30"));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stdout()).startsWith("started");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }
}
