package io.sweepd.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * Keys of the details map given to {@link JobStore#transition}. The first five also update the job's own columns;
 * every key, these and any other (Slurm's reason, node list, ...), is kept with the event in the audit trail.
 */
public final class JobDetails {

    /** The Slurm job id, when the change is how sweepd learned it (reconciliation found the job by name). */
    public static final String SLURM_JOB_ID = "slurmJobId";
    /** An {@link Instant}; defaults to now when a Slurm job id is given and the job has no submit time. */
    public static final String SUBMITTED_AT = "submittedAt";
    /** An {@link Instant}: when Slurm started the job. */
    public static final String STARTED_AT = "startedAt";
    /** An {@link Instant}: when the job ended. */
    public static final String ENDED_AT = "endedAt";
    /** A whole number: the job's exit code. */
    public static final String EXIT_CODE = "exitCode";

    /**
     * Of a retry (a terminal state back to PLANNED): the workaround rule the retry added to the job, so the job's
     * attempts ({@link JobStore#attempts}) and the report say which rule the next attempt ran with.
     */
    public static final String ADDED_WORKAROUND = "addedWorkaround";
    /** Of a retry: the nodes (a Slurm host list) the next attempt is told to avoid. */
    public static final String EXCLUDED_NODES = "excludeNodes";

    private JobDetails() {
    }

    static Instant instant(Map<String, Object> details, String key) {
        Object value = details.get(key);
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        throw new IllegalArgumentException("detail " + key + " must be an Instant, got " + value.getClass().getName());
    }

    static Integer integer(Map<String, Object> details, String key) {
        Object value = details.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Math.toIntExact(((Number) value).longValue());
        }
        throw new IllegalArgumentException("detail " + key + " must be a whole number, got " + value);
    }

    static String text(Map<String, Object> details, String key) {
        Object value = details.get(key);
        return value == null ? null : value.toString();
    }
}
