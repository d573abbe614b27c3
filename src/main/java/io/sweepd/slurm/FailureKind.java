package io.sweepd.slurm;

/** Whether trying the same Slurm call again later can succeed. */
public enum FailureKind {
    /** Controller or database unreachable, a submit limit, a timeout: retry with backoff. */
    TRANSIENT,
    /** The request itself is wrong (bad partition, impossible resources, missing file): record it, don't retry. */
    PERMANENT
}
