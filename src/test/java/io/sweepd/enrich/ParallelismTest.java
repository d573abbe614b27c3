package io.sweepd.enrich;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelismTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static String args(Parallelism p) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        p.writeTo(args);
        return args.toString();
    }

    private static ObjectNode yaml(String text) throws IOException {
        return (ObjectNode) YAML.readTree(text);
    }

    @Test
    void frameworksMapToTheirEngineFamily() {
        assertThat(Parallelism.engineFor("vllm")).isEqualTo("vllm");
        assertThat(Parallelism.engineFor("dynamo-vllm")).isEqualTo("vllm");
        assertThat(Parallelism.engineFor("sglang")).isEqualTo("sglang");
        assertThat(Parallelism.engineFor("dynamo-sglang")).isEqualTo("sglang");
        assertThat(Parallelism.engineFor("sglang-disagg")).isEqualTo("sglang");
        assertThat(Parallelism.engineFor("trt")).isEqualTo("trtllm");
        assertThat(Parallelism.engineFor("dynamo-trt")).isEqualTo("trtllm");
        assertThat(Parallelism.engineFor("atom")).isEqualTo("atom");
    }

    @Test
    void withoutDpAttentionAWorkerHasTpGpus() {
        assertThat(Parallelism.workerGpus(4, 1, false)).isEqualTo(4);
        assertThat(Parallelism.workerGpus(8, 8, false)).isEqualTo(8);
    }

    @Test
    void withDpAttentionBothSpellingsOfADataParallelWorkerHaveTheSameGpus() {
        // InferenceMAX's master configs: {tp: 8, ep: 8, dp-attn: true}; the seed PR / vLLM: {tp: 1, ep: 8, dp-attn: true}
        assertThat(Parallelism.workerGpus(8, 8, true)).isEqualTo(8);
        assertThat(Parallelism.workerGpus(1, 8, true)).isEqualTo(8);
        assertThat(Parallelism.workerGpus(8, 1, true)).isEqualTo(8);
    }

    @Test
    void vllmDpAttentionIsOneTensorRankPerDataParallelRankOverAllGpus() {
        Parallelism p = Parallelism.forWorker("vllm", 1, 8, true);

        assertThat(args(p)).isEqualTo(
                "{\"tensor-parallel-size\":1,\"data-parallel-size\":8,\"enable-expert-parallel\":true}");
        assertThat(p.gpus()).isEqualTo(8);
    }

    @Test
    void vllmWithoutDpAttentionIsTensorParallelOverTpGpus() {
        Parallelism p = Parallelism.forWorker("vllm", 4, 1, false);

        assertThat(args(p)).isEqualTo("{\"tensor-parallel-size\":4}");
        assertThat(p.gpus()).isEqualTo(4);
    }

    @Test
    void sglangDpAttentionSplitsTheTensorGroupAndAddsNoGpus() {
        Parallelism p = Parallelism.forWorker("sglang", 8, 8, true);

        assertThat(args(p)).isEqualTo("{\"tensor-parallel-size\":8,\"data-parallel-size\":8,"
                + "\"enable-dp-attention\":true,\"expert-parallel-size\":8}");
        assertThat(p.gpus()).isEqualTo(8);
    }

    @Test
    void sglangWritesTheSeedSpellingOverAllItsGpus() {
        assertThat(args(Parallelism.forWorker("sglang", 1, 16, true))).isEqualTo("{\"tensor-parallel-size\":16,"
                + "\"data-parallel-size\":16,\"enable-dp-attention\":true,\"expert-parallel-size\":16}");
    }

    @Test
    void trtllmAttentionDpRunsOnTheTensorRanks() {
        Parallelism p = Parallelism.forWorker("trtllm", 4, 4, true);

        assertThat(args(p)).isEqualTo(
                "{\"tensor_parallel_size\":4,\"enable_attention_dp\":true,\"moe_expert_parallel_size\":4}");
        assertThat(p.gpus()).isEqualTo(4);
    }

    @Test
    void enginesSweepdDoesNotKnowTakeVllmNames() {
        assertThat(args(Parallelism.forWorker("atom", 8, 8, false)))
                .isEqualTo("{\"tensor-parallel-size\":8,\"enable-expert-parallel\":true}");
    }

    @Test
    void recipeArgumentsAreReadByEachEnginesProductRule() throws IOException {
        assertThat(Parallelism.fromEngineArgs("vllm", yaml("""
                tensor-parallel-size: 1
                data-parallel-size: 16
                enable-expert-parallel: true
                """)).orElseThrow().gpus()).isEqualTo(16);
        assertThat(Parallelism.fromEngineArgs("vllm", yaml("{tensor-parallel-size: 4, pipeline-parallel-size: 2}"))
                .orElseThrow().gpus()).isEqualTo(8);
        assertThat(Parallelism.fromEngineArgs("sglang", yaml("{tp-size: 8, dp-size: 8, ep-size: 8,"
                + " enable-dp-attention: true}")).orElseThrow().gpus()).isEqualTo(8);
        // SGLang without DP attention: dp is independent replicas, each of tp GPUs.
        assertThat(Parallelism.fromEngineArgs("sglang", yaml("{tp-size: 4, dp-size: 2}")).orElseThrow().gpus())
                .isEqualTo(8);
        assertThat(Parallelism.fromEngineArgs("trtllm", yaml("{tensor_parallel_size: 16,"
                + " moe_expert_parallel_size: 16, enable_attention_dp: true, pipeline_parallel_size: 1}"))
                .orElseThrow().gpus()).isEqualTo(16);
    }

    @Test
    void argumentsThatStateNoParallelSizeLeaveItToTheEngine() throws IOException {
        assertThat(Parallelism.fromEngineArgs("vllm", yaml("{gpu-memory-utilization: 0.9}"))).isEmpty();
    }

    @Test
    void whatTheConventionWritesReadsBackAsTheSameGpus() {
        for (String engine : new String[] {"vllm", "sglang", "trtllm"}) {
            for (int[] layout : new int[][] {{8, 1}, {8, 8}, {1, 16}, {4, 4}, {16, 16}}) {
                for (boolean dpAttn : new boolean[] {false, true}) {
                    Parallelism written = Parallelism.forWorker(engine, layout[0], layout[1], dpAttn);
                    ObjectNode args = JsonNodeFactory.instance.objectNode();
                    written.writeTo(args);
                    assertThat(Parallelism.fromEngineArgs(engine, args).orElseThrow().gpus())
                            .as("%s tp%d ep%d dp-attn %s", engine, layout[0], layout[1], dpAttn)
                            .isEqualTo(Parallelism.workerGpus(layout[0], layout[1], dpAttn));
                }
            }
        }
    }

    @Test
    void anExpertSplitThatDoesNotDivideTheGpusIsAProblem() {
        assertThat(Parallelism.forWorker("sglang", 1, 8, false).problem()).hasValueSatisfying(p ->
                assertThat(p).startsWith("ep 8 does not divide the worker's 1 GPUs (tp 1 without dp-attn"));
        assertThat(Parallelism.forWorker("trtllm", 8, 3, false).problem()).isPresent();
        assertThat(Parallelism.forWorker("vllm", 1, 8, true).problem()).isEmpty();
        assertThat(Parallelism.forWorker("sglang", 8, 8, false).problem()).isEmpty();
    }
}
