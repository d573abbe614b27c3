package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerConfigsTest {

    private static MatrixPoint singleNode(String framework, int tp, int ep, boolean dpAttn) {
        return new MatrixPoint("key", "vllm/vllm-openai:v0.18.0", "openai/gpt-oss-120b", "gptoss", "fp4", framework,
                "h100", 1024, 1024, tp, ep, dpAttn, "none", null, null, List.of(16), 2304, "gptoss_1k1k",
                false, false, false, null);
    }

    private static MatrixPoint multinode(String framework, WorkerSpec prefill, WorkerSpec decode) {
        return new MatrixPoint("key", "image:tag", "deepseek-ai/DeepSeek-R1-0528", "dsr1", "fp8", framework,
                "h100-multinode", 8192, 1024, null, null, null, "mtp", prefill, decode, List.of(4, 8, 16), 9472,
                "dsr1_8k1k", true, true, false, null);
    }

    @Test
    void singleNodePointGetsAnAggregatedRoleWithModelBenchmarkAndEmptyEnvironment() {
        ObjectNode config = ServerConfigs.synthesize(singleNode("vllm", 2, 1, false));

        assertThat(config.toString()).isEqualTo("""
                {"model":{"path":"openai/gpt-oss-120b","container":"vllm/vllm-openai:v0.18.0","precision":"fp4"},\
                "backend":{"type":"vllm","aggregated_environment":{},\
                "vllm_config":{"aggregated":{"tensor-parallel-size":2,"max-model-len":2304}}},\
                "benchmark":{"type":"sa-bench","isl":1024,"osl":1024,"concurrencies":"16"}}""");
    }

    @Test
    void anAgenticPointLeavesTheMaxLengthToTheEngine() {
        MatrixPoint agentic = new MatrixPoint("key", "vllm/vllm-openai:v0.19.1", "openai/gpt-oss-120b", "gptoss", "fp4",
                "vllm", "h100", 0, 0, 2, 1, false, "none", null, null, List.of(16), 0, "gptoss_agentic", false, false,
                false, null, false, new MatrixPoint.Agentic(1800, "cpu"));

        assertThat(ServerConfigs.synthesize(agentic).at("/backend/vllm_config/aggregated").toString())
                .isEqualTo("{\"tensor-parallel-size\":2}");
    }

    @Test
    void vllmDataParallelAttentionRunsOneTensorParallelRankPerDataParallelReplica() {
        ObjectNode args = (ObjectNode) ServerConfigs.synthesize(singleNode("vllm", 8, 8, true))
                .at("/backend/vllm_config/aggregated");

        assertThat(args.toString()).isEqualTo("{\"tensor-parallel-size\":1,\"data-parallel-size\":8,"
                + "\"enable-expert-parallel\":true,\"max-model-len\":2304}");
    }

    @Test
    void vllmExpertParallelWithoutDpAttentionKeepsTensorParallelism() {
        assertThat(ServerConfigs.synthesize(singleNode("vllm", 4, 4, false)).at("/backend/vllm_config/aggregated").toString())
                .isEqualTo("{\"tensor-parallel-size\":4,\"enable-expert-parallel\":true,\"max-model-len\":2304}");
    }

    @Test
    void multinodePointGetsPrefillAndDecodeRolesWithTheirOwnParallelism() {
        ObjectNode config = ServerConfigs.synthesize(multinode("dynamo-sglang",
                new WorkerSpec(1, 16, 1, false, null), new WorkerSpec(2, 16, 16, true, null)));

        assertThat(config.at("/backend/type").asText()).isEqualTo("sglang");
        assertThat(config.at("/backend/prefill_environment").isEmpty()).isTrue();
        assertThat(config.at("/backend/decode_environment").isEmpty()).isTrue();
        assertThat(config.at("/backend").has("aggregated_environment")).isFalse();
        assertThat(config.at("/backend/sglang_config/prefill").toString())
                .isEqualTo("{\"tensor-parallel-size\":16,\"context-length\":9472}");
        assertThat(config.at("/backend/sglang_config/decode").toString()).isEqualTo("{\"tensor-parallel-size\":16,"
                + "\"data-parallel-size\":16,\"enable-dp-attention\":true,\"expert-parallel-size\":16,\"context-length\":9472}");
        assertThat(config.at("/benchmark/concurrencies").asText()).isEqualTo("4x8x16");
    }

    @Test
    void dpAttentionWorkerWrittenWithTp1AndEp16StillSpans16Gpus() {
        ObjectNode config = ServerConfigs.synthesize(multinode("dynamo-vllm",
                new WorkerSpec(1, 1, 16, true, null), new WorkerSpec(1, 1, 16, true, null)));

        assertThat(config.at("/backend/vllm_config/prefill/data-parallel-size").intValue()).isEqualTo(16);
        assertThat(config.at("/backend/vllm_config/prefill/tensor-parallel-size").intValue()).isEqualTo(1);
    }

    @Test
    void trtllmUsesItsOwnOptionNames() {
        ObjectNode config = ServerConfigs.synthesize(multinode("dynamo-trt",
                new WorkerSpec(1, 8, 8, true, null), new WorkerSpec(1, 16, 1, false, null)));

        assertThat(config.at("/backend/type").asText()).isEqualTo("trtllm");
        assertThat(config.at("/backend/trtllm_config/prefill").toString()).isEqualTo("{\"tensor_parallel_size\":8,"
                + "\"enable_attention_dp\":true,\"moe_expert_parallel_size\":8,\"max_seq_len\":9472}");
        assertThat(config.at("/backend/trtllm_config/decode").toString())
                .isEqualTo("{\"tensor_parallel_size\":16,\"max_seq_len\":9472}");
    }

    @Test
    void frameworksMapToSrtSlurmBackendTypes() {
        assertThat(ServerConfigs.backendType("vllm")).isEqualTo("vllm");
        assertThat(ServerConfigs.backendType("dynamo-vllm")).isEqualTo("vllm");
        assertThat(ServerConfigs.backendType("sglang")).isEqualTo("sglang");
        assertThat(ServerConfigs.backendType("dynamo-sglang")).isEqualTo("sglang");
        assertThat(ServerConfigs.backendType("trt")).isEqualTo("trtllm");
        assertThat(ServerConfigs.backendType("dynamo-trt")).isEqualTo("trtllm");
        assertThat(ServerConfigs.backendType("atom")).as("unknown engines keep their name").isEqualTo("atom");
    }

    @Test
    void everyCallBuildsANewTree() {
        MatrixPoint point = singleNode("sglang", 8, 1, false);
        ObjectNode first = ServerConfigs.synthesize(point);
        first.remove("benchmark");

        assertThat(ServerConfigs.synthesize(point).has("benchmark")).isTrue();
    }

    @Test
    void decodeNumWorkerZeroSynthesizesOneAggregatedRoleFromThePrefillSpec() {
        ObjectNode config = ServerConfigs.synthesize(multinode("dynamo-vllm",
                new WorkerSpec(1, 8, 1, false, null), new WorkerSpec(0, 8, 1, false, null)));

        assertThat(config.at("/backend").has("aggregated_environment")).isTrue();
        assertThat(config.at("/backend").has("prefill_environment")).isFalse();
        assertThat(config.at("/backend/vllm_config").toString())
                .isEqualTo("{\"aggregated\":{\"tensor-parallel-size\":8,\"max-model-len\":9472}}");
    }

    @Test
    void amdSglangDisaggRunsSglang() {
        ObjectNode config = ServerConfigs.synthesize(multinode("sglang-disagg",
                new WorkerSpec(1, 4, 4, true, null), new WorkerSpec(1, 8, 8, true, null)));

        assertThat(config.at("/backend/type").asText()).isEqualTo("sglang");
        assertThat(config.at("/backend/sglang_config/decode/data-parallel-size").asInt()).isEqualTo(8);
    }
}
