package io.sweepd.jobs;

import io.sweepd.ledger.JobRecord;

import java.time.Instant;
import java.util.List;

/**
 * What one poll cycle saw: the jobs that ended in it (for settling), how many state changes it recorded in the
 * ledger, how many live jobs it watched, and the newest submission among them. The last three pace the next cycle
 * ({@link PollPacer}).
 *
 * @param latestSubmission when the most recently submitted live job went to sbatch; null when none is live
 */
public record PollCycle(List<JobRecord> ended, int changes, int live, Instant latestSubmission) {

    /** A cycle with no live job: one ledger query, no Slurm command. */
    public static final PollCycle NOTHING_LIVE = new PollCycle(List.of(), 0, 0, null);

    public PollCycle {
        ended = List.copyOf(ended);
    }
}
