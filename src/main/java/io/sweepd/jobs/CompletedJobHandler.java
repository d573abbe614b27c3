package io.sweepd.jobs;

import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.results.ConcurrencyResult;
import io.sweepd.results.JobResults;
import io.sweepd.results.JobResultsCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A completed job's results become rows in the ledger; a job whose results all fail the validity gate (or are
 * missing) is INVALID, not a success.
 */
public final class CompletedJobHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CompletedJobHandler.class);

    private final Ledger ledger;
    private final JobResultsCollector collector;

    public CompletedJobHandler(Ledger ledger, JobResultsCollector collector) {
        this.ledger = ledger;
        this.collector = collector;
    }

    /** Returns the job as the ledger has it afterwards. */
    public JobRecord collect(JobRecord job) {
        List<PointRecord> points = ledger.runs().points(job.runId()).stream()
                .filter(p -> p.jobKey().equals(job.jobKey()) && !p.refused()).toList();
        JobResults results = collector.collect(job, points);
        ledger.results().recordResults(job.runId(), job.jobKey(), results.toRecords());
        results.notes().forEach(note -> LOG.info("job {}: {}", job.jobKey(), note));
        if (results.nothingValid()) {
            String reason = "no valid benchmark result: " + results.results().stream()
                    .map(ConcurrencyResult::reason).filter(Objects::nonNull).distinct().limit(3)
                    .collect(Collectors.joining("; "));
            ledger.jobs().transition(job.runId(), job.jobKey(), JobState.COMPLETED, JobState.INVALID, reason, Map.of());
            LOG.warn("job {} of run {} is INVALID: {}", job.jobKey(), job.runId(), reason);
        } else {
            LOG.info("job {} of run {}: {} results recorded ({} invalid)", job.jobKey(), job.runId(),
                    results.completed(), results.invalid());
        }
        return ledger.jobs().job(job.runId(), job.jobKey()).orElseThrow();
    }
}
