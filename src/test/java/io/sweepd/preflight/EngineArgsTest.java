package io.sweepd.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.sweepd.preflight.PreflightTestData.SEED_RECIPE_8K1K;
import static io.sweepd.preflight.PreflightTestData.seedRecipe;
import static io.sweepd.preflight.PreflightTestData.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class EngineArgsTest {

    @Test
    void vllmFlagsAreReadPerRoleFromTheSeedRecipe() {
        ObjectNode recipe = seedRecipe(SEED_RECIPE_8K1K);

        assertThat(EngineArgs.backendType(recipe)).contains("vllm");
        assertThat(EngineArgs.memoryFraction(recipe, "decode")).hasValueSatisfying(arg -> {
            assertThat(arg.value()).isEqualTo(0.95);
            assertThat(arg.path()).isEqualTo("backend.vllm_config.decode.gpu-memory-utilization");
        });
        assertThat(EngineArgs.maxModelLen(recipe, "prefill")).map(EngineArgs.Arg::value).contains(16384);
        assertThat(EngineArgs.memoryFraction(recipe, "aggregated")).isEmpty();
    }

    @Test
    void sglangUsesItsOwnFlagNamesInEitherSpelling() {
        ObjectNode config = yaml("""
                backend:
                  type: sglang
                  sglang_config:
                    decode: {mem_fraction_static: 0.82, context-length: 9280}
                """);

        assertThat(EngineArgs.memoryFraction(config, "decode")).hasValueSatisfying(arg -> {
            assertThat(arg.value()).isEqualTo(0.82);
            assertThat(arg.key()).isEqualTo("mem_fraction_static");
        });
        assertThat(EngineArgs.maxModelLen(config, "decode")).map(EngineArgs.Arg::value).contains(9280);
        assertThat(EngineArgs.memoryFractionFlag(config)).isEqualTo("mem-fraction-static");
    }

    @Test
    void theBackendTypeIsInferredFromTheOnlyConfigSection() {
        ObjectNode config = yaml("backend: {vllm_config: {aggregated: {gpu-memory-utilization: \"0.9\"}}}");

        assertThat(EngineArgs.backendType(config)).contains("vllm");
        assertThat(EngineArgs.memoryFraction(config, "aggregated")).map(EngineArgs.Arg::value).contains(0.9);
    }

    @Test
    void trtllmHasNoWeightCapFlagButItsSequenceLimitIsRead() {
        ObjectNode config = yaml("""
                backend:
                  type: trtllm
                  trtllm_config:
                    decode: {max_seq_len: 2251, kv_cache_config: {free_gpu_memory_fraction: 0.8}}
                """);

        assertThat(EngineArgs.memoryFraction(config, "decode")).isEmpty();
        assertThat(EngineArgs.maxModelLen(config, "decode")).map(EngineArgs.Arg::value).contains(2251);
    }

    @Test
    void noConfigurationMeansNoFlags() {
        assertThat(EngineArgs.backendType(null)).isEmpty();
        assertThat(EngineArgs.memoryFraction(null, "decode")).isEmpty();
        assertThat(EngineArgs.maxModelLen(yaml("name: x"), "decode")).isEmpty();
    }
}
