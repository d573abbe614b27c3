package io.sweepd.slurm;

/**
 * Slurm's job states, as few as lead to different handling: Slurm's two dozen base states and printed flags
 * reduce to these in one table ({@link SlurmStates}). This is the Slurm client's own vocabulary; what sweepd
 * makes of a state (its {@code core.JobState}) is decided by the caller, so no other package depends on Slurm's
 * names.
 */
public enum SlurmState {
    PENDING,
    /** Requeued (by an admin, a node failure or preemption): back to pending under the same job id. */
    REQUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    TIMEOUT,
    CANCELLED,
    NODE_FAIL,
    OUT_OF_MEMORY,
    PREEMPTED,
    /** A state this table does not know (a newer Slurm); not an outcome, so callers keep asking. */
    UNKNOWN;

    /** Slurm has decided how the job ended and will not change it. */
    public boolean ended() {
        return switch (this) {
            case COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED -> true;
            case PENDING, REQUEUED, RUNNING, UNKNOWN -> false;
        };
    }

    /** The job's script has been started (so a start time is a real one, not an expected one). */
    public boolean started() {
        return this != PENDING && this != REQUEUED;
    }
}
