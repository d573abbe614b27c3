package io.sweepd.ledger;

/** Where a sweep run stands. Stored by name, so adding a state needs no migration. */
public enum RunState {
    /** Recorded; some of its jobs may still be planned, submitting or in Slurm. */
    ACTIVE,
    /** Every job reached a terminal state and the run's report was written. */
    FINISHED
}
