package io.sweepd.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-exec's extension point ({@link ExecCommandExecutor}, what the {@code exec:} endpoint's
 * {@code commandExecutor} option takes) implemented on commons-exec's public API, so that sweepd depends on
 * camel-exec's documented values ({@link ExecCommand}, {@link ExecResult}, {@link ExecException}) and not on its
 * internals. camel-exec's own executor lacks three things sweepd needs, and offers them only to subclasses:
 * <ul>
 * <li>an environment: it starts programs with the JVM's environment only, and sweepd must add SLURM_CONF (the
 * overlay is added to the JVM's environment here, and wins where both name a variable);</li>
 * <li>telling a timeout from an ordinary exit: a killed program's 143 looks like any exit status, so a timeout
 * is thrown as an {@link ExecException} whose cause is a {@link TimeoutException} (carrying the output so far and
 * the exit status the kill left);</li>
 * <li>a bounded wait for output: a grandchild that inherited stdout (a program that forks and exits) keeps the
 * pipe open, and commons-exec would wait for it without end, making the call outlive its timeout. The pumps get
 * {@link #PUMP_STOP_TIMEOUT} after the program ended; past that they are abandoned and the program's own exit
 * status still comes back (commons-exec would replace it with an exception).</li>
 * </ul>
 * A program that cannot be started (no such file, no such working directory) is an {@link ExecException} with exit
 * value {@link CommandResult#NOT_STARTED}, as a shell reports it. Otherwise camel-exec's contract holds: an exit
 * status outside {@link ExecCommand#getExitValues()} (when not empty) is an {@link ExecException}; every argument
 * is added with {@code addArgument(arg, false)} (no quoting added, no splitting), so an argument with spaces or
 * quotes reaches the program as one verbatim argument; {@link ExecCommand#getInput()} is fed to stdin, which is
 * closed when there is none. Thread-safe: every call builds its own commons-exec executor.
 */
public final class CommonsExecCommandExecutor implements ExecCommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(CommonsExecCommandExecutor.class);

    /** How long to wait for the output pumps after the program ended (see the class comment). */
    static final Duration PUMP_STOP_TIMEOUT = Duration.ofMillis(500);

    private final Map<String, String> environment;

    /**
     * @param environmentOverlay variables set for every program on top of the JVM's own environment (e.g.
     *                           SLURM_CONF); the overlay wins where both define a name
     */
    public CommonsExecCommandExecutor(Map<String, String> environmentOverlay) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(environmentOverlay);
        this.environment = Map.copyOf(merged);
    }

    @Override
    public ExecResult execute(ExecCommand command) throws ExecException {
        return execute(command, Map.of());
    }

    /**
     * As {@link #execute(ExecCommand)}, with variables added for this program only (camel-exec's command has no
     * environment of its own); they win over the overlay and the JVM's environment.
     */
    public ExecResult execute(ExecCommand command, Map<String, String> moreEnvironment) throws ExecException {
        return execute(command, moreEnvironment, null);
    }

    /**
     * As {@link #execute(ExecCommand, Map)}, with the program's stdout written to {@code stdoutFile} (created or
     * truncated) as it comes, instead of kept in memory: the result's stdout is then empty. {@code null}: in memory.
     */
    public ExecResult execute(ExecCommand command, Map<String, String> moreEnvironment, Path stdoutFile)
            throws ExecException {
        Map<String, String> environment = this.environment;
        if (!moreEnvironment.isEmpty()) {
            environment = new HashMap<>(this.environment);
            environment.putAll(moreEnvironment);
        }
        CommandLine commandLine = new CommandLine(command.getExecutable());
        for (String argument : command.getArgs()) {
            commandLine.addArgument(argument, false);
        }
        OutputStream out;
        try {
            out = stdoutFile == null ? new ByteArrayOutputStream() : Files.newOutputStream(stdoutFile);
        } catch (IOException e) {
            throw new ExecException("cannot run " + command.getExecutable() + ": cannot write its output to "
                    + stdoutFile + ": " + describe(e), null, null, CommandResult.NOT_STARTED, e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BoundedPumps pumps = new BoundedPumps(out, err, command.getInput());
        DefaultExecutor.Builder<?> builder = DefaultExecutor.builder().setExecuteStreamHandler(pumps);
        if (command.getWorkingDir() != null) {
            builder.setWorkingDirectory(Path.of(command.getWorkingDir()).toAbsolutePath());
        }
        DefaultExecutor executor = builder.get();
        executor.setExitValues(command.getExitValues().isEmpty() ? null
                : command.getExitValues().stream().mapToInt(Integer::intValue).toArray());
        // The timeout and the kill at shutdown, from threads shared by all calls (see ProcessGuard): no watchdog.
        ProcessGuard guard = new ProcessGuard(timeout(command), command.getExecutable());
        executor.setProcessDestroyer(guard);
        try {
            int exit = executor.execute(commandLine, environment);
            if (guard.timedOut()) {
                throw timedOut(command, out, err, exit);
            }
            return new ExecResult(command, stream(out), stream(err), exit);
        } catch (IOException e) {
            // commons-exec's ExecuteException (an exit status outside the accepted ones) is an IOException too;
            // any other failure of a started program has no exit status to report.
            int exit = e instanceof ExecuteException ee ? ee.getExitValue() : -1;
            if (guard.timedOut()) {
                throw timedOut(command, out, err, exit);
            }
            if (!pumps.started()) {
                throw new ExecException("cannot run " + command.getExecutable() + ": " + describe(e), stream(out),
                        stream(err), CommandResult.NOT_STARTED, e);
            }
            throw new ExecException(command.getExecutable() + " failed: " + describe(e), stream(out), stream(err),
                    exit, e);
        } finally {
            closeQuietly(command.getInput());
            if (stdoutFile != null) {
                closeQuietly(out);
            }
        }
    }

    private static ExecException timedOut(ExecCommand command, OutputStream out,
            ByteArrayOutputStream err, int exit) {
        String message = command.getExecutable() + " ran past its timeout of " + command.getTimeout()
                + " ms and was killed";
        return new ExecException(message, stream(out), stream(err), exit, new TimeoutException(message));
    }

    /** camel-exec's "no timeout" is Long.MAX_VALUE (or not positive): null, no limit. */
    private static Duration timeout(ExecCommand command) {
        long millis = command.getTimeout();
        return millis <= 0 || millis == Long.MAX_VALUE ? null : Duration.ofMillis(millis);
    }

    /** What was captured in memory; nothing for output that went to a file. */
    private static InputStream stream(OutputStream captured) {
        return new ByteArrayInputStream(captured instanceof ByteArrayOutputStream bytes ? bytes.toByteArray()
                : new byte[0]);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void closeQuietly(java.io.Closeable stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("closing a command's input or output failed", e);
        }
    }

    /**
     * commons-exec's pumps, with a bounded stop that never throws: a pump still held open after
     * {@link #PUMP_STOP_TIMEOUT} is abandoned (the output it has read is kept) instead of failing the call. Also
     * tells whether the program started: commons-exec hands the streams over only once it has.
     */
    private static final class BoundedPumps implements ExecuteStreamHandler {

        private final PumpStreamHandler pumps;
        private volatile boolean started;

        BoundedPumps(OutputStream out, OutputStream err, InputStream input) {
            this.pumps = new PumpStreamHandler(out, err, input);
            this.pumps.setStopTimeout(PUMP_STOP_TIMEOUT);
        }

        boolean started() {
            return started;
        }

        @Override
        public void setProcessInputStream(OutputStream stdin) throws IOException {
            started = true;
            pumps.setProcessInputStream(stdin);
        }

        @Override
        public void setProcessErrorStream(InputStream stderr) throws IOException {
            started = true;
            pumps.setProcessErrorStream(stderr);
        }

        @Override
        public void setProcessOutputStream(InputStream stdout) throws IOException {
            started = true;
            pumps.setProcessOutputStream(stdout);
        }

        @Override
        public void start() {
            pumps.start();
        }

        @Override
        public void stop() {
            try {
                pumps.stop();
            } catch (IOException e) {
                LOG.warn("a command's output was still held open {} ms after it exited (a background child?); "
                        + "stopped reading it: {}", PUMP_STOP_TIMEOUT.toMillis(), describe(e));
            }
        }
    }
}
