package io.sweepd.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The executor on camel-exec's own terms: what an {@code exec:} endpoint gets from it. {@link CommandRunnerTest}
 * covers the same behaviour as sweepd's callers see it.
 */
class CommonsExecCommandExecutorTest {

    private static final long TIMEOUT_MS = 20_000;

    private final CommonsExecCommandExecutor executor =
            new CommonsExecCommandExecutor(Map.of("SWEEPD_TEST_OVERLAY", "from overlay"));

    private static ExecCommand command(long timeoutMs, Set<Integer> exitValues, InputStream input, String executable,
            String... args) {
        return new ExecCommand(executable, List.of(args), null, timeoutMs, exitValues, input, null, false,
                LoggingLevel.OFF);
    }

    private static String text(InputStream in) throws IOException {
        return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void anExecEndpointTakesItAsItsCommandExecutor() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("sweepdExecutor", executor);
            camel.start();

            String out = camel.createProducerTemplate().requestBodyAndHeader(
                    "exec:sh?commandExecutor=#sweepdExecutor", null, ExecBinding.EXEC_COMMAND_ARGS,
                    List.of("-c", "printf '%s|%s' \"$SWEEPD_TEST_OVERLAY\" \"$1\"", "sh", "one 'verbatim' arg"),
                    String.class);

            assertThat(out).isEqualTo("from overlay|one 'verbatim' arg");
        }
    }

    @Test
    void everyExitStatusIsAResultWhenNoExitValuesAreNamed() throws Exception {
        ExecResult result = executor.execute(command(TIMEOUT_MS, Set.of(), null, "sh", "-c",
                "echo out; echo err >&2; exit 3"));

        assertThat(result.getExitValue()).isEqualTo(3);
        assertThat(text(result.getStdout())).isEqualTo("out\n");
        assertThat(text(result.getStderr())).isEqualTo("err\n");
    }

    @Test
    void anExitStatusOutsideTheNamedExitValuesIsAnExecExceptionWithTheOutput() throws Exception {
        ExecException e = catchThrowableOfType(ExecException.class, () -> executor.execute(
                command(TIMEOUT_MS, Set.of(0, 1), null, "sh", "-c", "echo out; echo err >&2; exit 3")));

        assertThat(e.getExitValue()).isEqualTo(3);
        assertThat(text(e.getStdout())).isEqualTo("out\n");
        assertThat(text(e.getStderr())).isEqualTo("err\n");
        assertThat(e.getCause()).isNotInstanceOf(TimeoutException.class);
    }

    @Test
    void aTimeoutIsAnExecExceptionCausedByATimeoutExceptionWithTheOutputSoFar() throws Exception {
        long started = System.nanoTime();
        ExecException e = catchThrowableOfType(ExecException.class, () -> executor.execute(
                command(300, Set.of(), null, "sh", "-c", "echo before; exec sleep 30")));

        assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        assertThat(text(e.getStdout())).isEqualTo("before\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aTimeoutIsToldEvenWhenTheKillLeavesAnAcceptedExitStatus() {
        // sh turns SIGTERM into 143; naming 143 as accepted must not hide that the watchdog killed it.
        ExecException e = catchThrowableOfType(ExecException.class, () -> executor.execute(
                command(300, Set.of(0, 143), null, "sleep", "30")));

        assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aProgramThatCannotStartIsAnExecExceptionWithTheShellsNotFoundStatus() {
        ExecException e = catchThrowableOfType(ExecException.class, () -> executor.execute(
                command(TIMEOUT_MS, Set.of(), null, "sweepd-no-such-program")));

        assertThat(e.getExitValue()).isEqualTo(CommandResult.NOT_STARTED);
        assertThat(e.getMessage()).contains("sweepd-no-such-program");
        assertThat(e.getCause()).isInstanceOf(IOException.class);
    }

    @Test
    void theCommandsInputIsFedToStdin() throws Exception {
        ExecResult result = executor.execute(command(TIMEOUT_MS, Set.of(),
                new ByteArrayInputStream("piped in\n".getBytes(StandardCharsets.UTF_8)), "cat"));

        assertThat(text(result.getStdout())).isEqualTo("piped in\n");
    }
}
