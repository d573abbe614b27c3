package io.sweepd.app;

/**
 * A start-up check found something the daemon cannot run without. The message is the whole story for a person
 * (what is wrong, what to check), so the command line prints it alone, without a stack trace.
 */
public final class StartupCheckFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean slurm;

    public StartupCheckFailed(String message) {
        this(message, false);
    }

    /** @param slurm the check that failed is Slurm's (so the command line can say "Slurm unavailable") */
    public StartupCheckFailed(String message, boolean slurm) {
        super(message);
        this.slurm = slurm;
    }

    /** Slurm's commands, its configuration or its controller failed the check (not the home or the ledger). */
    public boolean slurm() {
        return slurm;
    }
}
