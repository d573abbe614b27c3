package io.sweepd.exec;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecDefaultExecutor;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * Runs commands with camel-exec's executor used as a plain library (no route, no CamelContext).
 *
 * <p>Two gaps in camel-exec are closed here. It starts processes with {@code execute(CommandLine)}, which
 * inherits the JVM's environment and offers no way to add to it, so the executor it builds is replaced by one
 * that calls {@code execute(CommandLine, Map)} with the JVM's environment plus the overlay (SLURM_CONF...). And
 * its executor is a local variable, so the watchdog that tells a timeout from an ordinary exit is kept here.
 * camel-exec already adds arguments with {@code addArgument(arg, false)} (no quoting added, no splitting), which
 * is what keeps an argument with spaces or quotes one verbatim argument; {@code CamelExecLauncherTest} pins that.
 */
final class CamelExecLauncher implements ProcessLauncher {

    /**
     * How long to wait for the output pumps after the process ended. A grandchild that inherited stdout (a
     * program that forks and exits) would otherwise hold the pipe open and make the call outlive its timeout.
     */
    private static final Duration PUMP_STOP_TIMEOUT = Duration.ofMillis(500);

    private final Map<String, String> environment;

    CamelExecLauncher(Map<String, String> environmentOverlay) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(environmentOverlay);
        this.environment = Map.copyOf(merged);
    }

    @Override
    public CommandResult launch(CommandSpec spec) {
        long started = System.nanoTime();
        String workingDir = spec.workingDir() == null ? null : spec.workingDir().toString();
        ExecCommand command = new ExecCommand(spec.executable(), spec.arguments(), workingDir,
                spec.timeout().toMillis(), Set.of(), null, null, false, LoggingLevel.OFF);
        // One executor per call: it remembers this call's watchdog.
        EnvironmentCommandExecutor executor = new EnvironmentCommandExecutor(environment);
        try {
            ExecResult result = executor.execute(command);
            return new CommandResult(spec, result.getExitValue(), text(result.getStdout()), text(result.getStderr()),
                    executor.timedOut(), since(started));
        } catch (ExecException e) {
            // Thrown when the program could not be started (no such file, bad working directory) or a pump
            // did not stop in time; non-zero exits never get here because exit values are not checked.
            String stderr = text(e.getStderr());
            boolean timedOut = executor.timedOut();
            int exit = executor.exitValue().orElse(e.getExitValue());
            if (!executor.started()) {
                exit = CommandResult.NOT_STARTED;
                stderr = appendLine(stderr, describe(e));
            } else if (!timedOut) {
                stderr = appendLine(stderr, "sweepd: " + describe(e));
            }
            return new CommandResult(spec, exit, text(e.getStdout()), stderr, timedOut, since(started));
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
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

    /** camel-exec's command executor, with an executor that passes the environment and keeps its watchdog. */
    private static final class EnvironmentCommandExecutor extends DefaultExecCommandExecutor {

        private final Map<String, String> environment;
        private EnvironmentExecutor executor;

        EnvironmentCommandExecutor(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
            executor = new EnvironmentExecutor(environment);
            executor.setExitValues(null); // every exit status is a result, never an ExecuteException
            if (command.getWorkingDir() != null) {
                executor.setWorkingDirectory(new File(command.getWorkingDir()).getAbsoluteFile());
            }
            executor.setWatchdog(new ExecuteWatchdog(command.getTimeout()));
            executor.setProcessDestroyer(new ShutdownHookProcessDestroyer());
            return executor;
        }

        boolean timedOut() {
            return executor != null && executor.getWatchdog() != null && executor.getWatchdog().killedProcess();
        }

        boolean started() {
            return executor != null && executor.process != null;
        }

        /** The real exit status when the process ended but commons-exec gave up on it (a pump did not stop). */
        OptionalInt exitValue() {
            if (!started()) {
                return OptionalInt.empty();
            }
            try {
                return OptionalInt.of(executor.process.exitValue());
            } catch (IllegalThreadStateException stillRunning) {
                return OptionalInt.empty();
            }
        }
    }

    private static final class EnvironmentExecutor extends ExecDefaultExecutor {

        private final Map<String, String> environment;
        private volatile Process process;

        EnvironmentExecutor(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public int execute(CommandLine command) throws IOException {
            return super.execute(command, environment);
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir)
                throws IOException {
            // commons-exec 1.6 launches through this Path variant; camel's own capture overrides the File one.
            process = super.launch(command, env, dir);
            return process;
        }

        @Override
        public void setStreamHandler(ExecuteStreamHandler handler) {
            if (handler instanceof PumpStreamHandler pumps) {
                pumps.setStopTimeout(PUMP_STOP_TIMEOUT);
            }
            super.setStreamHandler(handler);
        }
    }
}
