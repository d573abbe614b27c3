package io.sweepd.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One external command: the program and its arguments as a list (each element reaches the program as exactly one
 * argument, nothing is parsed by a shell), a mandatory timeout, and an optional working directory.
 *
 * @param argv       program first, then its arguments; never empty
 * @param timeout    how long the command may run before it is killed; must be positive
 * @param workingDir where the command runs; {@code null} for the daemon's current directory
 */
public record CommandSpec(List<String> argv, Duration timeout, Path workingDir) {

    public CommandSpec {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(timeout, "timeout");
        argv = List.copyOf(argv); // also rejects null elements
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static CommandSpec of(Duration timeout, String... argv) {
        return new CommandSpec(List.of(argv), timeout, null);
    }

    public CommandSpec in(Path dir) {
        return new CommandSpec(argv, timeout, dir);
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
