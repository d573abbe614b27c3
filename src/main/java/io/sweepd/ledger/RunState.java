package io.sweepd.ledger;

/** Where a sweep run stands. Stored by name, so adding a state needs no migration. */
public enum RunState {
    /** Recorded; some of its jobs may still be planned, submitting or in Slurm. */
    ACTIVE,
    /** Every job ended and its end was handled (settled), and then the run's final report was written. */
    FINISHED
}
