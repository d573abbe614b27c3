package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.util.List;

/**
 * A point that completed in both runs, with its deltas.
 *
 * @param deltas    one per {@link BaselineComparison#COMPARED} metric, in that order
 * @param regressed the metrics that flag a regression (throughput per GPU, median interactivity), empty if none
 */
public record PointDelta(PointKey key, PointResult current, PointResult baseline, List<MetricDelta> deltas,
        List<ReportMetric> regressed) {

    public PointDelta {
        deltas = List.copyOf(deltas);
        regressed = List.copyOf(regressed);
    }

    public boolean isRegression() {
        return !regressed.isEmpty();
    }

    public MetricDelta delta(ReportMetric metric) {
        return deltas.stream().filter(d -> d.metric() == metric).findFirst().orElse(null);
    }
}
