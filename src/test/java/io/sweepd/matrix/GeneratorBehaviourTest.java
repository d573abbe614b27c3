package io.sweepd.matrix;

import io.sweepd.sweep.RunnerConfig;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The behaviour InferenceMAX's test_generate_sweep_configs.py (5959abc4 and 4d69c38b) checks in its generator,
 * put to sweepd as sweep files: each subcommand's choice of points, the filters' clamping rules (which differ
 * between single-node, multinode and agentic-coding), runner-node expansion, eval marking and the evals flags.
 * Expected values are worked out from the generator's rules in the comments, not copied from its output.
 *
 * <p>Not ported: the generator's argparse internals (its default --runner-config path under .github) and the
 * e2e workflow's job splitting beyond what the points carry (run-eval, eval-only, prefill).
 */
class GeneratorBehaviourTest {

    /** The tests' runners.yaml, after the pytest fixture. */
    private static final RunnerConfig RUNNERS = new RunnerConfig("runners.yaml", runnerNodes());

    private static Map<String, List<String>> runnerNodes() {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        nodes.put("h100", List.of("h100-cr_0", "h100-cr_1", "h100-cw_0", "h100-cw_1"));
        nodes.put("h200", List.of("h200-cw_0", "h200-cw_1", "h200-nb_0", "h200-nb_1"));
        nodes.put("b200", List.of("b200-nvd_0", "b200-nvd_1", "b200-dgxc_1"));
        nodes.put("mi300x", List.of("mi300x-amd_0", "mi300x-amd_1", "mi300x-cr_0"));
        nodes.put("gb200", List.of("gb200-nv_0"));
        return nodes;
    }

    /** The pytest single-node fixture: tp 8, conc 4..64, at 1k1k and 8k1k. */
    private static final String SINGLE = entry("dsr1-fp8-mi300x-sglang", false,
            fixed(1024, 1024, "{tp: 8, conc-start: 4, conc-end: 64}")
                    + fixed(8192, 1024, "{tp: 8, conc-start: 4, conc-end: 64}"));

    /** The pytest multinode fixture: one disagg 1k1k item with conc-list [2150]. */
    private static final String MULTI = entry("dsr1-fp4-gb200-dynamo-trt", true,
            fixed(1024, 1024, mnItem("conc-list: [2150]")));

    // ---- sequence-length names ----

    @Test
    void expNameUsesTheGeneratorsNamesFor1k1kAnd8k1kOnly() {
        String yaml = one("a", 1024, 1024) + one("b", 8192, 1024) + one("c", 2048, 2048) + one("d", 4096, 1024)
                + one("e", 1024, 8192);

        assertThat(expand(yaml)).extracting(MatrixPoint::expName)
                .containsExactly("a_1k1k", "b_8k1k", "c_2048_2048", "d_4096_1024", "e_1024_8192");
    }

    @Test
    void seqLensFilterKnowsOnly1k1kAnd8k1k() {
        YamlFieldException e = parseError(filters("seq-lens: [1k8k]") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.seq-lens[0]");
        assertThat(e.problem()).isEqualTo("expected one of: 1k1k, 8k1k; got \"1k8k\"");
    }

    // ---- full-sweep, single-node ----

    @Test
    void fullSweepGivesOnePointPerStepOfEachRange() {
        // 4, 8, 16, 32, 64 at each of the two seq-lens.
        List<MatrixPoint> points = expand(filters("evals: none") + SINGLE);

        assertThat(points).extracting(MatrixPoint::isl, MatrixPoint::singleConc).containsExactly(
                tuple(1024, 4), tuple(1024, 8), tuple(1024, 16), tuple(1024, 32), tuple(1024, 64),
                tuple(8192, 4), tuple(8192, 8), tuple(8192, 16), tuple(8192, 32), tuple(8192, 64));
    }

    @Test
    void singleNodePointCarriesTheEntryAndTheGeneratorsDefaults() {
        Map<String, Object> point = expand(filters("seq-lens: [1k1k]") + SINGLE).get(0).toInferenceMax();

        assertThat(point).containsEntry("image", "img").containsEntry("model", "org/dsr1")
                .containsEntry("model-prefix", "dsr1").containsEntry("precision", "fp8")
                .containsEntry("framework", "sglang").containsEntry("runner", "mi300x").containsEntry("tp", 8)
                .containsEntry("ep", 1).containsEntry("dp-attn", false).containsEntry("spec-decoding", "none")
                .containsEntry("conc", 4).containsEntry("max-model-len", 1024 + 1024 + 256)
                .containsEntry("exp-name", "dsr1_1k1k").containsEntry("disagg", false).containsEntry("run-eval", false);
    }

    @Test
    void modelPrefixFilterMatchesTheStartOfTheConfigKey() {
        String yaml = SINGLE + one("a", 1024, 1024);

        assertThat(keys(filters("model-prefix: [dsr1]") + yaml)).containsExactly("dsr1-fp8-mi300x-sglang");
        assertThat(keys(filters("model-prefix: [nonexistent]") + yaml)).isEmpty();
    }

    @Test
    void precisionFrameworkAndRunnerTypeFiltersSelectEntries() {
        String yaml = SINGLE + entry("gptoss-fp4-h100-vllm", false, fixed(1024, 1024, "{tp: 2, conc-list: [4]}"));

        assertThat(keys(filters("precision: [fp4]") + yaml)).containsExactly("gptoss-fp4-h100-vllm");
        assertThat(keys(filters("framework: [sglang]") + yaml)).containsExactly("dsr1-fp8-mi300x-sglang");
        assertThat(keys(filters("runner-type: [h100]") + yaml)).containsExactly("gptoss-fp4-h100-vllm");
        assertThat(keys(filters("runner-type: [b200]") + yaml)).isEmpty();
    }

    @Test
    void runnerTypeThatRunnersYamlDoesNotKnowIsAnError() {
        YamlFieldException e = expandError(filters("runner-type: [h999]") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.runner-type");
        assertThat(e.problem()).startsWith("unknown runner type(s) [h999]");
    }

    @Test
    void seqLensFilterKeepsTheNamedSeqLen() {
        assertThat(expand(filters("seq-lens: [8k1k]") + SINGLE)).extracting(MatrixPoint::isl).containsOnly(8192)
                .hasSize(5);
    }

    @Test
    void singleNodeMaxConcCutsTheRangeAtTheMaximum() {
        // 4..64 ends at 16: 4, 8, 16.
        assertThat(concs(filters("seq-lens: [1k1k]\n    max-conc: 16") + SINGLE)).containsExactly(4, 8, 16);
    }

    @Test
    void singleNodeMaxConcBelowTheRangeRunsAtTheMaximum() {
        // conc-start 4 > max-conc 1: the range becomes 1..1.
        assertThat(concs(filters("seq-lens: [1k1k]\n    max-conc: 1") + SINGLE)).containsExactly(1);
    }

    @Test
    void singleNodeMinConcRaisesTheStartAndStepsFromThere() {
        // start max(4, 5) = 5, doubling: 5, 10, 20, 40, then the end 64.
        assertThat(concs(filters("seq-lens: [1k1k]\n    min-conc: 5") + SINGLE)).containsExactly(5, 10, 20, 40, 64);
    }

    @Test
    void singleNodeRangeEndingBelowMinConcGivesNoPoints() {
        assertThat(expand(filters("min-conc: 65") + SINGLE)).isEmpty();
    }

    @Test
    void zeroFilterNumbersAreRejectedWhereTheGeneratorSkipsEverything() {
        // Deliberately stricter (README "Sweep files": the filters' numbers must be positive): the generator takes
        // --max-conc/--max-tp/--max-ep 0 or below and silently generates nothing.
        for (String filter : List.of("max-conc", "max-tp", "max-ep", "min-conc")) {
            YamlFieldException e = parseError(filters(filter + ": 0") + SINGLE);

            assertThat(e.field()).isEqualTo("sweep.filters." + filter);
            assertThat(e.problem()).isEqualTo("expected a positive integer, got 0");
        }
    }

    @Test
    void maxTpLeavesOutItemsAboveItWithoutClamping() {
        String yaml = entry("test-fp8-mi300x-sglang", false, fixed(1024, 1024,
                "{tp: 4, conc-start: 4, conc-end: 64}", "{tp: 8, conc-start: 4, conc-end: 64}"));

        List<MatrixPoint> points = expand(filters("max-tp: 4") + yaml);

        assertThat(points).hasSize(5).extracting(MatrixPoint::tp).containsOnly(4);
        assertThat(expand(filters("max-tp: 2") + SINGLE)).isEmpty();
    }

    @Test
    void stepSizeIsTheFactorBetweenConcurrencies() {
        assertThat(concs(filters("seq-lens: [1k1k]\n    step-size: 4") + SINGLE)).containsExactly(4, 16, 64);
    }

    @Test
    void maxModelLenIsIslPlusOslPlus256() {
        assertThat(expand(SINGLE)).allSatisfy(p -> assertThat(p.maxModelLen()).isEqualTo(p.isl() + p.osl() + 256));
    }

    @Test
    void runnerNodeFilterPutsEachPointOnEveryMatchingNodeOfItsLabel() {
        List<MatrixPoint> points = expand(filters("runner-type: [mi300x]\n    runner-node-filter: amd\n"
                + "    seq-lens: [1k1k]\n    max-conc: 4") + SINGLE);

        assertThat(points).extracting(MatrixPoint::runner).containsExactly("mi300x-amd_0", "mi300x-amd_1");
    }

    @Test
    void runnerNodeFilterWithoutRunnerTypeUsesEachEntrysLabel() {
        List<MatrixPoint> points = expand(filters("runner-node-filter: amd\n    seq-lens: [1k1k]\n    max-conc: 4")
                + SINGLE);

        assertThat(points).extracting(MatrixPoint::runner).containsExactly("mi300x-amd_0", "mi300x-amd_1");
    }

    @Test
    void runnerNodeFilterMatchingNoNodeLeavesTheEntryOut() {
        assertThat(expand(filters("runner-node-filter: nonexistent") + SINGLE)).isEmpty();
    }

    @Test
    void epAndDpAttnAndSpecDecodingPassThrough() {
        String yaml = entry("test-fp8-b200-sglang", false, fixed(1024, 1024,
                "{tp: 4, ep: 4, dp-attn: true, spec-decoding: mtp, conc-start: 4, conc-end: 4}"));

        MatrixPoint point = expand(yaml).get(0);

        assertThat(point.ep()).isEqualTo(4);
        assertThat(point.dpAttn()).isTrue();
        assertThat(point.specDecoding()).isEqualTo("mtp");
        assertThat(point.disagg()).isFalse();
    }

    @Test
    void maxEpClampsEpInsteadOfSkipping() {
        String yaml = entry("test-fp8-b200-sglang", false, fixed(1024, 1024, "{tp: 8, ep: 8, conc-start: 4, conc-end: 4}"));

        assertThat(expand(filters("max-ep: 2") + yaml)).extracting(MatrixPoint::ep).containsExactly(2);
    }

    @Test
    void maxTpSkipsMaxEpClampsAndMaxConcClampsTogether() {
        String yaml = entry("test-fp8-b200-sglang", false, fixed(1024, 1024,
                "{tp: 8, ep: 8, conc-start: 100, conc-end: 200}", "{tp: 2, ep: 8, conc-start: 100, conc-end: 200}"));

        List<MatrixPoint> points = expand(filters("max-tp: 2\n    max-ep: 1\n    max-conc: 1") + yaml);

        assertThat(points).extracting(MatrixPoint::tp, MatrixPoint::ep, MatrixPoint::singleConc)
                .containsExactly(tuple(2, 1, 1));
    }

    // ---- full-sweep, multinode ----

    @Test
    void multinodeItemIsOnePointWithItsWholeConcList() {
        List<MatrixPoint> points = expand(MULTI);

        assertThat(points).hasSize(1);
        Map<String, Object> point = points.get(0).toInferenceMax();
        assertThat(point.get("conc")).isEqualTo(List.of(2150));
        assertThat(point).containsEntry("disagg", true).containsKeys("prefill", "decode").doesNotContainKey("tp");
        assertThat(points.get(0).prefill().numWorker()).isEqualTo(5);
        assertThat(points.get(0).decode().numWorker()).isEqualTo(1);
    }

    @Test
    void multinodeRangeBecomesOneConcList() {
        String yaml = entry("test-fp4-gb200-dynamo-trt", true, fixed(1024, 1024, mnItem("conc-start: 1, conc-end: 8")));

        assertThat(expand(yaml).get(0).conc()).containsExactly(1, 2, 4, 8);
    }

    @Test
    void multinodeMaxConcBelowEveryValueRunsAtTheMaximum() {
        String yaml = entry("test-fp4-gb200-dynamo-trt", true, fixed(1024, 1024, mnItem("conc-list: [100, 200, 400]")));

        assertThat(expand(filters("max-conc: 1") + yaml).get(0).conc()).containsExactly(1);
        assertThat(expand(filters("max-conc: 250") + yaml).get(0).conc()).containsExactly(100, 200);
    }

    @Test
    void multinodeMinConcDropsLowerValuesAndTheItemWhenNoneIsLeft() {
        String yaml = entry("test-fp4-gb200-dynamo-trt", true, fixed(1024, 1024, mnItem("conc-list: [1, 2, 4, 8]")));

        assertThat(expand(filters("min-conc: 3") + yaml).get(0).conc()).containsExactly(4, 8);
        assertThat(expand(filters("min-conc: 9") + yaml)).isEmpty();
    }

    @Test
    void maxTpAndMaxEpDoNotApplyToMultinodeItems() {
        List<MatrixPoint> points = expand(filters("max-tp: 1\n    max-ep: 1") + MULTI);

        assertThat(points).hasSize(1);
        assertThat(points.get(0).decode().ep()).isEqualTo(8);
    }

    @Test
    void runnerNodeFilterExpandsMultinodePointsToo() {
        String yaml = entry("test-fp8-h200-dynamo-sglang", true, fixed(1024, 1024, mnItem("conc-list: [100]")));

        assertThat(expand(filters("runner-type: [h200]\n    runner-node-filter: cw") + yaml))
                .extracting(MatrixPoint::runner).containsExactly("h200-cw_0", "h200-cw_1");
    }

    // ---- node-type flags (the generator's --single-node / --multi-node and apply_node_type_defaults) ----

    @Test
    void withoutNodeTypeFlagsBothKindsAreGenerated() {
        assertThat(expand(SINGLE + MULTI)).extracting(MatrixPoint::multinode).contains(true, false);
    }

    @Test
    void multiNodeFalseIsTheGeneratorsSingleNodeFlag() {
        List<MatrixPoint> points = expand(filters("multi-node: false") + SINGLE + MULTI);

        assertThat(points).isNotEmpty().allSatisfy(p -> assertThat(p.toInferenceMax()).containsKey("tp")
                .doesNotContainKey("prefill"));
        assertThat(expand(filters("multi-node: false") + MULTI)).isEmpty();
    }

    @Test
    void singleNodeFalseIsTheGeneratorsMultiNodeFlag() {
        assertThat(expand(filters("single-node: false") + SINGLE + MULTI)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toInferenceMax()).containsKey("prefill"));
    }

    @Test
    void bothNodeTypesOffIsRejectedRatherThanMeaningBoth() {
        // Deliberately different (README "Sweep files"): the generator reads "neither flag" as both, but a sweep
        // file that switches both kinds off explicitly would select nothing.
        YamlFieldException e = parseError(filters("single-node: false\n    multi-node: false") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.multi-node");
    }

    @Test
    void testConfigTakesNoNodeTypeFlag() {
        YamlFieldException e = parseError("sweep:\n  generate: test-config\n  filters:\n"
                + "    config-keys: [dsr1-fp8-mi300x-sglang]\n    multi-node: false\n" + SINGLE);

        // The two flags are one setting (which node kinds), reported under the first of its names.
        assertThat(e.field()).isEqualTo("sweep.filters.single-node");
        assertThat(e.problem()).startsWith("'single-node' does not apply to generate: test-config");
    }

    // ---- runner-model-sweep ----

    private static String runnerSweep(String filterLines) {
        return "sweep:\n  generate: runner-model-sweep\n  filters:\n    runner-type: [mi300x]\n" + filterLines;
    }

    @Test
    void runnerModelSweepRunsEachConfigOnceOnEveryNodeOfTheLabel() {
        List<MatrixPoint> points = expand(runnerSweep("") + SINGLE);

        assertThat(points).extracting(MatrixPoint::runner).containsExactly("mi300x-amd_0", "mi300x-amd_1", "mi300x-cr_0");
        assertThat(points).allSatisfy(p -> {
            assertThat(p.isl()).isEqualTo(1024);
            assertThat(p.osl()).isEqualTo(1024);
            assertThat(p.maxModelLen()).isEqualTo(2048);
            assertThat(p.expName()).isEqualTo("dsr1_test");
            assertThat(p.runEval()).isFalse();
        });
    }

    @Test
    void runnerModelSweepTakesTheHighestTpItemAtItsLowestConc() {
        String yaml = entry("test-fp8-mi300x-sglang", false, fixed(1024, 1024,
                "{tp: 4, conc-start: 2, conc-end: 64}", "{tp: 8, ep: 2, conc-start: 8, conc-end: 64}",
                "{tp: 8, conc-start: 1, conc-end: 4}"));

        // The first tp-8 item wins; its conc-start is the concurrency.
        assertThat(expand(runnerSweep("") + yaml)).extracting(MatrixPoint::tp, MatrixPoint::ep, MatrixPoint::singleConc)
                .containsOnly(tuple(8, 2, 8));
    }

    @Test
    void runnerModelSweepTakesAConcListsLowestValue() {
        String yaml = entry("test-fp8-mi300x-sglang", false, fixed(1024, 1024, "{tp: 8, conc-list: [32, 4, 16]}"));

        assertThat(expand(runnerSweep("") + yaml)).extracting(MatrixPoint::singleConc).containsOnly(4);
    }

    @Test
    void runnerModelSweepConcReplacesTheLowestConcurrency() {
        assertThat(expand(runnerSweep("    conc: [16]\n") + SINGLE)).extracting(MatrixPoint::singleConc).containsOnly(16);
    }

    @Test
    void runnerModelSweepFiltersByModelPrefixPrecisionAndFramework() {
        assertThat(expand(runnerSweep("    model-prefix: [dsr1]\n    precision: [fp8]\n    framework: [sglang]\n")
                + SINGLE)).hasSize(3);
        assertThat(expand(runnerSweep("    model-prefix: [nonexistent]\n") + SINGLE)).isEmpty();
        assertThat(expand(runnerSweep("    precision: [fp4]\n") + SINGLE)).isEmpty();
        assertThat(expand(runnerSweep("    framework: [vllm]\n") + SINGLE)).isEmpty();
    }

    @Test
    void runnerModelSweepRunnerNodeFilterNarrowsTheNodes() {
        assertThat(expand(runnerSweep("    runner-node-filter: amd\n    precision: [fp8]\n") + SINGLE))
                .extracting(MatrixPoint::runner).containsExactly("mi300x-amd_0", "mi300x-amd_1");
    }

    @Test
    void runnerModelSweepRunnerNodeFilterMatchingNothingIsAnError() {
        YamlFieldException e = expandError(runnerSweep("    runner-node-filter: nonexistent\n") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.runner-node-filter");
        assertThat(e.problem()).isEqualTo("no runner nodes of 'mi300x' contain 'nonexistent'");
    }

    @Test
    void runnerModelSweepOnALabelRunnersYamlDoesNotKnowIsAnError() {
        YamlFieldException e = expandError(runnerSweep("").replace("[mi300x]", "[nonexistent]") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.runner-type");
        assertThat(e.problem()).startsWith("runner 'nonexistent' does not exist in runners.yaml");
    }

    @Test
    void runnerModelSweepSkipsConfigsWithout1k1k() {
        String yaml = entry("test-fp8-mi300x-sglang", false, fixed(8192, 1024, "{tp: 8, conc-list: [4]}"));

        assertThat(expand(runnerSweep("") + yaml)).isEmpty();
    }

    @Test
    void runnerModelSweepMultinodeTakesTheItemWithTheLowestListedConc() {
        // A range item counts as infinitely high (only conc-list values compete); workers without
        // additional-settings get an empty list.
        String yaml = entry("test-fp4-gb200-dynamo-trt", true, fixed(1024, 1024,
                mnItem("conc-start: 1, conc-end: 64"), mnItem("conc-list: [64, 32]", 2),
                mnItem("conc-list: [16, 512]", 3)));

        List<MatrixPoint> points = expand("sweep:\n  generate: runner-model-sweep\n  filters:\n"
                + "    runner-type: [gb200]\n" + yaml);

        assertThat(points).hasSize(1);
        assertThat(points.get(0).conc()).containsExactly(16);
        assertThat(points.get(0).prefill().numWorker()).isEqualTo(3);
        assertThat(points.get(0).toInferenceMax()).containsEntry("max-model-len", 2048)
                .containsEntry("exp-name", "test_test");
        assertThat(points.get(0).prefill().additionalSettings()).isEmpty();
    }

    @Test
    void runnerModelSweepMultinodeWithOnlyRangesUsesTheFirstItemsConcStart() {
        String yaml = entry("test-fp4-gb200-dynamo-trt", true, fixed(1024, 1024,
                mnItem("conc-start: 8, conc-end: 64"), mnItem("conc-start: 2, conc-end: 64", 2)));

        List<MatrixPoint> points = expand("sweep:\n  generate: runner-model-sweep\n  filters:\n"
                + "    runner-type: [gb200]\n" + yaml);

        assertThat(points).extracting(p -> p.prefill().numWorker(), MatrixPoint::conc)
                .containsExactly(tuple(5, List.of(8)));
    }

    @Test
    void runnerModelSweepNodeTypeFlagsSelectAsInFullSweep() {
        String both = "sweep:\n  generate: runner-model-sweep\n  filters:\n    runner-type: [gb200]\n";
        assertThat(expand(both + SINGLE + MULTI)).isNotEmpty().allSatisfy(p -> assertThat(p.multinode()).isTrue());
        assertThat(expand(runnerSweep("") + SINGLE + MULTI)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.multinode()).isFalse());
        assertThat(expand(both + "    multi-node: false\n" + SINGLE + MULTI)).isEmpty();
        assertThat(expand(runnerSweep("    single-node: false\n") + SINGLE + MULTI)).isEmpty();
    }

    // ---- test-config ----

    private static final String GLOB_KEYS = entry("dsr1-fp4-b200-sglang", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"))
            + entry("dsr1-fp8-mi300x-sglang", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"))
            + entry("dsr1-fp8-h200-trt", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"))
            + entry("gptoss-fp4-b200-vllm", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"))
            + entry("gptoss-fp8-b200-sglang", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"));

    private static String testConfig(String keys, String more) {
        return "sweep:\n  generate: test-config\n  filters:\n    config-keys: " + keys + "\n" + more;
    }

    @Test
    void testConfigExpandsExactKeysAndGlobsInFileOrderWithoutDuplicates() {
        assertThat(keys(testConfig("[dsr1-fp4-b200-sglang, dsr1-fp8-h200-trt]", "") + GLOB_KEYS))
                .containsExactly("dsr1-fp4-b200-sglang", "dsr1-fp8-h200-trt");
        assertThat(keys(testConfig("['*-sglang']", "") + GLOB_KEYS))
                .containsExactly("dsr1-fp4-b200-sglang", "dsr1-fp8-mi300x-sglang", "gptoss-fp8-b200-sglang");
        assertThat(keys(testConfig("['dsr1*']", "") + GLOB_KEYS))
                .containsExactly("dsr1-fp4-b200-sglang", "dsr1-fp8-mi300x-sglang", "dsr1-fp8-h200-trt");
        assertThat(keys(testConfig("['dsr1-fp8-mi300?-sglang']", "") + GLOB_KEYS)).containsExactly("dsr1-fp8-mi300x-sglang");
        assertThat(keys(testConfig("[gptoss-fp4-b200-vllm, 'dsr1-fp8*']", "") + GLOB_KEYS))
                .containsExactly("gptoss-fp4-b200-vllm", "dsr1-fp8-mi300x-sglang", "dsr1-fp8-h200-trt");
        assertThat(expand(testConfig("['dsr1*', '*-sglang']", "") + GLOB_KEYS)).extracting(MatrixPoint::configKey)
                .containsExactly("dsr1-fp4-b200-sglang", "dsr1-fp8-mi300x-sglang", "dsr1-fp8-h200-trt",
                        "gptoss-fp8-b200-sglang");
    }

    @Test
    void testConfigPatternOrKeyMatchingNothingIsAnError() {
        YamlFieldException pattern = parseError(testConfig("['nonexistent*']", "") + GLOB_KEYS);
        YamlFieldException key = parseError(testConfig("[dsr1-fp4-b200-sglang, nonexistent-key]", "") + GLOB_KEYS);

        assertThat(pattern.field()).isEqualTo("sweep.filters.config-keys[0]");
        assertThat(pattern.problem()).startsWith("pattern 'nonexistent*' matches no config key");
        assertThat(key.field()).isEqualTo("sweep.filters.config-keys[1]");
        assertThat(key.problem()).startsWith("no config key 'nonexistent-key' in this sweep");
    }

    @Test
    void testConfigRunsEveryItemInFullAndConcKeepsOnlyTheNamedValues() {
        String yaml = testConfig("[dsr1-fp8-mi300x-sglang]", "") + SINGLE;

        assertThat(expand(yaml)).hasSize(10);
        assertThat(concs(testConfig("[dsr1-fp8-mi300x-sglang]", "    conc: [8, 64, 5]\n    seq-lens: [8k1k]\n")
                + SINGLE)).containsExactly(8, 64);
    }

    @Test
    void testConfigDoublesRangesAndTakesNoStepSize() {
        YamlFieldException e = parseError(testConfig("[dsr1-fp8-mi300x-sglang]", "    step-size: 4\n") + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.filters.step-size");
        assertThat(e.problem()).startsWith("'step-size' does not apply to generate: test-config");
    }

    @Test
    void testConfigConcWithNoMatchInAMultinodeItemLeavesItOut() {
        assertThat(expand(testConfig("[dsr1-fp4-gb200-dynamo-trt]", "    conc: [4]\n") + MULTI)).isEmpty();
    }

    @Test
    void testConfigRunnerNodeFilterCanNameOneNode() {
        assertThat(expand(testConfig("[dsr1-fp4-gb200-dynamo-trt]", "    runner-node-filter: gb200-nv_0\n") + MULTI))
                .extracting(MatrixPoint::runner).containsExactly("gb200-nv_0");
        assertThat(expand(testConfig("[dsr1-fp4-gb200-dynamo-trt]", "    runner-node-filter: gb300-nv_0\n") + MULTI))
                .isEmpty();
    }

    @Test
    void testConfigRunnerNodeFilterAlsoKeepsTheLabelItselfWhenItMatches() {
        assertThat(expand(testConfig("[dsr1-fp4-gb200-dynamo-trt]", "    runner-node-filter: gb200\n") + MULTI))
                .extracting(MatrixPoint::runner).containsExactly("gb200", "gb200-nv_0");
    }

    @Test
    void testConfigRunnerNodeFilterExpandsAgenticPoints() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, null,
                agenticBlock(1800, "{tp: 8, ep: 1, offloading: hicache, conc-list: [64]}"));

        List<MatrixPoint> points = expand(testConfig("[qwen-fp8-mi300x-sglang]",
                "    scenario-type: [agentic-coding]\n    runner-node-filter: mi300x-amd_1\n") + yaml);

        assertThat(points).hasSize(1);
        assertThat(points.get(0).runner()).isEqualTo("mi300x-amd_1");
        assertThat(points.get(0).toInferenceMax()).containsEntry("scenario-type", "agentic-coding");
    }

    // ---- agentic-coding points ----

    @Test
    void agenticSingleNodePointsCarryTraceFieldsAndNoSeqLens() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, null,
                agenticBlock(900, "{tp: 8, conc-start: 1, conc-end: 4}"));

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::singleConc).containsExactly(1, 2, 4);
        assertThat(points.get(1).toInferenceMax()).containsEntry("tp", 8).containsEntry("ep", 1)
                .containsEntry("dp-attn", false).containsEntry("conc", 2).containsEntry("offloading", "none")
                .containsEntry("duration", 900).containsEntry("exp-name", "qwen_tp8_conc2_offloadnone")
                .containsEntry("scenario-type", "agentic-coding").doesNotContainKeys("isl", "osl", "run-eval");
    }

    @Test
    void agenticDurationDefaultsTo1800Seconds() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, null, "    agentic-coding:\n"
                + "    - search-space:\n      - {tp: 8, conc-list: [1]}\n");

        assertThat(expand(yaml).get(0).agentic().durationSeconds()).isEqualTo(1800);
    }

    @Test
    void agenticMultinodePointIsOnePointPerConcNamedByItsWorkers() {
        String yaml = entry("dsv4-fp4-gb200-dynamo-sglang", true, null,
                agenticBlock(1800, mnItem("conc-list: [8, 16]", 2)));

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::expName)
                .containsExactly("dsv4_p2x4_d1x8_conc8", "dsv4_p2x4_d1x8_conc16");
        assertThat(points.get(0).toInferenceMax()).containsEntry("conc", 8).containsEntry("disagg", true)
                .containsEntry("scenario-type", "agentic-coding").containsKeys("prefill", "decode", "duration")
                .doesNotContainKeys("isl", "run-eval", "offloading");
    }

    @Test
    void agenticConcFiltersOnlyDropValuesAndNeverClamp() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, null, agenticBlock(1800, "{tp: 8, conc-list: [1, 2, 4, 8]}"));

        assertThat(concs(filters("min-conc: 2\n    max-conc: 4") + yaml)).containsExactly(2, 4);
        // Unlike single-node and multinode, a max-conc below every value gives no point rather than one at the max.
        assertThat(expand(filters("max-conc: 1") + yaml.replace("[1, 2, 4, 8]", "[2, 4]"))).isEmpty();
    }

    @Test
    void agenticRangesFollowStepSizeInFullSweep() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, null, agenticBlock(1800, "{tp: 8, conc-start: 1, conc-end: 16}"));

        assertThat(concs(filters("step-size: 4") + yaml)).containsExactly(1, 4, 16);
    }

    @Test
    void agenticItemsIgnoreMaxTpAndTheNodeTypeFlags() {
        String single = entry("qwen-fp8-mi300x-sglang", false, null, agenticBlock(1800, "{tp: 8, conc-list: [1]}"));
        String multi = entry("dsv4-fp4-gb200-dynamo-sglang", true, null, agenticBlock(1800, mnItem("conc-list: [8]")));

        assertThat(expand(filters("max-tp: 1\n    single-node: false") + single)).hasSize(1);
        assertThat(expand(filters("multi-node: false") + multi)).hasSize(1);
    }

    @Test
    void scenarioTypeSelectsFixedOrAgenticPoints() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, fixed(1024, 1024, "{tp: 8, conc-list: [4]}"),
                agenticBlock(1800, "{tp: 8, conc-list: [1]}"));

        assertThat(expand(filters("scenario-type: [agentic-coding]") + yaml)).singleElement()
                .satisfies(p -> assertThat(p.isAgentic()).isTrue());
        assertThat(expand(filters("scenario-type: [fixed-seq-len]") + yaml)).singleElement()
                .satisfies(p -> assertThat(p.isAgentic()).isFalse());
        assertThat(expand(yaml)).hasSize(2);
    }

    // ---- eval marking ----

    @Test
    void singleNodeEvalIgnoresConcsBelow16AndMarksTheMedianAndHighest() {
        // Eligible 16, 32, 64: median (index 1) 32 and highest 64.
        String yaml = entry("dsr1-fp8-b200-sglang", false, fixed(8192, 1024, "{tp: 8, conc-list: [8, 16, 32, 64]}"));

        assertThat(expand(yaml)).extracting(MatrixPoint::singleConc, MatrixPoint::runEval)
                .containsExactly(tuple(8, false), tuple(16, false), tuple(32, true), tuple(64, true));
    }

    @Test
    void singleNodeEvalMarksEveryTpAtTheChosenConcs() {
        // One group (same dp-attn and spec-decoding) with concs 32, 128, 512: 128 and 512 at both tps.
        String yaml = entry("m-fp8-r-f", false, fixed(8192, 1024,
                "{tp: 2, conc-list: [32, 128, 512]}", "{tp: 4, conc-list: [128, 512]}"));

        assertThat(expand(yaml)).extracting(MatrixPoint::tp, MatrixPoint::singleConc, MatrixPoint::runEval)
                .containsExactly(tuple(2, 32, false), tuple(2, 128, true), tuple(2, 512, true),
                        tuple(4, 128, true), tuple(4, 512, true));
    }

    @Test
    void pointsOtherThan8k1kAreNeverMarkedSoNotEveryPointIs() {
        String yaml = entry("m-fp8-r-f", false, fixed(8192, 1024, "{tp: 2, conc-list: [32, 64, 128, 256, 512]}")
                + fixed(1024, 1024, "{tp: 2, conc-list: [512]}"));

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).filteredOn(p -> p.isl() == 1024).extracting(MatrixPoint::runEval).containsExactly(false);
        assertThat(points).extracting(MatrixPoint::runEval).contains(false, true);
    }

    @Test
    void multinodeGroupWithNoConcOf16IsNotMarked() {
        String yaml = entry("dsr1-fp8-b200-dynamo-trt", true, fixed(8192, 1024, mnItem("conc-list: [1]")));

        MatrixPoint point = expand(yaml).get(0);

        assertThat(point.runEval()).isFalse();
        assertThat(point.toInferenceMax()).doesNotContainKey("eval-conc");
    }

    @Test
    void multinodeEvalMarksTheHighestMaxConcItemAtTheMedianOfItsEligibleConcs() {
        // Same group; [8, 16, 32] wins over [8] (which has nothing eligible); eligible 16, 32 -> index 1 = 32.
        String yaml = entry("dsr1-fp8-b200-dynamo-trt", true, fixed(8192, 1024,
                mnItem("conc-list: [8, 16, 32]"), mnItem("conc-list: [8]")));

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::runEval).containsExactly(true, false);
        assertThat(points.get(0).toInferenceMax()).containsEntry("eval-conc", 32);
    }

    @Test
    void agenticPointsAreNeverMarkedAndHaveNoRunEvalField() {
        String yaml = entry("qwen-fp8-mi300x-sglang", false, fixed(8192, 1024, "{tp: 8, conc-list: [64]}"),
                agenticBlock(1800, "{tp: 8, conc-list: [64]}"));

        List<MatrixPoint> points = expand(yaml);

        assertThat(points).extracting(MatrixPoint::isAgentic, MatrixPoint::runEval)
                .containsExactly(tuple(false, true), tuple(true, false));
        assertThat(points.get(1).toInferenceMax()).doesNotContainKey("run-eval");
    }

    @Test
    void byDefaultMarkedPointsStayInTheBenchmarkMatrix() {
        List<MatrixPoint> points = expand(SINGLE);

        assertThat(points).hasSize(10);
        assertThat(points).filteredOn(MatrixPoint::runEval).extracting(MatrixPoint::isl, MatrixPoint::singleConc)
                .containsExactly(tuple(8192, 32), tuple(8192, 64));
        assertThat(points).noneMatch(MatrixPoint::evalOnly);
    }

    @Test
    void noEvalsMarksNothing() {
        assertThat(expand(filters("evals: none") + SINGLE)).hasSize(10).noneMatch(MatrixPoint::runEval);
    }

    @Test
    void evalsOnlyKeepsTheMarkedPointsFlaggedEvalOnlyAndDropsAgenticOnes() {
        String yaml = SINGLE + entry("qwen-fp8-mi300x-sglang", false, null, agenticBlock(1800, "{tp: 8, conc-list: [64]}"));

        List<MatrixPoint> points = expand(filters("evals: only") + yaml);

        assertThat(points).extracting(MatrixPoint::singleConc).containsExactly(32, 64);
        assertThat(points).allSatisfy(p -> assertThat(p.toInferenceMax()).containsEntry("eval-only", true)
                .containsEntry("run-eval", true));
    }

    // ---- both schemas, and where runners.yaml comes from ----

    @Test
    void theSeqLenConfigsSchemaGivesTheSamePointsAsScenarios() {
        String may = SINGLE.replace("  scenarios:\n    fixed-seq-len:\n", "  seq-len-configs:\n")
                .replace("\n    ", "\n  ");

        List<MatrixPoint> mayPoints = expand(may);

        assertThat(mayPoints).extracting(MatrixPoint::toInferenceMax)
                .containsExactlyElementsOf(expand(SINGLE).stream().map(MatrixPoint::toInferenceMax).toList());
    }

    @Test
    void runnersYamlBesideTheSweepFileIsReadAndANamedOneReplacesIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("runners.yaml"), "mi300x: [mi300x-amd_0]\n");
        Files.createDirectories(dir.resolve("custom"));
        Files.writeString(dir.resolve("custom/runners.yaml"), "mi300x: [mi300x-amd_7, mi300x-cr_0]\n");
        Path beside = dir.resolve("beside.yaml");
        Files.writeString(beside, filters("runner-node-filter: amd") + SINGLE);
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, "sweep:\n  runner-config: custom/runners.yaml\n  filters:\n"
                + "    runner-node-filter: amd\n" + SINGLE);

        SweepParser parser = new SweepParser();
        assertThat(new MatrixExpander().expand(parser.parse(beside))).extracting(MatrixPoint::runner)
                .containsOnly("mi300x-amd_0");
        assertThat(new MatrixExpander().expand(parser.parse(named))).extracting(MatrixPoint::runner)
                .containsOnly("mi300x-amd_7");
    }

    // ---- helpers: YAML builders keep each input readable ----

    /**
     * A scenarios-schema entry whose key reads {@code <model-prefix>-<precision>-<runner>-<framework>}; fixed and
     * agentic are the lists under scenarios (null: none).
     */
    static String entry(String key, boolean multinode, String fixed, String agentic) {
        String[] parts = key.split("-", 4);
        StringBuilder yaml = new StringBuilder(key).append(":\n  image: img\n  model: org/").append(parts[0])
                .append("\n  model-prefix: ").append(parts[0]).append("\n  precision: ").append(parts[1])
                .append("\n  framework: ").append(parts[3]).append("\n  runner: ").append(parts[2])
                .append("\n  multinode: ").append(multinode).append(multinode ? "\n  disagg: true\n" : "\n")
                .append("  scenarios:\n");
        if (fixed != null) {
            yaml.append("    fixed-seq-len:\n").append(fixed);
        }
        if (agentic != null) {
            yaml.append(agentic);
        }
        return yaml.toString();
    }

    static String entry(String key, boolean multinode, String fixed) {
        return entry(key, multinode, fixed, null);
    }

    static String fixed(int isl, int osl, String... items) {
        StringBuilder yaml = new StringBuilder("    - isl: " + isl + "\n      osl: " + osl + "\n      search-space:\n");
        for (String item : items) {
            yaml.append("      - ").append(item).append('\n');
        }
        return yaml.toString();
    }

    static String agenticBlock(int duration, String... items) {
        StringBuilder yaml = new StringBuilder("    agentic-coding:\n    - duration: " + duration + "\n      search-space:\n");
        for (String item : items) {
            yaml.append("      - ").append(item).append('\n');
        }
        return yaml.toString();
    }

    /** A multinode item: prefill {@code prefillWorkers} x tp 4, decode 1 x tp 8 (ep 8), dp-attn on both. */
    static String mnItem(String conc, int prefillWorkers) {
        return "{" + conc + ", prefill: {num-worker: " + prefillWorkers + ", tp: 4, ep: 4, dp-attn: true},"
                + " decode: {num-worker: 1, tp: 8, ep: 8, dp-attn: true}}";
    }

    static String mnItem(String conc) {
        return mnItem(conc, 5);
    }

    /** A single-node entry {@code <prefix>-fp8-mi300x-sglang} with one item at (isl, osl). */
    private static String one(String prefix, int isl, int osl) {
        return entry(prefix + "-fp8-mi300x-sglang", false, fixed(isl, osl, "{tp: 1, conc-list: [1]}"));
    }

    static String filters(String body) {
        return "sweep:\n  filters:\n    " + body + "\n";
    }

    private static List<MatrixPoint> expand(String yaml) {
        return new MatrixExpander().expand(sweep(yaml));
    }

    private static SweepFile sweep(String yaml) {
        return new SweepParser().parse(yaml, "test.yaml", null).withRunners(RUNNERS);
    }

    private static List<Integer> concs(String yaml) {
        return expand(yaml).stream().map(MatrixPoint::singleConc).toList();
    }

    private static List<String> keys(String yaml) {
        return expand(yaml).stream().map(MatrixPoint::configKey).distinct().toList();
    }

    private static YamlFieldException parseError(String yaml) {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class,
                () -> new SweepParser().parse(yaml, "test.yaml", null));
        assertThat(e).as("expected a YamlFieldException for:\n" + yaml).isNotNull();
        return e;
    }

    private static YamlFieldException expandError(String yaml) {
        SweepFile sweep = sweep(yaml);
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> new MatrixExpander().expand(sweep));
        assertThat(e).as("expected a YamlFieldException for:\n" + yaml).isNotNull();
        return e;
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
