package io.sweepd.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;

/**
 * Runs a {@link CommandSpec} through camel-exec's public extension point,
 * {@link org.apache.camel.component.exec.ExecCommandExecutor}, used as a plain library (no route, no
 * CamelContext): the spec becomes an {@link ExecCommand}, the answer an
 * {@link ExecResult} or {@link ExecException}, and both become a {@link CommandResult}, never an exception.
 *
 * <p>The executor is {@link CommonsExecCommandExecutor} (environment overlay, timeouts told apart, bounded wait
 * for output); this class only translates, so that {@link CommandRunner}'s contract is written in one place and
 * the executor stays usable as any {@code exec:} endpoint's {@code commandExecutor}. It stays behind
 * {@link ProcessLauncher} because tests replace the launcher with canned replies to exercise the Slurm client
 * without a cluster.
 */
final class CamelExecLauncher implements ProcessLauncher {

    private final CommonsExecCommandExecutor executor;

    CamelExecLauncher(Map<String, String> environmentOverlay) {
        this(new CommonsExecCommandExecutor(environmentOverlay));
    }

    CamelExecLauncher(CommonsExecCommandExecutor executor) {
        this.executor = executor;
    }

    @Override
    public CommandResult launch(CommandSpec spec) {
        long started = System.nanoTime();
        String workingDir = spec.workingDir() == null ? null : spec.workingDir().toString();
        // No accepted exit values: every exit status is a result for the caller to classify. Without input, stdin is
        // closed, so a program that reads it ends instead of waiting.
        InputStream input = spec.input() == null ? null
                : new ByteArrayInputStream(spec.input().getBytes(StandardCharsets.UTF_8));
        ExecCommand command = new ExecCommand(spec.executable(), spec.arguments(), workingDir,
                spec.timeout().toMillis(), Set.of(), input, null, false, LoggingLevel.OFF);
        try {
            ExecResult result = executor.execute(command, spec.environment(), spec.stdoutFile());
            return new CommandResult(spec, result.getExitValue(), text(result.getStdout()), text(result.getStderr()),
                    false, since(started));
        } catch (ExecException e) {
            // A timeout, a program that could not be started, or (rarely) a failure of the executor itself.
            boolean timedOut = e.getCause() instanceof TimeoutException;
            String stderr = text(e.getStderr());
            if (!timedOut) {
                stderr = appendLine(stderr, e.getExitValue() == CommandResult.NOT_STARTED ? e.getMessage()
                        : "sweepd: " + e.getMessage());
            }
            return new CommandResult(spec, e.getExitValue(), text(e.getStdout()), stderr, timedOut, since(started));
        } catch (RuntimeException e) {
            // A bug of the executor, not the program's outcome: still a result, as the runner promises.
            return new CommandResult(spec, -1, "", "sweepd: " + e, false, since(started));
        }
    }

    private static String appendLine(String text, String line) {
        return text.isEmpty() || text.endsWith("\n") ? text + line + "\n" : text + "\n" + line + "\n";
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static String text(InputStream in) {
        if (in == null) {
            return "";
        }
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The streams are in-memory copies; reading them cannot fail.
            throw new IllegalStateException(e);
        }
    }
}
