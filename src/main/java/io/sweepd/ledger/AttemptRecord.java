package io.sweepd.ledger;

import io.sweepd.core.JobState;

import java.time.Instant;
import java.util.Objects;

/**
 * One sbatch of a job, as the audit trail tells it: the job row holds only the current attempt, and a retry must
 * not make the earlier attempt's failure disappear (README "Attempts").
 *
 * @param attempt         the job's attempt number (1 for the first sbatch)
 * @param slurmJobId      Slurm's id for this attempt, null when sbatch never answered with one
 * @param state           how the attempt stands or ended (PENDING, RUNNING, FAILED, COMPLETED ...)
 * @param reason          why it ended so, as Slurm or sweepd's tracker said it (without triage's diagnosis)
 * @param nodes           the nodes it ran on (Slurm's host list), when known
 * @param endedAt         when it ended, null while it goes on
 * @param exitCode        its exit code, when known
 * @param diagnosis       triage's one-line verdict on a failed attempt, or null
 * @param category        triage's failure category, or null
 * @param retriedBecause  why the job was planned again after this attempt, null when it was not
 * @param addedWorkaround the workaround rule the retry added to the job before the next attempt, or null
 */
public record AttemptRecord(String runId, String jobKey, int attempt, String slurmJobId, JobState state,
                            String reason, String nodes, Instant endedAt, Integer exitCode, String diagnosis,
                            String category, String retriedBecause, String addedWorkaround) {

    public AttemptRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(state, "state");
    }

    /** Ended without success: what a report's "failed attempts" counts. */
    public boolean failed() {
        return state.terminal() && !state.successful();
    }
}
