package io.sweepd.report;

import io.sweepd.ledger.AttemptRecord;
import io.sweepd.results.PointResult;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one report is made of.
 *
 * @param sweepName     the sweep's name, shown in the title
 * @param runId         the run the points belong to
 * @param generatedAt   when the report was made (the report shows it in UTC)
 * @param finalReport   false while the run still has points queued or running: the report then says it is interim
 * @param points        every PointResult of the run, whatever its state
 * @param baseline      the PointResults of the run to compare against, or null for no comparison
 * @param baselineRunId that run's id (shown beside the comparison), or null
 * @param tolerance     how much lower (as a fraction, 0.05 = 5%) throughput per GPU or interactivity may be than
 *                      the baseline before the point is flagged as a regression
 * @param attempts      every sbatch of the run's jobs, by job key, oldest first (the ledger's
 *                      {@code jobs().attempts(runId)}): a failed attempt stays in the report after a retry
 * @param jobTimings    the run's Slurm jobs: ids, nodes, times, GPU-hours, links to their files (empty: none known)
 * @param history       the headline of the last runs of the same sweep ({@link RunHistory#NONE}: none)
 */
public record ReportInput(
        String sweepName,
        String runId,
        Instant generatedAt,
        boolean finalReport,
        List<PointResult> points,
        List<PointResult> baseline,
        String baselineRunId,
        double tolerance,
        Map<String, List<AttemptRecord>> attempts,
        List<JobTiming> jobTimings,
        RunHistory history) {

    public ReportInput {
        Objects.requireNonNull(generatedAt, "generatedAt");
        points = points == null ? List.of() : List.copyOf(points);
        baseline = baseline == null ? null : List.copyOf(baseline);
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be a fraction in [0, 1), e.g. 0.05 for 5%: " + tolerance);
        }
        attempts = attempts == null ? Map.of() : Map.copyOf(attempts);
        jobTimings = jobTimings == null ? List.of() : List.copyOf(jobTimings);
        history = history == null ? RunHistory.NONE : history;
    }

    /** A report without the jobs' attempts, timings or history (each point shows its job's current state only). */
    public ReportInput(String sweepName, String runId, Instant generatedAt, boolean finalReport,
                       List<PointResult> points, List<PointResult> baseline, String baselineRunId, double tolerance) {
        this(sweepName, runId, generatedAt, finalReport, points, baseline, baselineRunId, tolerance, Map.of(),
                List.of(), RunHistory.NONE);
    }

    /** The attempts of a point's job, oldest first (empty when the report was given none). */
    public List<AttemptRecord> attemptsOf(PointResult point) {
        return point.jobKey() == null ? List.of() : attempts.getOrDefault(point.jobKey(), List.of());
    }

    /** A report without a baseline. */
    public static ReportInput of(String sweepName, String runId, Instant generatedAt, boolean finalReport,
            List<PointResult> points) {
        return new ReportInput(sweepName, runId, generatedAt, finalReport, points, null, null,
                BaselineComparison.DEFAULT_TOLERANCE);
    }

    public boolean hasBaseline() {
        return baseline != null;
    }
}
