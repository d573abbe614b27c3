package io.sweepd.app;

/**
 * A start-up check found something the daemon cannot run without. The message is the whole story for a person
 * (what is wrong, what to check), so the command line prints it alone, without a stack trace.
 */
public final class StartupCheckFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupCheckFailed(String message) {
        super(message);
    }
}
