package io.sweepd.matrix;

import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Expansion and filters. Eval marking is in {@link EvalMarkingTest}. */
class MatrixExpanderTest {

    private final MatrixExpander expander = new MatrixExpander();

    // ---- concurrency ranges ----

    @Test
    void rangeDoublesFromStartAndEndsWithTheClampedEnd() {
        assertThat(MatrixExpander.doubling(4, 48)).containsExactly(4, 8, 16, 32, 48);
        assertThat(MatrixExpander.doubling(4, 64)).containsExactly(4, 8, 16, 32, 64);
        assertThat(MatrixExpander.doubling(3, 4)).containsExactly(3, 4);
        assertThat(MatrixExpander.doubling(1, 1)).containsExactly(1);
        assertThat(MatrixExpander.doubling(5, 7)).containsExactly(5, 7);
    }

    @Test
    void rangeNearIntMaxDoesNotOverflow() {
        assertThat(MatrixExpander.doubling(Integer.MAX_VALUE / 2 + 1, Integer.MAX_VALUE))
                .containsExactly(Integer.MAX_VALUE / 2 + 1, Integer.MAX_VALUE);
    }

    // ---- single-node ----

    @Test
    void singleNodeRangeGivesOnePointPerConcurrencyWithTheGeneratorsDefaults() {
        List<MatrixPoint> points = expand(single("gptoss-fp4-h100-vllm", 1024, 1024, "{tp: 2, conc-start: 4, conc-end: 48}"));

        assertThat(points).extracting(MatrixPoint::singleConc).containsExactly(4, 8, 16, 32, 48);
        assertThat(points).allSatisfy(p -> {
            assertThat(p.configKey()).isEqualTo("gptoss-fp4-h100-vllm");
            assertThat(p.multinode()).isFalse();
            assertThat(p.tp()).isEqualTo(2);
            assertThat(p.ep()).isEqualTo(1);
            assertThat(p.dpAttn()).isFalse();
            assertThat(p.specDecoding()).isEqualTo("none");
            assertThat(p.disagg()).isFalse();
            assertThat(p.maxModelLen()).isEqualTo(1024 + 1024 + 256);
            assertThat(p.expName()).isEqualTo("p_1k1k");  // the model-prefix field, not the config key
            assertThat(p.prefill()).isNull();
            assertThat(p.runEval()).isFalse();
        });
    }

    @Test
    void singleNodeConcListGivesOnePointPerValueInFileOrder() {
        List<MatrixPoint> points = expand(single("k", 1024, 8192, "{tp: 8, ep: 8, dp-attn: true, spec-decoding: mtp, conc-list: [64, 8, 128]}"));

        assertThat(points).extracting(MatrixPoint::singleConc).containsExactly(64, 8, 128);
        assertThat(points).allSatisfy(p -> {
            assertThat(p.ep()).isEqualTo(8);
            assertThat(p.dpAttn()).isTrue();
            assertThat(p.specDecoding()).isEqualTo("mtp");
            assertThat(p.expName()).isEqualTo("p_1024_8192");  // the generator names only 1k1k and 8k1k
            assertThat(p.maxModelLen()).isEqualTo(1024 + 8192 + 256);
        });
    }

    @Test
    void nonStandardSeqLenIsNamedIslUnderscoreOsl() {
        List<MatrixPoint> points = expand(single("k", 2048, 512, "{tp: 1, conc-list: [1]}"));

        assertThat(points).extracting(MatrixPoint::expName).containsExactly("p_2048_512");
    }

    @Test
    void entriesSeqLensAndItemsKeepFileOrder() {
        String yaml = single("b-first", 1024, 1024, "{tp: 1, conc-list: [1]}", "{tp: 2, conc-list: [2]}")
                + single("a-second", 8192, 1024, "{tp: 4, conc-list: [3]}");

        assertThat(expand(yaml)).extracting(MatrixPoint::configKey, MatrixPoint::tp)
                .containsExactly(tuple("b-first", 1), tuple("b-first", 2), tuple("a-second", 4));
    }

    // ---- multinode ----

    @Test
    void multinodeItemGivesOnePointCarryingItsWholeDoubledRange() {
        List<MatrixPoint> points = expand(multi("dsv4-fp8-h100-dynamo-vllm", 1024, "conc-start: 4, conc-end: 48", true));

        assertThat(points).hasSize(1);
        MatrixPoint p = points.get(0);
        assertThat(p.multinode()).isTrue();
        assertThat(p.disagg()).isTrue();
        assertThat(p.conc()).containsExactly(4, 8, 16, 32, 48);
        assertThat(p.tp()).isNull();
        assertThat(p.prefill().numWorker()).isEqualTo(1);
        assertThat(p.decode().dpAttn()).isTrue();
        assertThat(p.specDecoding()).isEqualTo("none");
        assertThat(p.expName()).isEqualTo("dsv4_1k1k");
    }

    // ---- entry filters ----

    @Test
    void modelPrefixFilterMatchesTheConfigKeyNotTheModelPrefixField() {
        // Both entries have model-prefix "p"; only the key decides, as in the generator.
        String yaml = filters("model-prefix: [gptoss, dsr1]")
                + single("gptoss-fp4-h100-vllm", 1024, 1024, "{tp: 1, conc-list: [1]}")
                + single("my-gptoss", 1024, 1024, "{tp: 1, conc-list: [1]}")
                + single("dsr1-fp8-h200-sglang", 1024, 1024, "{tp: 1, conc-list: [1]}");

        assertThat(expand(yaml)).extracting(MatrixPoint::configKey)
                .containsExactly("gptoss-fp4-h100-vllm", "dsr1-fp8-h200-sglang");
    }

    @Test
    void precisionFrameworkAndRunnerFiltersAreExactMembership() {
        String entries = entry("a", "fp8", "vllm", "h100") + entry("b", "fp4", "vllm", "h100")
                + entry("c", "fp8", "sglang", "h200") + entry("d", "fp8", "vllm", "h100-multinode");

        assertThat(keys(filters("precision: [fp8]") + entries)).containsExactly("a", "c", "d");
        assertThat(keys(filters("framework: [sglang, trt]") + entries)).containsExactly("c");
        assertThat(keys(filters("runner-type: [h100]") + entries)).containsExactly("a", "b");
        assertThat(keys(filters("precision: [fp8]\n    runner-type: [h100, h200]") + entries)).containsExactly("a", "c");
    }

    @Test
    void seqLensFilterKeepsNamedSeqLensOnly() {
        String yaml = single("k", 1024, 1024, "{tp: 1, conc-list: [1]}")
                + single("k2", 8192, 1024, "{tp: 1, conc-list: [2]}")
                + single("k3", 2048, 512, "{tp: 1, conc-list: [3]}");

        assertThat(keys(filters("seq-lens: [8k1k]") + yaml)).containsExactly("k2");
        assertThat(keys(filters("seq-lens: [1k1k, 8k1k]") + yaml)).containsExactly("k", "k2");
        assertThat(keys(yaml)).containsExactly("k", "k2", "k3");
    }

    @Test
    void singleNodeFalseSkipsSingleNodeEntriesAndMultiNodeFalseSkipsMultinodeEntries() {
        String yaml = single("single", 1024, 1024, "{tp: 1, conc-list: [1]}") + multi("multi", 1024, "conc-list: [1]", false);

        assertThat(keys(filters("single-node: false") + yaml)).containsExactly("multi");
        assertThat(keys(filters("multi-node: false") + yaml)).containsExactly("single");
    }

    // ---- item filters ----

    @Test
    void maxTpSkipsSingleNodeItemsAboveIt() {
        String yaml = filters("max-tp: 4") + single("k", 1024, 1024, "{tp: 2, conc-list: [1]}", "{tp: 4, conc-list: [1]}",
                "{tp: 8, conc-list: [1]}");

        assertThat(expand(yaml)).extracting(MatrixPoint::tp).containsExactly(2, 4);
    }

    @Test
    void maxEpClampsExplicitEpInsteadOfSkipping() {
        String yaml = filters("max-ep: 4") + single("k", 1024, 1024, "{tp: 8, ep: 8, conc-list: [1]}",
                "{tp: 8, ep: 2, conc-list: [1]}", "{tp: 8, conc-list: [1]}");

        assertThat(expand(yaml)).extracting(MatrixPoint::ep).containsExactly(4, 2, 1);
    }

    @Test
    void minConcRaisesTheRangeStartOrSkipsARangeEntirelyBelowIt() {
        String items = single("k", 1024, 1024, "{tp: 1, conc-start: 4, conc-end: 64}", "{tp: 2, conc-start: 4, conc-end: 8}");

        assertThat(expand(filters("min-conc: 12") + items)).extracting(MatrixPoint::tp, MatrixPoint::singleConc)
                .containsExactly(tuple(1, 12), tuple(1, 24), tuple(1, 48), tuple(1, 64));
    }

    @Test
    void minConcKeepsListValuesAtOrAboveIt() {
        String items = single("k", 1024, 1024, "{tp: 1, conc-list: [4, 16, 8, 32]}", "{tp: 2, conc-list: [1, 2]}");

        assertThat(expand(filters("min-conc: 8") + items)).extracting(MatrixPoint::tp, MatrixPoint::singleConc)
                .containsExactly(tuple(1, 16), tuple(1, 8), tuple(1, 32));
    }

    @Test
    void maxConcLowersTheRangeEndOrRunsOnlyAtMaxWhenTheStartIsAbove() {
        String items = single("k", 1024, 1024, "{tp: 1, conc-start: 4, conc-end: 64}", "{tp: 2, conc-start: 32, conc-end: 64}");

        assertThat(expand(filters("max-conc: 20") + items)).extracting(MatrixPoint::tp, MatrixPoint::singleConc)
                .containsExactly(tuple(1, 4), tuple(1, 8), tuple(1, 16), tuple(1, 20), tuple(2, 20));
    }

    @Test
    void maxConcKeepsListValuesAtOrBelowItOrRunsAtMaxWhenNoneAre() {
        String items = single("k", 1024, 1024, "{tp: 1, conc-list: [4, 64, 8]}", "{tp: 2, conc-list: [32, 64]}");

        assertThat(expand(filters("max-conc: 16") + items)).extracting(MatrixPoint::tp, MatrixPoint::singleConc)
                .containsExactly(tuple(1, 4), tuple(1, 8), tuple(2, 16));
    }

    @Test
    void minAndMaxConcTogetherNarrowARangeFromBothSides() {
        String items = single("k", 1024, 1024, "{tp: 1, conc-start: 1, conc-end: 256}");

        assertThat(expand(filters("min-conc: 8\n    max-conc: 100") + items)).extracting(MatrixPoint::singleConc)
                .containsExactly(8, 16, 32, 64, 100);
    }

    @Test
    void multinodeMinConcDropsLowValuesAndDropsTheItemWhenNoneRemain() {
        String yaml = filters("min-conc: 16") + multi("m", 1024, "conc-list: [4, 8, 16, 32]", true)
                + multi("n", 1024, "conc-list: [1, 2]", true);

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::configKey).containsExactly("m");
        assertThat(points.get(0).conc()).containsExactly(16, 32);
    }

    @Test
    void multinodeMaxConcDropsHighValuesOrRunsAtMaxWhenNoneRemain() {
        String yaml = filters("max-conc: 10") + multi("m", 1024, "conc-start: 4, conc-end: 64", true)
                + multi("n", 1024, "conc-list: [256, 512]", true);

        assertThat(expand(yaml)).extracting(MatrixPoint::conc)
                .containsExactly(List.of(4, 8), List.of(10));
    }

    // ---- helpers (YAML builders keep each test's input readable) ----

    private List<MatrixPoint> expand(String yaml) {
        SweepFile sweep = new SweepParser().parse(yaml, "test.yaml", null);
        return expander.expand(sweep, EvalExclusions.NONE);
    }

    private List<String> keys(String yaml) {
        return expand(yaml).stream().map(MatrixPoint::configKey).distinct().toList();
    }

    static String filters(String body) {
        return "sweep:\n  filters:\n    " + body + "\n";
    }

    /** A single-node entry (model-prefix p, fp4, vllm, h100) with one seq-len config holding {@code items}. */
    static String single(String key, int isl, int osl, String... items) {
        StringBuilder yaml = new StringBuilder(key + """
                :
                  image: img
                  model: org/model
                  model-prefix: p
                  runner: h100
                  precision: fp4
                  framework: vllm
                  multinode: false
                  seq-len-configs:
                """);
        yaml.append("  - isl: ").append(isl).append("\n    osl: ").append(osl).append("\n    search-space:\n");
        for (String item : items) {
            yaml.append("    - ").append(item).append('\n');
        }
        return yaml.toString();
    }

    /** A single-node 1k1k entry with the given precision, framework and runner. */
    static String entry(String key, String precision, String framework, String runner) {
        return key + ":\n  image: img\n  model: org/model\n  model-prefix: p\n  runner: " + runner
                + "\n  precision: " + precision + "\n  framework: " + framework
                + "\n  multinode: false\n  seq-len-configs:\n  - {isl: 1024, osl: 1024, search-space: [{tp: 1, conc-list: [1]}]}\n";
    }

    /** A disaggregated multinode entry (model-prefix dsv4) with one item; {@code conc} is its flow-map conc part. */
    static String multi(String key, int isl, String conc, boolean decodeDpAttn) {
        return multi(key, "org/model", isl, conc, "none", decodeDpAttn);
    }

    static String multi(String key, String model, int isl, String conc, String spec, boolean decodeDpAttn) {
        return key + ":\n  image: img\n  model: " + model + "\n  model-prefix: dsv4\n  runner: h100-multinode\n"
                + "  precision: fp8\n  framework: dynamo-vllm\n  multinode: true\n  disagg: true\n  seq-len-configs:\n"
                + "  - isl: " + isl + "\n    osl: 1024\n    search-space:\n"
                + "    - {" + conc + ", spec-decoding: " + spec + ",\n"
                + "       prefill: {num-worker: 1, tp: 8, ep: 8, dp-attn: true},\n"
                + "       decode: {num-worker: 1, tp: 8, ep: 8, dp-attn: " + decodeDpAttn + "}}\n";
    }
}
