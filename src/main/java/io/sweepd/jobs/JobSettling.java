package io.sweepd.jobs;

import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The bookkeeping around handling a job's end. The poll step records that a job ended; handling the end (collect
 * or triage, archive, retry decision, report) is a separate step, on its own thread (routes/job-settle.camel.yaml),
 * that may crash or throw, so it is recorded too: every settling handles the ended jobs not yet settled, which
 * includes the ones the last poll cycle recorded, those a crashed daemon left behind, and those whose handling threw
 * (after a backoff). Each step of the handling is safe to
 * repeat, and settling is compare-and-set on the ended attempt, so an end is settled exactly once.
 */
public final class JobSettling {

    private static final Logger LOG = LoggerFactory.getLogger(JobSettling.class);

    /** The longest wait between two attempts at handling the same end. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

    private final JobStore jobs;
    private final Clock clock;
    private final Duration firstBackoff;

    /** @param firstBackoff the wait after handling first threw; doubled per failure up to {@link #MAX_BACKOFF} */
    public JobSettling(JobStore jobs, Clock clock, Duration firstBackoff) {
        this.jobs = jobs;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
    }

    /** The ended jobs whose end still needs handling now (not waiting out a backoff), oldest first. */
    public List<JobRecord> due() {
        return jobs.unsettled();
    }

    /**
     * The job's end is handled. {@code ended} is the job as it was when its handling began: the attempt it names is
     * the one settled, even if the handling has since planned a retry.
     */
    public void settled(JobRecord ended) {
        JobRecord now = jobs.job(ended.runId(), ended.jobKey()).orElseThrow();
        String summary = now.state() == ended.state() ? "handled " + ended.state()
                : "handled " + ended.state() + "; now " + now.state();
        jobs.settled(ended.runId(), ended.jobKey(), ended.attempt(), summary);
    }

    /**
     * Handling the job's end threw: logged with the job's ids and the stack trace, recorded, and tried again on a
     * later settling after a backoff that doubles with each failure. Never given up: an end that is never handled
     * would leave its run unfinished, and the status shows the error meanwhile.
     */
    public void failed(JobRecord ended, Throwable error) {
        int failures = ended.settleAttempts() + 1;
        Duration backoff = backoff(failures);
        Instant retryAt = clock.instant().plus(backoff);
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.warn("run {} job {} (Slurm {}): handling its {} end failed ({} time(s)); trying again in {} s: {}",
                ended.runId(), ended.jobKey(), ended.slurmJobId(), ended.state(), failures, backoff.toSeconds(),
                message, error);
        jobs.settleFailed(ended.runId(), ended.jobKey(), ended.attempt(), message, retryAt);
    }

    Duration backoff(int failures) {
        Duration delay = firstBackoff.multipliedBy(1L << Math.min(failures - 1, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
