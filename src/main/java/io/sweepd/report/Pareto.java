package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The throughput-per-GPU vs interactivity Pareto frontier: the points no other point beats on both axes.
 * It is the curve a hardware comparison is read from (for a given per-user speed, how many tokens a GPU
 * delivers), so only points whose numbers passed the validity gate take part.
 */
public final class Pareto {

    /** Left to right along the chart's x axis (interactivity), then the same order for every run. */
    static final Comparator<PointResult> CHART_ORDER = Comparator
            .comparingDouble((PointResult p) -> ReportMetric.MEDIAN_INTVTY.of(p))
            .thenComparing(Comparator.comparingDouble((PointResult p) -> ReportMetric.TPUT_PER_GPU.of(p)).reversed())
            .thenComparing(PointResult::seriesKey, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(PointResult::conc)
            .thenComparing(PointResult::pointId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private Pareto() {
    }

    /**
     * The points of {@code points} not dominated on (tput_per_gpu, median_intvty), both maximized. A point is
     * dominated when another is at least as good on both and strictly better on one, so exact ties all stay
     * on the frontier and a dominated point stays off it however many copies of it there are.
     * Points that are not COMPLETED or lack either metric are ignored.
     *
     * @return the frontier ordered by interactivity ascending (throughput per GPU then descends), ties broken
     *         by series key, concurrency and point id, so the same input always gives the same list
     */
    public static List<PointResult> frontier(List<PointResult> points) {
        List<PointResult> candidates = points.stream()
                .filter(p -> Outcome.of(p.state()) == Outcome.COMPLETED)
                .filter(p -> ReportMetric.TPUT_PER_GPU.of(p) != null && ReportMetric.MEDIAN_INTVTY.of(p) != null)
                .toList();
        // Sorted by throughput per GPU, highest first: a point is dominated by a point of strictly higher throughput
        // with at least its interactivity, or by one of equal throughput with strictly higher interactivity. One
        // pass over the sorted points (n log n; a 10,000-point chart compared every pair before).
        List<PointResult> byTput = new ArrayList<>(candidates);
        byTput.sort(Comparator.comparingDouble((PointResult p) -> ReportMetric.TPUT_PER_GPU.of(p)).reversed());
        List<PointResult> frontier = new ArrayList<>();
        double bestIntvtyAbove = Double.NEGATIVE_INFINITY;
        for (int start = 0; start < byTput.size(); ) {
            double tput = ReportMetric.TPUT_PER_GPU.of(byTput.get(start));
            int end = start;
            double bestIntvtyHere = Double.NEGATIVE_INFINITY;
            while (end < byTput.size() && ReportMetric.TPUT_PER_GPU.of(byTput.get(end)) == tput) {
                bestIntvtyHere = Math.max(bestIntvtyHere, ReportMetric.MEDIAN_INTVTY.of(byTput.get(end)));
                end++;
            }
            for (int i = start; i < end; i++) {
                double intvty = ReportMetric.MEDIAN_INTVTY.of(byTput.get(i));
                if (bestIntvtyAbove < intvty && bestIntvtyHere <= intvty) {
                    frontier.add(byTput.get(i));
                }
            }
            bestIntvtyAbove = Math.max(bestIntvtyAbove, bestIntvtyHere);
            start = end;
        }
        frontier.sort(CHART_ORDER);
        return List.copyOf(frontier);
    }
}
