package io.sweepd.report;

import java.util.Locale;
import java.util.Set;

/**
 * The few buckets the report sorts point states into. The ledger knows many states (Slurm's and sweepd's
 * own); the reader wants to know: did it produce trustworthy numbers, did the validity gate reject them,
 * did it die, was it refused before submission, or is it still on its way.
 */
public enum Outcome {
    COMPLETED, INVALID, FAILED, REFUSED, PENDING;

    /** States of a point that has not finished yet: neither success nor failure. */
    private static final Set<String> IN_PROGRESS = Set.of(
            "PLANNED", "PENDING", "QUEUED", "SUBMITTING", "SUBMITTED", "CONFIGURING", "RUNNING", "COMPLETING",
            "COLLECTING", "REQUEUED", "RESIZING", "SUSPENDED");

    /** Anything else that is not a success or a refusal (TIMEOUT, DEADLINE, CANCELLED, OOM, NODE_FAIL...) failed. */
    public static Outcome of(String state) {
        String s = state == null ? "" : state.strip().toUpperCase(Locale.ROOT);
        if (s.equals("COMPLETED")) {
            return COMPLETED;
        }
        if (s.equals("INVALID")) {
            return INVALID;
        }
        if (s.equals("REFUSED")) {
            return REFUSED;
        }
        if (s.isEmpty() || IN_PROGRESS.contains(s)) {
            return PENDING;
        }
        return FAILED;
    }

    /** Ended without usable numbers: the points the "problems" section and the baseline's "newly failed" list. */
    public boolean unsuccessful() {
        return this == INVALID || this == FAILED || this == REFUSED;
    }
}
