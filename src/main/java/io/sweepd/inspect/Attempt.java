package io.sweepd.inspect;

import io.sweepd.core.JobState;

import java.time.Duration;
import java.time.Instant;

/**
 * One sbatch of a job, as the ledger's audit trail tells it: a job that was retried has one per submission.
 *
 * @param number          1 for the first submission
 * @param jobName         the Slurm job name of this attempt ({@code sweepd-<job-key>-<run>-a<n>})
 * @param slurmJobId      null until sbatch answered (or when it refused)
 * @param state           how the attempt ended, or the job's state while it is the live attempt
 * @param nodes           Slurm's node list, when the end was recorded with one
 * @param reason          what sweepd recorded with the end (Slurm's reason, sweepd's verdict, the diagnosis)
 * @param category        triage's category of a failed attempt, or null
 * @param diagnosis       triage's diagnosis of a failed attempt, or null
 * @param suggestedRule   the workaround rule triage suggested, or null
 * @param retriedBecause  why the job was planned again after this attempt (null for the last one)
 * @param ruleAdded       the workaround rule the retry added to the job's configuration, or null
 * @param excludedNodes   nodes the next attempt was told to avoid, or null
 * @param evidence        where this attempt's files are: {@code attempts/attempt-<n>/} once set aside by a retry,
 *                        else the job directory itself
 */
public record Attempt(int number, String jobName, String slurmJobId, JobState state, String nodes, Integer exitCode,
                      Instant submitStartedAt, Instant submittedAt, Instant startedAt, Instant endedAt, String reason,
                      String category, String diagnosis, String suggestedRule, String retriedBecause,
                      String ruleAdded, String excludedNodes, String evidence) {

    /** From submission to start: how long Slurm kept it waiting; null until both are known. */
    public Duration queueWait() {
        return between(submittedAt != null ? submittedAt : submitStartedAt, startedAt);
    }

    /** From start to end; null until both are known. */
    public Duration runTime() {
        return between(startedAt, endedAt);
    }

    private static Duration between(Instant from, Instant to) {
        return from == null || to == null || to.isBefore(from) ? null : Duration.between(from, to);
    }
}
