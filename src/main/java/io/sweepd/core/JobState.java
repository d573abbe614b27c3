package io.sweepd.core;

/**
 * The small set of states sweepd tracks a job in. Slurm has two dozen job states; these are the ones a person
 * acts on differently. The first three are sweepd's own (before Slurm knows the job); DEADLINE and LOST are
 * sweepd's verdicts; INVALID is a completed job whose results failed the validity gate.
 */
public enum JobState {
    /** In the plan, not yet handed to sbatch. */
    PLANNED,
    /** The ledger row is written and sbatch is (or was, before a crash) running: reconcile by job name. */
    SUBMITTING,
    /** sbatch refused the job permanently; the reason holds Slurm's message. */
    SUBMIT_FAILED,
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    TIMEOUT,
    CANCELLED,
    NODE_FAIL,
    OUT_OF_MEMORY,
    PREEMPTED,
    REQUEUED,
    /** sweepd cancelled the job: no first log line, not healthy, or total time past the profile's deadlines. */
    DEADLINE,
    /** Slurm no longer knows the job and nothing (sacct, exit marker) says how it ended. */
    LOST,
    /** The job completed but its results failed the validity gate. */
    INVALID;

    /** Slurm may still change this job. */
    public boolean live() {
        return this == SUBMITTING || this == PENDING || this == RUNNING || this == REQUEUED;
    }

    public boolean terminal() {
        return !live() && this != PLANNED;
    }

    public boolean successful() {
        return this == COMPLETED;
    }
}
