package io.sweepd.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One external command: the program and its arguments as a list (each element reaches the program as exactly one
 * argument, nothing is parsed by a shell), a mandatory timeout, an optional working directory, and optionally
 * variables added to its environment and text for its stdin (values handed over as data, never parsed either).
 *
 * @param argv        program first, then its arguments; never empty
 * @param timeout     how long the command may run before it is killed; must be positive
 * @param workingDir  where the command runs; {@code null} for the daemon's current directory
 * @param environment variables set for this command only, on top of the runner's environment (and winning over it)
 * @param input       written to the program's stdin (UTF-8), which is then closed; {@code null}: stdin is closed
 * @param stdoutFile  where the program's stdout goes, written as it comes instead of kept in memory (the result's
 *                    stdout is then empty); {@code null}: captured in memory. For answers whose size the caller does
 *                    not bound: squeue's JSON of a whole cluster is 3-4 kB a job
 */
public record CommandSpec(List<String> argv, Duration timeout, Path workingDir, Map<String, String> environment,
                          String input, Path stdoutFile) {

    public CommandSpec {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(timeout, "timeout");
        argv = List.copyOf(argv); // also rejects null elements
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public CommandSpec(List<String> argv, Duration timeout, Path workingDir) {
        this(argv, timeout, workingDir, Map.of(), null, null);
    }

    public static CommandSpec of(Duration timeout, String... argv) {
        return new CommandSpec(List.of(argv), timeout, null);
    }

    public CommandSpec in(Path dir) {
        return new CommandSpec(argv, timeout, dir, environment, input, stdoutFile);
    }

    /** This command with these variables added to its environment. */
    public CommandSpec withEnvironment(Map<String, String> variables) {
        return new CommandSpec(argv, timeout, workingDir, variables, input, stdoutFile);
    }

    /** This command with this text on its stdin. */
    public CommandSpec withInput(String text) {
        return new CommandSpec(argv, timeout, workingDir, environment, text, stdoutFile);
    }

    /** This command with its stdout written to a file (created or truncated) instead of kept in memory. */
    public CommandSpec withStdoutTo(Path file) {
        return new CommandSpec(argv, timeout, workingDir, environment, input, file);
    }

    /** The program as given (a name looked up on PATH, or a path). */
    public String executable() {
        return argv.get(0);
    }

    /** The program's file name, so that {@code squeue} and {@code /usr/bin/squeue} count as the same. */
    public String executableName() {
        return Path.of(argv.get(0)).getFileName().toString();
    }

    public List<String> arguments() {
        return argv.subList(1, argv.size());
    }
}
