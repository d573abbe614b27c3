package io.sweepd.report;

import static io.sweepd.report.Points.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ParetoTest {

    @Test
    void keepsOnlyPointsNoOtherPointBeatsOnBothAxes() {
        PointResult fastUser = at("a", 4, 300, 90);
        PointResult balanced = at("a", 16, 900, 50);
        PointResult throughput = at("a", 64, 1500, 20);
        PointResult dominated = at("b", 16, 800, 45); // balanced beats it on both
        PointResult dominatedOnOneAxisTie = at("b", 64, 1500, 15); // same throughput, less interactivity

        List<PointResult> frontier = Pareto.frontier(List.of(dominated, throughput, fastUser, dominatedOnOneAxisTie, balanced));

        assertThat(frontier).containsExactly(throughput, balanced, fastUser);
    }

    @Test
    void exactTiesAreAllOnTheFrontier() {
        PointResult a = at("a", 16, 900, 50);
        PointResult b = at("b", 16, 900, 50);

        assertThat(Pareto.frontier(List.of(b, a))).containsExactly(a, b);
    }

    @Test
    void dominatedDuplicatesStayOffTheFrontierHoweverManyCopies() {
        PointResult best = at("a", 16, 1000, 60);
        PointResult copy1 = at("b", 16, 500, 30);
        PointResult copy2 = at("c", 16, 500, 30);
        PointResult copy3 = at("d", 16, 500, 30);

        assertThat(Pareto.frontier(List.of(copy1, copy2, best, copy3))).containsExactly(best);
    }

    @Test
    void orderIsByInteractivityThenThroughputAndIndependentOfInputOrder() {
        List<PointResult> points = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            points.add(at("cfg" + (i % 3), 1 << i, 100 + 100 * i, 200 - 15 * i));
        }
        points.add(at("dup", 1, 100, 200)); // ties with cfg0 conc 1
        List<PointResult> expected = Pareto.frontier(points);
        assertThat(expected).hasSize(13);
        assertThat(expected).extracting(p -> ReportMetric.MEDIAN_INTVTY.of(p)).isSorted();

        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<PointResult> shuffled = new ArrayList<>(points);
            Collections.shuffle(shuffled, random);
            assertThat(Pareto.frontier(shuffled)).containsExactlyElementsOf(expected);
        }
        // Among the tied pair, the series key decides: "cfg0" sorts before "dup".
        assertThat(expected.get(expected.size() - 1).configKey()).isEqualTo("dup");
        assertThat(expected.get(expected.size() - 2).configKey()).isEqualTo("cfg0");
    }

    @Test
    void pointsWithoutTrustworthyNumbersDoNotTakePart() {
        PointResult ok = at("a", 16, 500, 40);
        PointResult invalidButHuge = Points.withState(at("b", 16, 99999, 999), "INVALID");
        PointResult failed = Points.withState(at("c", 16, 99999, 999), "FAILED");
        PointResult noInteractivity = Points.withMetrics(at("d", 16, 0, 0), Map.of("tput_per_gpu", 9999.0));
        PointResult noMetrics = Points.withMetrics(at("e", 16, 0, 0), null);
        PointResult infinite = Points.withMetrics(at("f", 16, 0, 0),
                Map.of("tput_per_gpu", 9999.0, "median_intvty", Double.POSITIVE_INFINITY));

        assertThat(Pareto.frontier(List.of(invalidButHuge, failed, noInteractivity, noMetrics, infinite, ok)))
                .containsExactly(ok);
    }

    @Test
    void emptyInputGivesAnEmptyFrontier() {
        assertThat(Pareto.frontier(List.of())).isEmpty();
    }
}
