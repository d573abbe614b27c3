package io.sweepd.jobs;

/**
 * Where a job is in its life, finer than its state: a RUNNING job may still be loading its model or already
 * benchmarking, and only its logs say which. What the status page and its JSON show next to the state.
 */
public enum JobPhase {
    /** PLANNED: not yet handed to sbatch (the submit timer, or a submit limit, holds it). */
    WAITING_TO_SUBMIT("waiting to submit"),
    /** SUBMITTING: sbatch is running (or was, before a crash: reconciliation finds it by name). */
    SUBMITTING("submitting"),
    /** PENDING or REQUEUED: in Slurm's queue; the reason says why it waits. */
    QUEUED("queued"),
    /** RUNNING, and the workload has written nothing yet: the allocation is up, the container coming up. */
    STARTING("starting"),
    /** RUNNING, the workload logs, no server has said it is ready yet (the model is loading). */
    SERVER_STARTING("server starting"),
    /** RUNNING, a server said it is ready: the benchmark client (and lm-eval) run against it. */
    BENCHMARKING("server healthy, benchmarking"),
    /** RUNNING in Slurm, but the job script already wrote its exit code: Slurm's epilog and accounting. */
    FINISHING("finishing"),
    /** COMPLETED in Slurm, its results not yet in the ledger: collect parses them and applies the validity gate. */
    COLLECTING("collecting results"),
    /** Nothing more will happen to the job (it may still be retried as a new attempt). */
    SETTLED("settled");

    private final String label;

    JobPhase(String label) {
        this.label = label;
    }

    /** Words for people: "server healthy, benchmarking". */
    public String label() {
        return label;
    }
}
