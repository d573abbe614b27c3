package io.sweepd.jobs;

import io.sweepd.core.JobState;
import io.sweepd.core.SweepCounts;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code sweepd status}, {@code sweepd wait} and the status page show: one summary per run (its jobs counted
 * by state), and on request one row per point, with its job's state in Slurm and sweepd's reason.
 */
public final class SweepStatus {

    /**
     * One run at a glance.
     *
     * @param jobsByState   how many of the run's jobs are in each state (only states that occur, in
     *                      {@link JobState} order)
     * @param counts        configurations, jobs and points as plan and report count them (README "Glossary")
     * @param waitingForSlot PLANNED jobs held back by their profile's limits (queued jobs, submissions per minute)
     */
    public record RunSummary(RunRecord run, Map<JobState, Integer> jobsByState, SweepCounts counts,
                             int waitingForSlot) {

        public RunSummary {
            Map<JobState, Integer> copy = new EnumMap<>(JobState.class); // JobState order, whatever map came in
            copy.putAll(jobsByState);
            jobsByState = Collections.unmodifiableMap(copy);
        }

        /** The run's jobs (refused configurations have none). */
        public int jobs() {
            return jobsByState.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Jobs in a terminal state. */
        public int endedJobs() {
            return jobsByState.entrySet().stream().filter(e -> e.getKey().terminal())
                    .mapToInt(Map.Entry::getValue).sum();
        }

        /** Ended jobs over all jobs, 1.0 for a run with no job (every point refused). */
        public double progress() {
            int jobs = jobs();
            return jobs == 0 ? 1.0 : (double) endedJobs() / jobs;
        }

        public int count(JobState state) {
            return jobsByState.getOrDefault(state, 0);
        }

        /** Points (benchmarked concurrencies), refused ones included. */
        public int points() {
            return counts.points();
        }

        /** Points refused before submission. */
        public int refusedPoints() {
            return counts.refusedPoints();
        }
    }

    /**
     * One point record of the ledger (a matrix entry: one point, or a multinode entry's several concurrencies).
     *
     * @param sweep    the run id (a sweep name plus when it was planned)
     * @param state    the job's state, or REFUSED for a point preflight refused
     * @param elapsed  seconds the job has run (until now, or until it ended); null before it started
     * @param attempts every sbatch of the point's job, oldest first; a failed one stays with its diagnosis after a
     *                 retry (empty before the first sbatch, for a refused point or a job an earlier run completed)
     */
    public record Row(String sweep, String point, String jobKey, String slurmJobId, String state, String reason,
                      Long elapsedSeconds, List<AttemptRecord> attempts) {

        public Row {
            attempts = attempts == null ? List.of() : List.copyOf(attempts);
        }

        /** A row whose job has no attempt yet. */
        public Row(String sweep, String point, String jobKey, String slurmJobId, String state, String reason,
                   Long elapsedSeconds) {
            this(sweep, point, jobKey, slurmJobId, state, reason, elapsedSeconds, List.of());
        }
    }

    /**
     * One job of a run, for the status page and its JSON API.
     *
     * @param phase          where the job is in its life ({@link JobPhases})
     * @param phaseLabel     the phase in words, with the queue's reason for a queued job
     * @param elapsedSeconds seconds the job has run (until now, or until it ended); null before it started
     * @param points         the matrix points the job runs
     * @param jobDir         its job directory (for a reused job, the earlier run's)
     */
    public record JobRow(String jobKey, String slurmJobId, JobState state, JobPhase phase, String phaseLabel,
                         String reason, Long elapsedSeconds, int attempt, List<String> points, String jobDir) {

        public JobRow {
            points = List.copyOf(points);
        }
    }

    private final Ledger ledger;
    private final Clock clock;

    public SweepStatus(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The run a name means: a run id as it is, a sweep name as that sweep's latest run. */
    public Optional<RunRecord> resolveRun(String sweepOrRun) {
        // Never the plan: status shows none of it, and a large sweep's is tens of megabytes.
        return ledger.runs().runNamedWithoutPlan(sweepOrRun);
    }

    /** The latest run of every sweep, newest first. */
    public List<RunRecord> latestRuns() {
        return ledger.runs().runsNewestFirstWithoutPlan(0).stream()
                .collect(Collectors.toMap(RunRecord::sweepName, r -> r,
                        (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b))
                .values().stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .toList();
    }

    /** Every run, newest first, as summaries. */
    public List<RunSummary> summaries() {
        return runsNewestFirst().stream().map(this::summary).toList();
    }

    /** Every run, newest first (the ledger's own order is oldest first). */
    public List<RunRecord> runsNewestFirst() {
        return ledger.runs().runsNewestFirstWithoutPlan(0);
    }

    /** The run at a glance, from counts: no job or point is read whole (status draws this for every run). */
    public RunSummary summary(RunRecord run) {
        Map<JobState, Integer> byState = ledger.jobs().countByState(run.runId());
        int waiting = byState.containsKey(JobState.PLANNED)
                ? (int) ledger.jobs().reasons(run.runId(), JobState.PLANNED).stream()
                        .filter(SweepStatus::waitingForSlot).count()
                : 0;
        return new RunSummary(run, byState, ledger.runs().counts(run.runId()), waiting);
    }

    /**
     * A run as it stands now: its record re-read (so {@link RunRecord#finished()} is current), its summary and
     * its jobs, read once so the summary and the jobs agree. Empty when the ledger has no such run.
     */
    public Optional<Snapshot> snapshot(String runId) {
        return ledger.runs().runWithoutPlan(runId).map(run -> {
            List<JobRecord> jobs = ledger.jobs().jobs(runId);
            return new Snapshot(summary(run, jobs), jobs);
        });
    }

    /** One reading of a run that someone follows ({@code sweepd wait}, {@code sweepd status --watch}). */
    public record Snapshot(RunSummary summary, List<JobRecord> jobs) {

        public Snapshot {
            jobs = List.copyOf(jobs);
        }

        public RunRecord run() {
            return summary.run();
        }

        /** The daemon is done with the run: every job settled and the final report written. */
        public boolean finished() {
            return summary.run().finished();
        }

        /** Every job completed; true for a run with no job (every point refused), as {@code wait} always said. */
        public boolean allCompleted() {
            return jobs.stream().allMatch(job -> job.state().successful());
        }
    }

    private RunSummary summary(RunRecord run, List<JobRecord> jobs) {
        Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
        jobs.forEach(job -> byState.merge(job.state(), 1, Integer::sum));
        return new RunSummary(run, byState, ledger.runs().counts(run.runId()),
                (int) jobs.stream().filter(job -> job.state() == JobState.PLANNED && waitingForSlot(job.reason()))
                        .count());
    }

    /** Whether a PLANNED job's reason says the submitter holds it back for its profile's limits. */
    private static boolean waitingForSlot(String reason) {
        return reason != null && reason.startsWith(JobSubmitter.WAITING_FOR_A_SLOT);
    }

    public List<Row> rows(RunRecord run) {
        Map<String, JobRecord> jobs = ledger.jobs().jobs(run.runId()).stream()
                .collect(Collectors.toMap(JobRecord::jobKey, Function.identity()));
        Map<String, List<AttemptRecord>> attempts = ledger.jobs().attempts(run.runId());
        Instant now = clock.instant();
        return ledger.runs().points(run.runId()).stream().map(point -> row(run, point, jobs.get(point.jobKey()),
                attempts.getOrDefault(point.jobKey(), List.of()), now)).toList();
    }

    private static Row row(RunRecord run, PointRecord point, JobRecord job, List<AttemptRecord> attempts,
                           Instant now) {
        if (point.refused() || job == null) {
            return new Row(run.runId(), point.pointId(), point.jobKey(), null, "REFUSED", point.refusedReason(), null);
        }
        Long elapsed = job.startedAt() == null ? null
                : Duration.between(job.startedAt(), job.endedAt() != null ? job.endedAt() : now).toSeconds();
        return new Row(run.runId(), point.pointId(), job.jobKey(), job.slurmJobId(), job.state().name(),
                reason(job), elapsed, attempts);
    }

    /**
     * Why a job is in its state: the ledger's reason, or for a reused job which run completed it; for an ended job
     * whose handling threw, that error and when it is tried again.
     */
    public static String reason(JobRecord job) {
        if (job.reused()) {
            return "completed by run " + job.reusedFromRun() + " (not submitted again)";
        }
        if (job.settleError() != null && !job.settled()) {
            String failed = "handling its end failed " + job.settleAttempts() + " time(s), next try at "
                    + job.settleAfter() + ": " + job.settleError();
            return job.reason() == null ? failed : job.reason() + "; " + failed;
        }
        return job.reason();
    }

    /** The run's jobs in plan order, each with its phase and the points it runs. */
    public List<JobRow> jobRows(RunRecord run, JobPhases phases) {
        Map<String, List<String>> pointsByJob = ledger.runs().points(run.runId()).stream()
                .filter(point -> !point.refused())
                .collect(Collectors.groupingBy(PointRecord::jobKey, Collectors.mapping(PointRecord::pointId,
                        Collectors.toList())));
        Instant now = clock.instant();
        return ledger.jobs().jobs(run.runId()).stream().map(job -> {
            JobPhase phase = phases.phase(job);
            return new JobRow(job.jobKey(), job.slurmJobId(), job.state(), phase, JobPhases.describe(phase, job),
                    job.reused() ? "completed by run " + job.reusedFromRun() + " (not submitted again)"
                            : job.reason(),
                    elapsedSeconds(job, now), job.attempt(), pointsByJob.getOrDefault(job.jobKey(), List.of()),
                    job.jobDir());
        }).toList();
    }

    private static Long elapsedSeconds(JobRecord job, Instant now) {
        return job.startedAt() == null ? null
                : Duration.between(job.startedAt(), job.endedAt() != null ? job.endedAt() : now).toSeconds();
    }
}
