package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleConditionsTest {

    private static final ObjectNode CONFIG = TestData.yaml("""
            dynamo: {version: "1.0.1"}
            backend: {type: vllm, connector: null}
            """);
    private final MatrixPoint seed = TestData.dsv4Seed1k1k();
    private final ClusterProfile h100 = TestData.h100(false);

    private static RuleConditions when(String conditions) {
        return WorkaroundRuleReader.read("test.yaml", """
                - id: r
                  when: %s
                  do: {set: {x: 1}}
                  why: test
                """.formatted(conditions)).get(0).when();
    }

    private boolean matches(String conditions) {
        return when(conditions).matches(seed, h100, CONFIG);
    }

    @Test
    void ruleWithoutConditionsMatchesEveryPoint() {
        assertThat(RuleConditions.ANY.matches(seed, h100, CONFIG)).isTrue();
        assertThat(RuleConditions.ANY.matches(TestData.singleNode("x", "sglang", "fp4", 1), TestData.gb200(), CONFIG)).isTrue();
    }

    @Test
    void listConditionsMatchAnyOfTheirValuesIgnoringCase() {
        assertThat(matches("{model-prefix: [dsr1, DSV4]}")).isTrue();
        assertThat(matches("{model-prefix: [dsr1]}")).isFalse();
        assertThat(matches("{model-prefix: dsv4}")).as("a single string is a one-item list").isTrue();
    }

    @Test
    void pointFieldConditionsCompareModelFrameworkRunnerAndPrecision() {
        assertThat(matches("{model: [deepseek-ai/DeepSeek-V4-Pro]}")).isTrue();
        assertThat(matches("{model: [deepseek-ai/DeepSeek-R1]}")).isFalse();
        assertThat(matches("{framework: [dynamo-vllm]}")).isTrue();
        assertThat(matches("{framework: [vllm]}")).as("no prefix matching").isFalse();
        assertThat(matches("{runner: [h100-multinode]}")).isTrue();
        assertThat(matches("{runner: [h100]}")).isFalse();
        assertThat(matches("{precision: [fp8]}")).isTrue();
        assertThat(matches("{precision: [fp4]}")).isFalse();
    }

    @Test
    void gpuAndArchitectureComeFromTheProfileHardware() {
        assertThat(matches("{gpu: [h100, h200]}")).isTrue();
        assertThat(matches("{gpu: [gb200]}")).isFalse();
        assertThat(matches("{architecture: [hopper]}")).isTrue();
        assertThat(when("{architecture: [hopper]}").matches(seed, TestData.gb200(), CONFIG)).isFalse();
    }

    @Test
    void multinodeAndDisaggCompareThePointsFlags() {
        MatrixPoint single = TestData.singleNode("dsv4", "vllm", "fp8", 8);
        assertThat(matches("{multinode: true, disagg: true}")).isTrue();
        assertThat(matches("{multinode: false}")).isFalse();
        assertThat(when("{multinode: false, disagg: false}").matches(single, h100, CONFIG)).isTrue();
        assertThat(when("{disagg: true}").matches(single, h100, CONFIG)).isFalse();
    }

    @Test
    void gpuMemoryBelowIsStrictlyBelowTheNominalCardMemory() {
        RuleConditions below100 = when("{gpu-memory-gb-below: 100}");
        assertThat(below100.matches(seed, h100, CONFIG)).isTrue();
        assertThat(below100.matches(seed, TestData.h200(), CONFIG)).isFalse();
        assertThat(when("{gpu-memory-gb-below: 80}").matches(seed, h100, CONFIG)).isFalse();
    }

    @Test
    void crossNodeTpHoldsWhenSomeWorkersTpExceedsGpusPerNode() {
        RuleConditions crossNode = when("{cross-node-tp: true}");
        assertThat(crossNode.matches(TestData.multinode("m", "dynamo-vllm", 1, 16), h100, CONFIG)).isTrue();
        assertThat(crossNode.matches(TestData.multinode("m", "dynamo-vllm", 8, 8), h100, CONFIG))
                .as("tp equal to GPUs per node stays on one node").isFalse();
        assertThat(crossNode.matches(seed, h100, CONFIG)).as("DP16/EP16 with tp 1").isFalse();
        assertThat(when("{cross-node-tp: false}").matches(seed, h100, CONFIG)).isTrue();
        assertThat(crossNode.matches(TestData.multinode("m", "dynamo-vllm", 8, 8),
                TestData.profile("gb", "gb200", "blackwell", 186, 184, 4, 18, false), CONFIG)).isTrue();
    }

    @Test
    void headlessMultinodeComesFromTheProfileFeatures() {
        assertThat(matches("{headless-multinode: false}")).isTrue();
        assertThat(when("{headless-multinode: false}").matches(seed, TestData.h100(true), CONFIG)).isFalse();
        assertThat(when("{headless-multinode: true}").matches(seed, TestData.h100(true), CONFIG)).isTrue();
    }

    @Test
    void recipeHasNeedsEveryPathToExistEvenWithANullValue() {
        assertThat(matches("{recipe-has: [dynamo.version]}")).isTrue();
        assertThat(matches("{recipe-has: [dynamo.version, backend.connector]}")).isTrue();
        assertThat(matches("{recipe-has: [dynamo.version, dynamo.hash]}")).as("all-of, not any-of").isFalse();
        assertThat(matches("{recipe-has: [dynamo.version.major]}")).isFalse();
        assertThat(when("{recipe-has: [dynamo]}").matches(seed, h100, null)).isFalse();
    }

    @Test
    void everyGivenConditionMustHold() {
        assertThat(matches("{model-prefix: [dsv4], framework: [dynamo-vllm], gpu: [h100]}")).isTrue();
        assertThat(matches("{model-prefix: [dsv4], framework: [dynamo-vllm], gpu: [h200]}")).isFalse();
    }

    @Test
    void profileConditionsNeverMatchWithoutAProfile() {
        assertThat(when("{gpu: [h100]}").matches(seed, null, CONFIG)).isFalse();
        assertThat(when("{model-prefix: [dsv4]}").matches(seed, null, null)).isTrue();
    }

    @Test
    void specDecodingAndScenarioTypeCompareThePointsFields() {
        MatrixPoint mtp = TestData.singleNode("dsr1", "sglang", "fp8", 8);
        assertThat(when("{spec-decoding: [none]}").matches(mtp, h100, CONFIG)).isTrue();
        assertThat(when("{spec-decoding: [mtp]}").matches(mtp, h100, CONFIG)).isFalse();
        assertThat(when("{scenario-type: [fixed-seq-len]}").matches(mtp, h100, CONFIG)).isTrue();
        MatrixPoint agentic = new MatrixPoint("key", "image", "org/model", "dsr1", "fp8", "sglang", "h100", 0, 0, 8, 1,
                false, null, null, null, List.of(4), 0, "dsr1_agentic", false, false, false, null, false,
                new MatrixPoint.Agentic(1800, "none"));
        assertThat(when("{scenario-type: [fixed-seq-len]}").matches(agentic, h100, CONFIG)).isFalse();
        assertThat(when("{scenario-type: [agentic-coding]}").matches(agentic, h100, CONFIG)).isTrue();
    }

    @Test
    void ifHoldsWhenItsExpressionOnTheSingleNodePointIsNotZero() {
        MatrixPoint tp8 = TestData.singleNode("dsr1", "sglang", "fp8", 8); // 1k1k, concurrency 16
        assertThat(when("{multinode: false, if: \"tp == 8 && conc >= 16\"}").matches(tp8, h100, CONFIG)).isTrue();
        assertThat(when("{multinode: false, if: \"isl == 8192\"}").matches(tp8, h100, CONFIG)).isFalse();
        assertThat(when("{multinode: false, if: \"dp_attn\"}").matches(tp8, h100, CONFIG)).isFalse();
        assertThat(when("{multinode: false, if: \"max_model_len == isl + osl + 256\"}").matches(tp8, h100, CONFIG))
                .isTrue();
    }
}
