package io.sweepd.render.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelLocation GPTOSS = new ModelLocation("/models/gpt-oss-120b", "openai/gpt-oss-120b");
    private static final Path YAML = Path.of("/job/harness/extra-llm-api-options.yaml");

    @Test
    void vllmTakesEveryEngineArgumentAsAFlagAndLeavesFalseOut() throws Exception {
        ObjectNode args = (ObjectNode) JSON.readTree("""
                {"tensor_parallel_size": 8, "enable-expert-parallel": true, "enforce-eager": false,
                 "speculative-config": {"method": "mtp", "num_speculative_tokens": 1},
                 "cuda-graph-sizes": [1, 2, 4]}""");

        ServerCommand.Launch launch = ServerCommand.of("vllm", args, GPTOSS, 8888, YAML);

        assertThat(launch.argv()).containsExactly("vllm", "serve", "/models/gpt-oss-120b", "--host", "127.0.0.1",
                "--port", "8888", "--served-model-name", "openai/gpt-oss-120b",
                "--tensor-parallel-size", "8", "--enable-expert-parallel",
                "--speculative-config", "{\"method\":\"mtp\",\"num_speculative_tokens\":1}",
                "--cuda-graph-sizes", "1", "2", "4");
        assertThat(launch.servedName()).isEqualTo("openai/gpt-oss-120b");
        assertThat(launch.extraOptions()).isEmpty();
    }

    @Test
    void sglangIsLaunchServerWithModelPath() throws Exception {
        ObjectNode args = (ObjectNode) JSON.readTree("""
                {"tensor-parallel-size": 8, "data-parallel-size": 8, "enable-dp-attention": true, "context-length": 2304}""");

        ServerCommand.Launch launch = ServerCommand.of("sglang", args, GPTOSS, 8888, YAML);

        assertThat(launch.argv()).containsExactly("python3", "-m", "sglang.launch_server",
                "--model-path", "/models/gpt-oss-120b", "--host", "127.0.0.1", "--port", "8888",
                "--served-model-name", "openai/gpt-oss-120b", "--tensor-parallel-size", "8",
                "--data-parallel-size", "8", "--enable-dp-attention", "--context-length", "2304");
    }

    @Test
    void trtllmGetsItsFlagsAndTheRestAsExtraLlmApiOptionsYaml() throws Exception {
        ObjectNode args = (ObjectNode) JSON.readTree("""
                {"tensor_parallel_size": 4, "moe_expert_parallel_size": 4, "max_seq_len": 2304,
                 "enable_attention_dp": true, "kv_cache_config": {"free_gpu_memory_fraction": 0.85}}""");

        ServerCommand.Launch launch = ServerCommand.of("trtllm", args, GPTOSS, 8888, YAML);

        assertThat(launch.argv()).containsExactly("trtllm-serve", "/models/gpt-oss-120b", "--host", "127.0.0.1",
                "--port", "8888", "--backend", "pytorch", "--tp_size", "4", "--ep_size", "4", "--max_seq_len", "2304",
                "--extra_llm_api_options", YAML.toString());
        assertThat(launch.extraOptions()).hasValue("""
                enable_attention_dp: true
                kv_cache_config:
                  free_gpu_memory_fraction: 0.85
                """);
        assertThat(launch.servedName()).as("trtllm-serve serves the model under its argument")
                .isEqualTo("/models/gpt-oss-120b");
    }

    @Test
    void trtllmServesACustomTokenizerByFlagNotAsAnLlmApiField() throws Exception {
        // InferenceMAX's dsv4_fp4_b200_trt.sh passes --custom_tokenizer deepseek_v4 to trtllm-serve.
        ObjectNode args = (ObjectNode) JSON.readTree("{\"tensor_parallel_size\": 8, \"custom_tokenizer\": \"deepseek_v4\"}");

        ServerCommand.Launch launch = ServerCommand.of("trtllm", args, GPTOSS, 8888, YAML);

        assertThat(launch.argv()).containsSequence("--custom_tokenizer", "deepseek_v4");
        assertThat(launch.extraOptions()).isEmpty();
    }

    @Test
    void recipeArgumentsThatWouldMoveTheServerAwayFromItsClientsAreRefused() throws Exception {
        ObjectNode args = (ObjectNode) JSON.readTree("{\"port\": 9000}");

        assertThatThrownBy(() -> ServerCommand.of("vllm", args, GPTOSS, 8888, YAML))
                .hasMessageContaining("'port' is set by sweepd");
        assertThatThrownBy(() -> ServerCommand.of("atom", JSON.createObjectNode(), GPTOSS, 8888, YAML))
                .hasMessageContaining("vllm, sglang or trtllm").hasMessageContaining("'atom'");
    }

    @Test
    void modelComesFromTheProfilesAliasesElseAnAbsoluteRecipePathElseTheHubId() {
        ClusterProfile.Paths paths = new ClusterProfile.Paths("/models", null, null, "/hub",
                Map.of("dsr1-fp8", "/models/dsr1-fp8", "gpt-oss-120b", "/models/gptoss"));

        assertThat(ModelLocation.of(paths, "dsr1-fp8", "deepseek-ai/DeepSeek-R1-0528", "dsr1", "fp8"))
                .isEqualTo(new ModelLocation("/models/dsr1-fp8", "deepseek-ai/DeepSeek-R1-0528"));
        assertThat(ModelLocation.of(paths, "deepseek-ai/DeepSeek-R1-0528", "deepseek-ai/DeepSeek-R1-0528", "dsr1",
                "fp8").path()).as("by <model-prefix>-<precision>").isEqualTo("/models/dsr1-fp8");
        assertThat(ModelLocation.of(paths, null, "openai/gpt-oss-120b", "gptoss", "fp4").path())
                .as("by the hub id's last segment").isEqualTo("/models/gptoss");
        assertThat(ModelLocation.of(paths, "/lustre/qwen", "Qwen/Qwen3", "qwen3", "bf16").path())
                .isEqualTo("/lustre/qwen");
        assertThat(ModelLocation.of(paths, "Qwen/Qwen3", "Qwen/Qwen3", "qwen3", "bf16"))
                .isEqualTo(new ModelLocation("Qwen/Qwen3", "Qwen/Qwen3"));
    }

    @Test
    void squashFilesAreNamedAsInferenceMaxNamesThem() {
        ClusterProfile.Paths paths = new ClusterProfile.Paths(null, "/lustre/containers/", null, Map.of());
        assertThat(paths.imageFile("nvcr.io#nvidia/tensorrt-llm/release:1.1.0rc2@sha256:ab", "sqsh"))
                .isEqualTo("/lustre/containers/nvcr.io_nvidia_tensorrt-llm_release_1.1.0rc2_sha256_ab.sqsh");
        assertThat(paths.imageFile("lmsysorg/sglang:v0.5.2", "sif")).isEqualTo("/lustre/containers/lmsysorg_sglang_v0.5.2.sif");
    }
}
