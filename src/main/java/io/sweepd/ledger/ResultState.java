package io.sweepd.ledger;

/**
 * How one benchmarked concurrency of a completed job ended. A job Slurm reports as COMPLETED can still have
 * produced nothing usable, so each concurrency gets its own verdict.
 */
public enum ResultState {
    /** The result file was read, passed the validity gate, and its metrics are recorded. */
    COMPLETED,
    /** No usable result: missing or unreadable file, GPU counts that do not match the plan, or the gate said no. */
    INVALID
}
