package io.sweepd.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * What a command did. A non-zero exit is a result, not an exception: the caller classifies it.
 *
 * @param exitCode the process's exit status; {@link #NOT_STARTED} when the program could not be started
 *                 (missing executable, bad working directory), as a shell would report it
 * @param timedOut the command ran past its timeout and was killed; exitCode is then whatever the kill left
 */
public record CommandResult(CommandSpec spec, int exitCode, String stdout, String stderr, boolean timedOut,
        Duration took) {

    /** The exit status a shell reports for a command it cannot run. */
    public static final int NOT_STARTED = 127;

    public CommandResult {
        Objects.requireNonNull(spec, "spec");
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        Objects.requireNonNull(took, "took");
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** The first non-blank line of stderr, or of stdout when stderr is empty: what to show a person. */
    public String firstErrorLine() {
        String line = firstNonBlankLine(stderr);
        return line.isEmpty() ? firstNonBlankLine(stdout) : line;
    }

    private static String firstNonBlankLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }

    @Override
    public String toString() {
        return "CommandResult[" + spec.argv() + " exit=" + exitCode + (timedOut ? " TIMED OUT" : "") + " took="
                + took.toMillis() + "ms stderr=" + firstErrorLine() + "]";
    }
}
