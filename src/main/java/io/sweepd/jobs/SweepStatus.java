package io.sweepd.jobs;

import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What {@code sweepd status} shows: one row per point, with its job's state in Slurm and sweepd's reason. */
public final class SweepStatus {

    /**
     * @param sweep   the run id (a sweep name plus when it was planned)
     * @param state   the job's state, or REFUSED for a point preflight refused
     * @param elapsed seconds the job has run (until now, or until it ended); null before it started
     */
    public record Row(String sweep, String point, String jobKey, String slurmJobId, String state, String reason,
                      Long elapsedSeconds) {
    }

    private final Ledger ledger;
    private final Clock clock;

    public SweepStatus(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The run a name means: a run id as it is, a sweep name as that sweep's latest run. */
    public Optional<RunRecord> resolveRun(String sweepOrRun) {
        return ledger.runs().runNamed(sweepOrRun);
    }

    /** The latest run of every sweep, newest first. */
    public List<RunRecord> latestRuns() {
        return ledger.runs().runs().stream()
                .collect(Collectors.toMap(RunRecord::sweepName, r -> r,
                        (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b))
                .values().stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .toList();
    }

    public List<Row> rows(RunRecord run) {
        Map<String, JobRecord> jobs = ledger.jobs().jobs(run.runId()).stream()
                .collect(Collectors.toMap(JobRecord::jobKey, Function.identity()));
        Instant now = clock.instant();
        return ledger.runs().points(run.runId()).stream().map(point -> row(run, point, jobs.get(point.jobKey()), now))
                .toList();
    }

    private static Row row(RunRecord run, PointRecord point, JobRecord job, Instant now) {
        if (point.refused() || job == null) {
            return new Row(run.runId(), point.pointId(), point.jobKey(), null, "REFUSED", point.refusedReason(), null);
        }
        Long elapsed = job.startedAt() == null ? null
                : Duration.between(job.startedAt(), job.endedAt() != null ? job.endedAt() : now).toSeconds();
        String reason = job.reused() ? "completed by run " + job.reusedFromRun() + " (not submitted again)"
                : job.reason();
        return new Row(run.runId(), point.pointId(), job.jobKey(), job.slurmJobId(), job.state().name(), reason,
                elapsed);
    }
}
