package io.sweepd.report;

import io.sweepd.ledger.AttemptRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * One Slurm job of a run as the report shows it: where and when it ran, how long it queued and ran, what part of that
 * was loading the model and benchmarking, and what it cost in GPU-hours. Every field the ledger or the job's files
 * do not give is null, and {@link #missing} says why, for the page's tooltip.
 *
 * @param jobKey         the job key (the job directory's name)
 * @param label          the configuration it served ("dsr1-fp8-h200-sglang tp8"), for people
 * @param slurmJobId     the current attempt's Slurm id, or null (never submitted, or reused)
 * @param attempt        how many times sbatch ran for it
 * @param state          the job's state (COMPLETED, FAILED, RUNNING, PENDING ...)
 * @param nodes          Slurm's node list ("gpu-node[1-2]"), or null when Slurm never told
 * @param gpus           every GPU the job held (its points' topology), 0 when unknown
 * @param points         how many report rows (point concurrencies) the job measured: its GPU-hours are shared by them
 * @param submittedAt    when sbatch answered, or null
 * @param startedAt      when Slurm started it, or null
 * @param endedAt        when it ended, or null while it runs
 * @param modelLoad      from the server's start to its first healthy answer (the harness logs it), or null
 * @param benchmark      the benchmark clients' own durations summed over the job's result files, or null
 * @param reusedFromRun  the earlier run whose job this run reused instead of submitting again, or null
 * @param logsHref       the job's logs directory, relative to the report's directory, or null
 * @param slurmLogHref   the current attempt's Slurm output file, relative to the report's directory, or null
 * @param archiveHref    the failure archive, relative to the report's directory, or null when there is none
 * @param missing        why model load and benchmark time are unknown, when they are (else null)
 * @param current        the current attempt as the audit trail tells it (its diagnosis, when it failed), or null when
 *                       this run never submitted the job
 * @param earlier        the attempts before the current one, oldest first: a retried job's failures stay visible
 */
public record JobTiming(
        String jobKey,
        String label,
        String slurmJobId,
        int attempt,
        String state,
        String nodes,
        int gpus,
        int points,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        Duration modelLoad,
        Duration benchmark,
        String reusedFromRun,
        String logsHref,
        String slurmLogHref,
        String archiveHref,
        String missing,
        AttemptRecord current,
        List<EarlierAttempt> earlier) {

    public JobTiming {
        earlier = earlier == null ? List.of() : List.copyOf(earlier);
    }

    /** A job known without its attempts (an earlier run's headline, a test): the current attempt only. */
    public JobTiming(String jobKey, String label, String slurmJobId, int attempt, String state, String nodes, int gpus,
                     int points, Instant submittedAt, Instant startedAt, Instant endedAt, Duration modelLoad,
                     Duration benchmark, String reusedFromRun, String logsHref, String slurmLogHref,
                     String archiveHref, String missing) {
        this(jobKey, label, slurmJobId, attempt, state, nodes, gpus, points, submittedAt, startedAt, endedAt,
                modelLoad, benchmark, reusedFromRun, logsHref, slurmLogHref, archiveHref, missing, null, List.of());
    }

    /**
     * An attempt a retry followed, with links to the files the retry set aside ({@code attempts/attempt-<n>/}).
     *
     * @param gpus the job's GPUs: an earlier attempt held the same allocation shape
     */
    public record EarlierAttempt(AttemptRecord attempt, int gpus, String logsHref, String slurmLogHref,
                                 String archiveHref) {

        /** What the failed attempt cost: GPUs x its run time, in hours; null when either is unknown. */
        public Double gpuHours() {
            Duration run = attempt.runTime();
            return run == null || gpus <= 0 ? null : gpus * run.toMillis() / 3_600_000.0;
        }
    }

    /** The GPU-hours of the attempts before the current one (a retried job paid for each), null when none known. */
    public Double earlierGpuHours() {
        return earlier.stream().map(EarlierAttempt::gpuHours).filter(h -> h != null).reduce(Double::sum).orElse(null);
    }

    /** Submit to start: the time the job waited in Slurm's queue. Null until it started. */
    public Duration queueWait() {
        return submittedAt == null || startedAt == null ? null : nonNegative(Duration.between(submittedAt, startedAt));
    }

    /** Start to end: the time the allocation was held. Null until it ended. */
    public Duration runTime() {
        return startedAt == null || endedAt == null ? null : nonNegative(Duration.between(startedAt, endedAt));
    }

    /** GPUs x run time, in hours; null when either is unknown. A reused job cost this run nothing: null. */
    public Double gpuHours() {
        Duration run = runTime();
        if (run == null || gpus <= 0 || reusedFromRun != null) {
            return null;
        }
        return gpus * run.toMillis() / 3_600_000.0;
    }

    /**
     * The job's GPU-hours shared evenly by the point concurrencies it measured: they ran one after another on one
     * allocation, so each holds the whole allocation for its part (model load included, which they share).
     */
    public Double gpuHoursPerPoint() {
        Double total = gpuHours();
        return total == null || points <= 0 ? null : total / points;
    }

    /**
     * The GPU-hours of every job that has them, every attempt of it included (a failed attempt held its GPUs as
     * long as it ran): what the run cost.
     */
    public static double totalGpuHours(Collection<JobTiming> jobs) {
        return jobs.stream().flatMap(j -> java.util.stream.Stream.of(j.gpuHours(), j.earlierGpuHours()))
                .filter(h -> h != null).mapToDouble(Double::doubleValue).sum();
    }

    private static Duration nonNegative(Duration d) {
        // Slurm and the ledger stamp times on different clocks: a second of skew must not show as negative time.
        return d.isNegative() ? Duration.ZERO : d;
    }
}
