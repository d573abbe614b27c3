package io.sweepd.core;

/**
 * A point's own status. A point is not a Slurm job (several points may share one), so it does not use
 * {@link io.sweepd.core.JobState}: an accepted point follows its job, a refused point never gets one.
 */
public enum PointState {
    /** Accepted by preflight; its job carries the Slurm state. */
    PLANNED,
    /** Refused before submission; {@link PointRecord#refusedReason()} says why. */
    REFUSED
}
