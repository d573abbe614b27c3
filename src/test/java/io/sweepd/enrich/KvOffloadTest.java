package io.sweepd.enrich;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server side of an agentic point's offloading, as InferenceMAX's benchmarks/single_node/agentic scripts set it. */
class KvOffloadTest {

    @Test
    void cpuOnVllmIsNativeOffloadOfTheWholePoolWithTheSimpleConnector() {
        // gptoss_fp4_h100.sh: --kv_offloading_backend native --kv_offloading_size $TOTAL_CPU_DRAM_GB
        // --disable-hybrid-kv-cache-manager, with VLLM_USE_SIMPLE_KV_OFFLOAD=1
        KvOffload offload = KvOffload.of("vllm", "cpu", 2500, 4, false);

        assertThat(offload.engineArgs()).isEqualTo(Map.of("kv-offloading-backend", "native",
                "kv-offloading-size", 2500, "disable-hybrid-kv-cache-manager", true));
        assertThat(offload.environment()).isEqualTo(Map.of("VLLM_USE_SIMPLE_KV_OFFLOAD", "1"));
    }

    @Test
    void withDpAttentionEveryEngineGetsItsShareOfThePool() {
        // dsv4_fp4_b200_vllm.sh: each of the TP data-parallel engines allocates the whole size, so it is divided
        assertThat(KvOffload.of("vllm", "cpu", 1200, 8, true).engineArgs()).containsEntry("kv-offloading-size", 150);
    }

    @Test
    void hicacheOnSglangSizesTheHostPoolPerRank() {
        // glm5.1_fp8_mi355x.sh: HICACHE_SIZE_GB = TOTAL_CPU_DRAM_GB / TP / host pools (1)
        KvOffload offload = KvOffload.of("sglang", "hicache", 2500, 8, false);

        assertThat(offload.engineArgs()).isEqualTo(Map.of("enable-hierarchical-cache", true, "hicache-size", 312,
                "hicache-write-policy", "write_through_selective"));
        assertThat(offload.environment()).isEmpty();
    }

    @Test
    void noneAddsNothingAndWhatTheHarnessCannotRunIsRefused() {
        assertThat(KvOffload.of("vllm", "none", 2500, 2, false).isEmpty()).isTrue();
        assertThat(KvOffload.of("trtllm", null, 2500, 2, false).isEmpty()).isTrue();
        assertThat(KvOffload.refusal("vllm", "lmcache-mp")).hasValueSatisfying(r -> assertThat(r)
                .contains("lmcache server process"));
        assertThat(KvOffload.refusal("vllm", "ssd")).hasValueSatisfying(r -> assertThat(r)
                .contains("no InferenceMAX launcher implements it"));
        assertThat(KvOffload.refusal("trtllm", "cpu")).hasValueSatisfying(r -> assertThat(r).endsWith("it takes none"));
        assertThatThrownBy(() -> KvOffload.of("sglang", "cpu", 2500, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none or hicache");
    }

    @Test
    void theArgumentsJoinTheRecipesUnlessItOffloadsItself() {
        ObjectNode recipe = JsonNodeFactory.instance.objectNode().put("tensor-parallel-size", 4);
        KvOffload offload = KvOffload.of("vllm", "cpu", 2500, 4, false);

        assertThat(offload.applyTo(recipe).toString()).isEqualTo("{\"tensor-parallel-size\":4,"
                + "\"disable-hybrid-kv-cache-manager\":true,\"kv-offloading-backend\":\"native\","
                + "\"kv-offloading-size\":2500}");
        assertThat(recipe.size()).as("the recipe's tree is not changed").isEqualTo(1);
        ObjectNode tuned = recipe.deepCopy().put("kv_transfer_config", "{\"kv_connector\":\"SimpleCPUOffloadConnector\"}");
        assertThat(KvOffload.recipeOffloads(tuned)).isTrue();
        assertThat(offload.applyTo(tuned)).isEqualTo(tuned);
    }
}
