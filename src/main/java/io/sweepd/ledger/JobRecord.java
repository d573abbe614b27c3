package io.sweepd.ledger;

import io.sweepd.core.JobState;

import java.time.Instant;
import java.util.Objects;

/**
 * One Slurm allocation as the ledger knows it. The fields from {@code state} on belong to the ledger: it sets
 * them as the job moves, and ignores them in the records handed to {@link RunStore#recordRun}.
 *
 * @param jobKey          stable hash of the enriched server configuration (see io.sweepd.plan.JobGrouping)
 * @param jobDir          {@code outputs/<run-id>/<job-key>/}; for a reused job, the earlier run's directory,
 *                        which holds the results
 * @param reason          why the job is in its state: Slurm's message, sweepd's verdict, or null
 * @param slurmJobId      the current attempt's Slurm job id, null until sbatch answered
 * @param jobName         the Slurm job name of the current attempt (it carries the job key)
 * @param attempt         how many times sbatch was (or is being) run for this job
 * @param reusedFromRun   the earlier run that completed this job key, when this run did not submit it again
 * @param exitCode        the job's exit code once known
 * @param deadlineFirstLogS seconds allowed until the first log line (null: no deadline)
 * @param settledAt       when sweepd finished handling the job's current end (collected, or triaged and archived
 *                        with its retry decided); null while it is live or its end still needs handling
 * @param settleAttempts  attempts at handling the current end that threw (they back off)
 * @param settleAfter     the next attempt waits until then; null: at once
 * @param settleError     what the last failed attempt threw
 */
public record JobRecord(
        String runId,
        String jobKey,
        String profile,
        String jobDir,
        Integer deadlineFirstLogS,
        Integer deadlineHealthyS,
        Integer deadlineTotalS,
        JobState state,
        String reason,
        String slurmJobId,
        String jobName,
        int attempt,
        String reusedFromRun,
        Instant createdAt,
        Instant submitStartedAt,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        Integer exitCode,
        Instant updatedAt,
        Instant settledAt,
        int settleAttempts,
        Instant settleAfter,
        String settleError) {

    public JobRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(state, "state");
    }

    /** A job about to be recorded with its run. */
    public static JobRecord planned(String runId, String jobKey, String profile, String jobDir,
                                    Integer deadlineFirstLogS, Integer deadlineHealthyS, Integer deadlineTotalS) {
        return new JobRecord(runId, jobKey, profile, jobDir, deadlineFirstLogS, deadlineHealthyS, deadlineTotalS,
                JobState.PLANNED, null, null, null, 0, null, null, null, null, null, null, null, null, null, 0, null,
                null);
    }

    /**
     * Nothing is left to do for this job in this run: its end was handled, or it was never sweepd's to handle (an
     * earlier run completed it).
     */
    public boolean settled() {
        return state.terminal() && (settledAt != null || reused());
    }

    /** This run did not submit the job because an earlier run of the same sweep completed it. */
    public boolean reused() {
        return reusedFromRun != null;
    }
}
