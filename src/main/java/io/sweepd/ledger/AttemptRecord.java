package io.sweepd.ledger;

import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One sbatch of a job, as the audit trail tells it: the job row holds only the current attempt, and a retry must
 * not make the earlier attempt's failure disappear (README "Attempts"). Status, the report and {@code sweepd show}
 * all read this one record ({@link JobStore#attempts}).
 *
 * @param attempt             the job's attempt number (1 for the first sbatch)
 * @param jobName             the Slurm job name of this attempt ({@code sweepd-<job-key>-<run>-a<n>}), when the claim
 *                            named one
 * @param slurmJobId          Slurm's id for this attempt, null when sbatch never answered with one
 * @param state               how the attempt stands or ended (PENDING, RUNNING, FAILED, COMPLETED ...)
 * @param reason              why it ended so, as Slurm or sweepd's tracker said it (without triage's diagnosis)
 * @param nodes               the nodes it ran on (Slurm's host list), when known
 * @param exitCode            its exit code, when known
 * @param claimedAt           when sweepd claimed the job for this sbatch
 * @param submittedAt         when sbatch answered with the Slurm id (or Slurm's own submit time), or null
 * @param startedAt           when Slurm started it, or null
 * @param endedAt             when it ended, null while it goes on
 * @param diagnosis           triage's one-line verdict on a failed attempt, or null
 * @param category            triage's failure category, or null
 * @param suggestedWorkaround the workaround rule triage suggested for the failure, or null
 * @param retriedBecause      why the job was planned again after this attempt, null when it was not
 * @param addedWorkaround     the workaround rule the retry added to the job before the next attempt, or null
 * @param excludedNodes       the nodes the retry told the next attempt to avoid, or null
 */
public record AttemptRecord(String runId, String jobKey, int attempt, String jobName, String slurmJobId,
                            JobState state, String reason, String nodes, Integer exitCode, Instant claimedAt,
                            Instant submittedAt, Instant startedAt, Instant endedAt, String diagnosis,
                            String category, String suggestedWorkaround, String retriedBecause,
                            String addedWorkaround, String excludedNodes) {

    public AttemptRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(state, "state");
    }

    /** Ended without success: what a report's "failed attempts" counts. */
    public boolean failed() {
        return state.terminal() && !state.successful();
    }

    /** A retry followed it: its files were set aside, and a later attempt is (or will be) the job's current one. */
    public boolean retried() {
        return retriedBecause != null;
    }

    /** From submission (or the claim, when sbatch's answer has no time) to start; null until both are known. */
    public Duration queueWait() {
        return between(submittedAt != null ? submittedAt : claimedAt, startedAt);
    }

    /** From start to end; null until both are known. */
    public Duration runTime() {
        return between(startedAt, endedAt);
    }

    /**
     * Where this attempt's files are: the job directory itself for the current attempt, the folder a retry set them
     * aside to ({@link JobDirectory#earlierAttempt}) for an earlier one.
     */
    public Path evidence(JobDirectory dir) {
        return retried() ? dir.earlierAttempt(attempt) : dir.root();
    }

    private static Duration between(Instant from, Instant to) {
        // Slurm and the ledger stamp times on different clocks: a second of skew must not read as negative time.
        return from == null || to == null ? null : to.isBefore(from) ? Duration.ZERO : Duration.between(from, to);
    }
}
