package io.sweepd.matrix;

import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sweepd.matrix.MatrixExpanderTest.filters;
import static io.sweepd.matrix.MatrixExpanderTest.multi;
import static io.sweepd.matrix.MatrixExpanderTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Which points run an accuracy eval, and how the evals filter selects them. */
class EvalMarkingTest {

    private final MatrixExpander expander = new MatrixExpander();

    // ---- single-node ----

    @Test
    void singleNodeMarksEveryPointAtTheHighestAndMedianDistinctConcOfItsGroup() {
        // Distinct eligible concs {16, 32, 64}: highest 64, median [3 // 2] = 32; tp 8 stops at 16.
        List<MatrixPoint> points = expand(single("k", 8192, 1024, "{tp: 2, conc-start: 4, conc-end: 64}",
                "{tp: 4, conc-start: 4, conc-end: 64}", "{tp: 8, conc-start: 4, conc-end: 16}"));

        assertThat(points).filteredOn(MatrixPoint::runEval).extracting(MatrixPoint::tp, MatrixPoint::singleConc)
                .containsExactly(tuple(2, 32), tuple(2, 64), tuple(4, 32), tuple(4, 64));
        assertThat(points).allSatisfy(p -> assertThat(p.evalConc()).isNull());
    }

    @Test
    void singleNodeMedianIsTheUpperMiddleOfAnEvenNumberOfConcs() {
        // {16, 32, 64, 128}: median [4 // 2] = 64.
        List<MatrixPoint> points = expand(single("k", 8192, 1024, "{tp: 1, conc-list: [16, 32, 64, 128]}"));

        assertThat(marked(points)).containsExactly(64, 128);
    }

    @Test
    void singleNodeWithOneEligibleConcMarksJustThatOne() {
        List<MatrixPoint> points = expand(single("k", 8192, 1024, "{tp: 1, conc-start: 4, conc-end: 16}"));

        assertThat(marked(points)).containsExactly(16);
    }

    @Test
    void nothingIsMarkedWhenNoConcurrencyReaches16() {
        List<MatrixPoint> points = expand(single("k", 8192, 1024, "{tp: 1, conc-start: 1, conc-end: 15}")
                + multi("m", 8192, "conc-list: [1, 8, 15]", true));

        assertThat(points).isNotEmpty().noneMatch(MatrixPoint::runEval);
    }

    @Test
    void onlyEightKOneKPointsAreEligible() {
        List<MatrixPoint> points = expand(single("k", 1024, 1024, "{tp: 1, conc-start: 4, conc-end: 256}")
                + single("k2", 1024, 8192, "{tp: 1, conc-start: 4, conc-end: 256}")
                + multi("m", 1024, "conc-list: [64, 128]", true));

        assertThat(points).isNotEmpty().noneMatch(MatrixPoint::runEval);
    }

    @Test
    void dpAttnAndSpecDecodingSplitSingleNodeGroups() {
        List<MatrixPoint> points = expand(single("k", 8192, 1024, "{tp: 8, conc-list: [16, 32, 64]}",
                "{tp: 8, dp-attn: true, conc-list: [16, 32]}", "{tp: 8, spec-decoding: mtp, conc-list: [16]}"));

        assertThat(points).filteredOn(MatrixPoint::runEval)
                .extracting(MatrixPoint::dpAttn, MatrixPoint::specDecoding, MatrixPoint::singleConc)
                .containsExactly(tuple(false, "none", 32), tuple(false, "none", 64), tuple(true, "none", 32),
                        tuple(false, "mtp", 16));
    }

    @Test
    void excludedSingleNodeGroupIsNotMarkedWhileOthersAre() {
        String yaml = single("k", 8192, 1024, "{tp: 1, conc-list: [16, 32]}")
                + single("k2", 8192, 1024, "{tp: 1, dp-attn: true, conc-list: [16, 32]}");
        EvalExclusions dpAttnGroups = (p, schema) -> Boolean.TRUE.equals(p.dpAttn());

        List<MatrixPoint> points = expander.expand(parse(yaml), dpAttnGroups);

        assertThat(points).filteredOn(MatrixPoint::runEval).extracting(MatrixPoint::configKey, MatrixPoint::singleConc)
                .containsExactly(tuple("k", 32));
    }

    // ---- multinode ----

    @Test
    void multinodeMarksTheFirstPointWithTheHighestMaxConcAtTheUpperMedianOfItsEligibleConcs() {
        String yaml = multi("a", 8192, "conc-list: [4, 8, 16, 32, 64, 128]", true)
                + multi("b", 8192, "conc-list: [128]", true)
                + multi("c", 8192, "conc-list: [8, 64]", true);

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::configKey, MatrixPoint::runEval, MatrixPoint::evalConc)
                .containsExactly(tuple("a", true, 64), tuple("b", false, null), tuple("c", false, null));
        assertThat(points.get(0).toInferenceMax()).containsEntry("eval-conc", 64);
        assertThat(points.get(1).toInferenceMax()).doesNotContainKey("eval-conc");
    }

    @Test
    void multinodeGroupsSplitOnDecodeDpAttnAndSpecDecoding() {
        String yaml = multi("a", "org/model", 8192, "conc-list: [16, 32]", "none", true)
                + multi("b", "org/model", 8192, "conc-list: [256]", "none", false)
                + multi("c", "org/model", 8192, "conc-list: [16, 32, 64]", "mtp", true);

        assertThat(expand(yaml)).extracting(MatrixPoint::configKey, MatrixPoint::evalConc)
                .containsExactly(tuple("a", 32), tuple("b", 256), tuple("c", 32));
    }

    @Test
    void multinodePointWithoutAnyConcOf16CannotBeChosen() {
        String yaml = multi("low", 8192, "conc-list: [1, 2, 4]", true) + multi("ok", 8192, "conc-list: [16]", true);

        assertThat(expand(yaml)).extracting(MatrixPoint::configKey, MatrixPoint::runEval)
                .containsExactly(tuple("low", false), tuple("ok", true));
    }

    @Test
    void excludedMultinodeGroupIsNotMarked() {
        String yaml = multi("pinned", "deepseek-ai/DeepSeek-V4-Pro", 8192, "conc-list: [16, 32]", "none", true)
                + multi("other", "org/model", 8192, "conc-list: [16, 32]", "none", true);
        EvalExclusions dsv4Pin = (p, schema) -> p.model().equals("deepseek-ai/DeepSeek-V4-Pro");

        assertThat(expander.expand(parse(yaml), dsv4Pin)).extracting(MatrixPoint::configKey, MatrixPoint::runEval)
                .containsExactly(tuple("pinned", false), tuple("other", true));
    }

    // ---- marking and filters ----

    @Test
    void markingIsDecidedOnTheFilteredMatrix() {
        // Unfiltered, {16, 32, 64} marks 32 and 64; max-conc 32 leaves {16, 32}: median and highest are both 32.
        String items = single("k", 8192, 1024, "{tp: 1, conc-start: 4, conc-end: 64}");

        assertThat(marked(expand(items))).containsExactly(32, 64);
        assertThat(marked(expand(filters("max-conc: 32") + items))).containsExactly(32);
    }

    @Test
    void evalsOnlyKeepsExactlyTheMarkedPoints() {
        String items = single("k", 8192, 1024, "{tp: 1, conc-start: 4, conc-end: 64}") + multi("m", 8192, "conc-list: [16, 64]", true);

        List<MatrixPoint> points = expand(filters("evals: only") + items);

        assertThat(points).allMatch(MatrixPoint::runEval);
        assertThat(points).extracting(MatrixPoint::configKey, MatrixPoint::conc)
                .containsExactly(tuple("k", List.of(32)), tuple("k", List.of(64)), tuple("m", List.of(16, 64)));
        assertThat(points.get(2).evalConc()).isEqualTo(64);
    }

    @Test
    void evalsExcludeDropsTheMarkedPointsWithoutRemarkingTheRest() {
        String items = single("k", 8192, 1024, "{tp: 1, conc-start: 4, conc-end: 64}");

        List<MatrixPoint> points = expand(filters("evals: exclude") + items);

        assertThat(points).extracting(MatrixPoint::singleConc).containsExactly(4, 8, 16);
        assertThat(points).noneMatch(MatrixPoint::runEval);
    }

    // ---- helpers ----

    private List<MatrixPoint> expand(String yaml) {
        return expander.expand(parse(yaml), EvalExclusions.NONE);
    }

    private static SweepFile parse(String yaml) {
        return new SweepParser().parse(yaml, "test.yaml", null);
    }

    private static List<Integer> marked(List<MatrixPoint> points) {
        return points.stream().filter(MatrixPoint::runEval).map(MatrixPoint::singleConc).toList();
    }
}
