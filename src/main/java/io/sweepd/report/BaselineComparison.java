package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current run against a baseline run of the same sweep, point by point (see {@link PointKey} for what
 * "the same point" means).
 *
 * @param tolerance   the fraction by which throughput per GPU or median interactivity may drop before it counts
 * @param matched     points that completed in both runs, with deltas, in {@link PointKey} order
 * @param newlyFailed points that completed in the baseline and are now failed, invalid or refused
 * @param disappeared baseline points the current run does not have at all
 * @param added       current points the baseline does not have
 */
public record BaselineComparison(double tolerance, List<PointDelta> matched, List<StateChange> newlyFailed,
        List<PointResult> disappeared, List<PointResult> added) {

    public static final double DEFAULT_TOLERANCE = 0.05;

    /** The metrics compared for every matched point, in table order. */
    public static final List<ReportMetric> COMPARED = List.of(ReportMetric.TPUT_PER_GPU,
            ReportMetric.OUTPUT_TPUT_PER_GPU, ReportMetric.MEDIAN_INTVTY, ReportMetric.MEDIAN_TTFT,
            ReportMetric.MEDIAN_E2EL);

    /**
     * The metrics whose drop is a regression. Latency is shown but not flagged: at a fixed concurrency, lower
     * interactivity already says the tokens came slower, and TTFT alone is noisy at low concurrency.
     */
    public static final Set<ReportMetric> FLAGGED = Set.of(ReportMetric.TPUT_PER_GPU, ReportMetric.MEDIAN_INTVTY);

    public BaselineComparison {
        matched = List.copyOf(matched);
        newlyFailed = List.copyOf(newlyFailed);
        disappeared = List.copyOf(disappeared);
        added = List.copyOf(added);
    }

    public static BaselineComparison compare(List<PointResult> current, List<PointResult> baseline) {
        return compare(current, baseline, DEFAULT_TOLERANCE);
    }

    public static BaselineComparison compare(List<PointResult> current, List<PointResult> baseline, double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be a fraction in [0, 1), e.g. 0.05 for 5%: " + tolerance);
        }
        Map<PointKey, PointResult> now = byKey(current);
        Map<PointKey, PointResult> before = byKey(baseline);

        List<PointDelta> matched = new ArrayList<>();
        List<StateChange> newlyFailed = new ArrayList<>();
        List<PointResult> added = new ArrayList<>();
        for (PointKey key : sorted(now.keySet())) {
            PointResult cur = now.get(key);
            PointResult base = before.get(key);
            if (base == null) {
                added.add(cur);
                continue;
            }
            Outcome was = Outcome.of(base.state());
            Outcome is = Outcome.of(cur.state());
            if (was == Outcome.COMPLETED && is == Outcome.COMPLETED) {
                matched.add(delta(key, cur, base, tolerance));
            } else if (was == Outcome.COMPLETED && is.unsuccessful()) {
                newlyFailed.add(new StateChange(key, cur, base));
            }
        }
        List<PointResult> disappeared = sorted(before.keySet()).stream()
                .filter(key -> !now.containsKey(key))
                .map(before::get)
                .toList();
        return new BaselineComparison(tolerance, matched, newlyFailed, disappeared, added);
    }

    public List<PointDelta> regressions() {
        return matched.stream().filter(PointDelta::isRegression).toList();
    }

    private static PointDelta delta(PointKey key, PointResult cur, PointResult base, double tolerance) {
        List<MetricDelta> deltas = new ArrayList<>();
        List<ReportMetric> regressed = new ArrayList<>();
        for (ReportMetric metric : COMPARED) {
            MetricDelta d = MetricDelta.of(metric, metric.of(base), metric.of(cur));
            deltas.add(d);
            if (FLAGGED.contains(metric) && d.worseBeyond(tolerance)) {
                regressed.add(metric);
            }
        }
        return new PointDelta(key, cur, base, deltas, regressed);
    }

    /**
     * One result per key. Two results under one key (a point retried, or listed twice) should not happen; if it
     * does, the one that completed with metrics speaks for the point, else the last one listed.
     */
    private static Map<PointKey, PointResult> byKey(List<PointResult> points) {
        Map<PointKey, PointResult> map = new LinkedHashMap<>();
        for (PointResult p : points == null ? List.<PointResult>of() : points) {
            map.merge(PointKey.of(p), p, (old, neu) -> usable(old) && !usable(neu) ? old : neu);
        }
        return map;
    }

    private static boolean usable(PointResult p) {
        return Outcome.of(p.state()) == Outcome.COMPLETED && p.hasMetrics();
    }

    private static List<PointKey> sorted(Collection<PointKey> keys) {
        return keys.stream().sorted().toList();
    }
}
