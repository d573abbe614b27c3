package io.sweepd.ledger;

/** What an audit event records. */
public enum EventKind {
    /** A run and its plan were recorded. */
    RUN_RECORDED,
    /** A job changed state (including being created as PLANNED, or as COMPLETED when reused). */
    STATE,
    /**
     * A submit outcome arrived after the job had already moved on (reconciliation or a cancel won the race).
     * The Slurm job id it carried is kept here and, when the job had none, on the job itself.
     */
    LATE_REPORT,
    /** A second Slurm job id was reported for a job that already has one: a job was submitted twice. */
    DUPLICATE_SUBMISSION,
    /** A job's end was handled: results collected, or the failure triaged, archived and its retry decided. */
    SETTLED,
    /** Handling a job's end threw; it is tried again after a backoff. */
    SETTLE_FAILED,
    /** The run was marked finished. */
    RUN_FINISHED
}
