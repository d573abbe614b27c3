package io.sweepd.report;

import static io.sweepd.report.Points.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sweepd.results.PointResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BaselineComparisonTest {

    /** The same point in another run: new run id, point id and job key (a new image changes the job key). */
    private static PointResult rerun(PointResult p, double tput, double intvty) {
        Map<String, Object> m = new HashMap<>(p.metrics());
        m.put("tput_per_gpu", tput);
        m.put("median_intvty", intvty);
        return Points.withMetrics(Points.withIdentity(p, "run-3", "other-id-" + p.conc(), "other-job"), m);
    }

    @Test
    void matchesPointsAcrossRunsByConfigurationNotByRunPointOrJobIds() {
        PointResult base = at("dsr1-fp8-h200-sglang", 16, 1000, 50);
        PointResult now = rerun(base, 1100, 52);

        BaselineComparison c = BaselineComparison.compare(List.of(now), List.of(base), 0.05);

        assertThat(c.matched()).singleElement().satisfies(d -> {
            assertThat(d.current()).isSameAs(now);
            assertThat(d.baseline()).isSameAs(base);
            MetricDelta tput = d.delta(ReportMetric.TPUT_PER_GPU);
            assertThat(tput.baseline()).isEqualTo(1000.0);
            assertThat(tput.current()).isEqualTo(1100.0);
            assertThat(tput.absolute()).isCloseTo(100.0, within(1e-9));
            assertThat(tput.relative()).isCloseTo(0.10, within(1e-9));
            assertThat(d.delta(ReportMetric.MEDIAN_INTVTY).relative()).isCloseTo(0.04, within(1e-9));
        });
        assertThat(c.regressions()).isEmpty();
        assertThat(c.disappeared()).isEmpty();
        assertThat(c.added()).isEmpty();
    }

    @Test
    void everyComparedMetricHasADeltaAndMissingValuesGiveNullNotZero() {
        PointResult base = at("a", 16, 1000, 50); // no TTFT, E2E or output throughput
        BaselineComparison c = BaselineComparison.compare(List.of(rerun(base, 1000, 50)), List.of(base));

        PointDelta d = c.matched().get(0);
        assertThat(d.deltas()).extracting(MetricDelta::metric).containsExactlyElementsOf(BaselineComparison.COMPARED);
        assertThat(d.delta(ReportMetric.MEDIAN_TTFT).absolute()).isNull();
        assertThat(d.delta(ReportMetric.MEDIAN_TTFT).relative()).isNull();
    }

    @Test
    void flagsThroughputOrInteractivityDropsBeyondTheTolerance() {
        PointResult a = at("a", 4, 1000, 50);
        PointResult b = at("a", 8, 1000, 50);
        PointResult c = at("a", 16, 1000, 50);
        PointResult d = at("a", 32, 1000, 50);

        BaselineComparison cmp = BaselineComparison.compare(
                List.of(rerun(a, 940, 50),    // -6% throughput: regression
                        rerun(b, 1000, 47),   // -6% interactivity: regression
                        rerun(c, 950, 47.5),  // exactly -5%: not beyond the tolerance
                        rerun(d, 1300, 80)),  // better
                List.of(a, b, c, d), 0.05);

        assertThat(cmp.regressions()).extracting(pd -> pd.key().conc()).containsExactly(4, 8);
        assertThat(cmp.regressions().get(0).regressed()).containsExactly(ReportMetric.TPUT_PER_GPU);
        assertThat(cmp.regressions().get(1).regressed()).containsExactly(ReportMetric.MEDIAN_INTVTY);
        assertThat(cmp.matched()).hasSize(4);
    }

    @Test
    void toleranceIsConfigurable() {
        PointResult base = at("a", 16, 1000, 50);
        List<PointResult> now = List.of(rerun(base, 920, 50)); // -8%

        assertThat(BaselineComparison.compare(now, List.of(base), 0.10).regressions()).isEmpty();
        assertThat(BaselineComparison.compare(now, List.of(base), 0.05).regressions()).hasSize(1);
        assertThat(BaselineComparison.compare(now, List.of(base)).tolerance()).isEqualTo(0.05);
        assertThat(BaselineComparison.compare(now, List.of(base), 0.0).regressions()).hasSize(1);
    }

    @Test
    void slowerLatencyIsShownButNotFlagged() {
        Map<String, Object> before = new HashMap<>(Map.of("tput_per_gpu", 1000.0, "median_intvty", 50.0,
                "median_ttft", 0.2, "median_e2el", 20.0));
        Map<String, Object> after = new HashMap<>(before);
        after.put("median_ttft", 0.4);
        PointResult base = Points.withMetrics(at("a", 16, 0, 0), before);
        PointResult now = Points.withMetrics(at("a", 16, 0, 0), after);

        PointDelta d = BaselineComparison.compare(List.of(now), List.of(base)).matched().get(0);

        assertThat(d.delta(ReportMetric.MEDIAN_TTFT).relative()).isCloseTo(1.0, within(1e-9));
        assertThat(d.delta(ReportMetric.MEDIAN_TTFT).worseBeyond(0.05)).isTrue();
        assertThat(d.isRegression()).isFalse();
    }

    @Test
    void listsPointsThatNewlyFailedButNotOnesThatFailedBeforeOrAreStillRunning() {
        PointResult failsNow = at("a", 4, 1000, 50);
        PointResult refusedNow = at("a", 8, 1000, 50);
        PointResult invalidNow = at("a", 16, 1000, 50);
        PointResult failedBoth = Points.withState(at("a", 32, 1000, 50), "FAILED");
        PointResult running = at("a", 64, 1000, 50);

        BaselineComparison c = BaselineComparison.compare(
                List.of(Points.withState(failsNow, "TIMEOUT"), Points.withState(refusedNow, "REFUSED"),
                        Points.withState(invalidNow, "INVALID"), failedBoth, Points.withState(running, "RUNNING")),
                List.of(failsNow, refusedNow, invalidNow, failedBoth, running));

        assertThat(c.newlyFailed()).extracting(s -> s.key().conc()).containsExactly(4, 8, 16);
        assertThat(c.newlyFailed()).extracting(s -> s.current().state()).containsExactly("TIMEOUT", "REFUSED", "INVALID");
        assertThat(c.newlyFailed()).extracting(s -> s.baseline().state()).containsOnly("COMPLETED");
        assertThat(c.matched()).isEmpty();
    }

    @Test
    void listsPointsThatDisappearedAndPointsThatAreNew() {
        PointResult kept = at("a", 16, 1000, 50);
        PointResult gone = at("a", 64, 1000, 50);
        PointResult goneFailed = Points.withState(at("b", 8, 0, 0), "FAILED");
        PointResult added = at("c", 16, 1000, 50);

        BaselineComparison c = BaselineComparison.compare(List.of(kept, added), List.of(gone, kept, goneFailed));

        assertThat(c.disappeared()).containsExactly(gone, goneFailed);
        assertThat(c.added()).containsExactly(added);
        assertThat(c.matched()).hasSize(1);
    }

    @Test
    void shapeSpacingCaseAndAbsentSpecDecodingDoNotBreakTheMatch() {
        PointResult base = at("a", 16, 1000, 50);
        PointResult now = new PointResult("run-3", "x", "y", "a", base.model(), base.modelPrefix(), base.precision(),
                base.framework(), base.hardware(), base.profile(), base.runner(), 1024, 1024, 16, false, null,
                "  TP8 ", "COMPLETED", null, null, 0, 0, 8, base.metrics(), null, null);

        assertThat(BaselineComparison.compare(List.of(now), List.of(base)).matched()).hasSize(1);
    }

    @Test
    void differentSequenceLengthsShapesOrConcurrenciesAreDifferentPoints() {
        PointResult base = at("a", 16, 1000, 50);
        PointResult otherConc = at("a", 32, 1000, 50);
        PointResult otherShape = Points.point("run-3", "a", "tp4", "h200", 1024, 1024, 16, "COMPLETED", 4, 0, 0,
                base.metrics());
        PointResult otherSeq = Points.point("run-3", "a", "tp8", "h200", 8192, 1024, 16, "COMPLETED", 8, 0, 0,
                base.metrics());

        BaselineComparison c = BaselineComparison.compare(List.of(otherConc, otherShape, otherSeq), List.of(base));

        assertThat(c.matched()).isEmpty();
        assertThat(c.added()).hasSize(3);
        assertThat(c.disappeared()).containsExactly(base);
    }

    @Test
    void aCompletedResultSpeaksForAPointListedTwice() {
        PointResult base = at("a", 16, 1000, 50);
        PointResult completed = rerun(base, 1000, 50);
        PointResult failedAttempt = Points.withState(rerun(base, 0, 0), "FAILED");

        BaselineComparison c = BaselineComparison.compare(List.of(completed, failedAttempt), List.of(base));

        assertThat(c.matched()).singleElement().satisfies(d -> assertThat(d.current()).isSameAs(completed));
        assertThat(c.newlyFailed()).isEmpty();
    }

    @Test
    void rejectsAToleranceThatIsNotAFraction() {
        assertThatThrownBy(() -> BaselineComparison.compare(List.of(), List.of(), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.05");
        assertThatThrownBy(() -> BaselineComparison.compare(List.of(), List.of(), -0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BaselineComparison.compare(List.of(), List.of(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
