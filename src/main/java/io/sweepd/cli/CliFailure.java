package io.sweepd.cli;

/**
 * Ends a command with one line on stderr and the given exit status ({@link ExitCodes}), without a stack trace: the
 * message is the whole story for a person (what is wrong, which file or name).
 */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
