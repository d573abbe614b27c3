package io.sweepd.ledger;

/** Whether a run being recorded takes over the jobs an earlier run of the same sweep completed. */
public enum JobReuse {
    /**
     * A job key an earlier run completed is recorded COMPLETED, pointing at that run, and not submitted again:
     * re-dropping a sweep finishes what is missing.
     */
    REUSE_COMPLETED,
    /** Every job is planned and submitted: a scheduled re-run measures again, whatever ran before. */
    FRESH
}
