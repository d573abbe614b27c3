package io.sweepd.report;

/**
 * One metric of one point, current run against baseline.
 *
 * @param absolute current - baseline, or null when either is missing
 * @param relative (current - baseline) / baseline, or null when either is missing or the baseline is 0
 */
public record MetricDelta(ReportMetric metric, Double baseline, Double current, Double absolute, Double relative) {

    public static MetricDelta of(ReportMetric metric, Double baseline, Double current) {
        Double absolute = baseline == null || current == null ? null : current - baseline;
        Double relative = absolute == null || baseline == 0 ? null : absolute / Math.abs(baseline);
        return new MetricDelta(metric, baseline, current, absolute, relative);
    }

    /** Worse than the baseline by more than {@code tolerance} (a fraction), in the metric's own direction. */
    public boolean worseBeyond(double tolerance) {
        if (relative == null) {
            return false;
        }
        double worsening = metric.higherIsBetter() ? -relative : relative;
        // A hair of slack so a delta of exactly the tolerance is not flagged by floating-point noise.
        return worsening > tolerance + 1e-12;
    }
}
