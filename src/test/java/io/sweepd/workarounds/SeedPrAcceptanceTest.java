package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.recipes.RecipeLookup;
import io.sweepd.recipes.RecipeResolver;
import io.sweepd.recipes.ResolvedRecipe;
import io.sweepd.sweep.WorkerSpec;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DSV4-Pro H100 port of InferenceMAX PR 1142: the recipes as first submitted, patched by the shipped
 * rules, come out with every fix the PR needed nine cluster runs to find.
 */
class SeedPrAcceptanceTest {

    private static final String DYNAMO_COMMIT = "6a159fedd8e4a1563aa647c31f622aedbf254b5b";
    private static final List<String> FRONTEND_FLAGS =
            List.of("tokenizer-mode", "tool-call-parser", "reasoning-parser", "enable-auto-tool-choice");

    private final WorkaroundEngine engine = new WorkaroundEngine(TestData.shipped());
    private final RecipeResolver resolver = new RecipeResolver(TestData.SEED_PR, Optional.empty());

    static Stream<Named<MatrixPoint>> seedPoints() {
        return Stream.of(Named.of("1k1k recipe", TestData.dsv4Seed1k1k()), Named.of("8k1k recipe", TestData.dsv4Seed8k1k()));
    }

    private ResolvedRecipe recipeOf(MatrixPoint point) {
        RecipeLookup lookup = resolver.resolve(point).orElseThrow();
        assertThat(lookup).isInstanceOf(ResolvedRecipe.class);
        return (ResolvedRecipe) lookup;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedPoints")
    void seedRecipeOnH100ComesOutWithEveryFixOfThePr(MatrixPoint point) {
        ResolvedRecipe recipe = recipeOf(point);
        ObjectNode before = recipe.tree().deepCopy();

        Enrichment result = engine.apply(point, TestData.h100(false), recipe.tree());
        JsonNode patched = result.patchedConfig();

        assertThat(result.refusal()).isNull();
        for (String role : List.of("prefill", "decode")) {
            JsonNode args = patched.at("/backend/vllm_config/" + role);
            assertThat(args.isObject()).isTrue();
            for (String flag : FRONTEND_FLAGS) {
                assertThat(args.has(flag)).as(role + " " + flag).isFalse();
            }
            assertThat(args.has("all2all-backend")).as(role + " all2all-backend").isFalse();
            assertThat(args.get("gpu-memory-utilization").doubleValue()).as(role).isLessThanOrEqualTo(0.85);

            JsonNode env = patched.at("/backend/" + role + "_environment");
            assertThat(env.path("VLLM_USE_NCCL_SYMM_MEM").asText()).isEqualTo("1");
            assertThat(env.path("NCCL_CUMEM_ENABLE").asText()).isEqualTo("1");
            assertThat(env.has("NCCL_MNNVL_ENABLE")).isFalse();
            assertThat(env.has("NCCL_NVLS_ENABLE")).isFalse();
        }
        assertThat(patched.at("/benchmark/use_chat_template").isBoolean()).isTrue();
        assertThat(patched.at("/benchmark/use_chat_template").booleanValue()).isFalse();
        assertThat(patched.at("/dynamo/hash").asText()).isEqualTo(DYNAMO_COMMIT);
        assertThat(patched.at("/dynamo").has("version")).isFalse();
        assertThat(patched.at("/health_check/max_attempts").intValue()).isEqualTo(1440);
        assertThat(patched.at("/health_check/interval_seconds").intValue()).isEqualTo(10);
        assertThat(result.deadlinesOverride().healthySeconds()).isEqualTo(14400);

        // The untouched parts of the recipe are still there, in the file's order.
        assertThat(patched.at("/backend/vllm_config/decode/compilation-config").asText()).contains("FULL_DECODE_ONLY");
        assertThat(iterable(patched.fieldNames())).startsWith("name", "setup_script", "model", "dynamo", "resources");

        // The resolver's tree stands for the user's file: still exactly as read.
        assertThat(recipe.tree()).isEqualTo(before);
        assertThat(recipe.tree()).isEqualTo(TestData.yaml(recipe.path()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedPoints")
    void everyChangeIsListedUnderTheRuleThatMadeIt(MatrixPoint point) {
        Enrichment result = engine.apply(point, TestData.h100(false), recipeOf(point).tree());

        Map<String, List<String>> changes = result.applied().stream()
                .collect(Collectors.toMap(AppliedWorkaround::id, AppliedWorkaround::changes));
        assertThat(result.applied()).extracting(AppliedWorkaround::id).containsExactly(
                "dsv4-dynamo-vllm-pin-dynamo-commit",
                "dsv4-hopper-nccl-instead-of-nvshmem",
                "dsv4-indexer-memory-headroom",
                "dsv4-no-chat-template",
                "dsv4-multinode-slow-weight-load",
                "dynamo-vllm-no-frontend-flags-on-workers");

        assertThat(changes.get("dsv4-dynamo-vllm-pin-dynamo-commit"))
                .containsExactly("removed dynamo.version", "dynamo.hash = " + DYNAMO_COMMIT);
        assertThat(changes.get("dsv4-hopper-nccl-instead-of-nvshmem")).containsExactlyInAnyOrder(
                "prefill: removed engine arg all2all-backend",
                "decode: removed engine arg all2all-backend",
                "prefill: env VLLM_USE_NCCL_SYMM_MEM=1",
                "prefill: env NCCL_CUMEM_ENABLE=1",
                "decode: env VLLM_USE_NCCL_SYMM_MEM=1",
                "decode: env NCCL_CUMEM_ENABLE=1");
        assertThat(changes.get("dsv4-indexer-memory-headroom")).containsExactlyInAnyOrder(
                "prefill: engine arg gpu-memory-utilization capped 0.95 -> 0.85",
                "decode: engine arg gpu-memory-utilization capped 0.95 -> 0.85");
        assertThat(changes.get("dsv4-no-chat-template"))
                .containsExactly("benchmark.use_chat_template = false (was true)");
        assertThat(changes.get("dsv4-multinode-slow-weight-load")).containsExactly(
                "health_check.max_attempts = 1440",
                "health_check.interval_seconds = 10",
                "deadline healthy-seconds 1800 -> 14400");
        for (String role : List.of("prefill", "decode")) {
            for (String flag : FRONTEND_FLAGS) {
                assertThat(changes.get("dynamo-vllm-no-frontend-flags-on-workers"))
                        .contains(role + ": removed engine arg " + flag);
            }
        }
        assertThat(result.applied()).allSatisfy(applied -> {
            assertThat(applied.why()).isNotBlank();
            assertThat(applied.ref()).startsWith("InferenceMAX PR 1142, case ");
        });
    }

    @Test
    void gpuMemoryUtilizationStaysAt095OnH200() {
        MatrixPoint point = TestData.dsv4Seed1k1k().withRunner("h200-multinode");

        Enrichment result = engine.apply(point, TestData.h200(), recipeOf(point).tree());

        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/gpu-memory-utilization").doubleValue())
                .isEqualTo(0.95);
        assertThat(result.patchedConfig().at("/backend/vllm_config/decode/gpu-memory-utilization").doubleValue())
                .isEqualTo(0.95);
        assertThat(result.applied()).extracting(AppliedWorkaround::id).doesNotContain("dsv4-indexer-memory-headroom");
    }

    @Test
    void blackwellRecipeKeepsItsNvlinkNcclSettings() {
        ObjectNode recipe = TestData.yaml(TestData.GB200_RECIPE);
        WorkerSpec dep8 = new WorkerSpec(1, 1, 8, true, List.of("CONFIG_FILE=disagg-gb200.yaml"));
        MatrixPoint point = new MatrixPoint("dsv4-fp4-gb200-dynamo-vllm", "vllm/vllm-openai:v0.20.0",
                "deepseek-ai/DeepSeek-V4-Pro", "dsv4", "fp4", "dynamo-vllm", "gb200", 8192, 1024, null, null, null,
                "none", dep8, new WorkerSpec(1, 1, 8, true, null), List.of(256, 512, 1024), 9472, "dsv4_8k1k",
                true, true, false, null);

        Enrichment result = engine.apply(point, TestData.gb200(), recipe);

        for (String role : List.of("prefill", "decode")) {
            JsonNode env = result.patchedConfig().at("/backend/" + role + "_environment");
            assertThat(env.path("NCCL_MNNVL_ENABLE").asText()).as(role).isEqualTo("1");
            assertThat(env.path("NCCL_NVLS_ENABLE").asText()).as(role).isEqualTo("1");
        }
        assertThat(result.patchedConfig().at("/backend/vllm_config/decode/gpu-memory-utilization").doubleValue())
                .isEqualTo(0.9);
        assertThat(result.patchedConfig().at("/dynamo/wheel").asText()).isEqualTo("1.2.0.dev20260426");
        assertThat(result.patchedConfig().at("/dynamo").has("hash")).isFalse();
        assertThat(result.applied()).extracting(AppliedWorkaround::id)
                .doesNotContain("dsv4-hopper-nccl-instead-of-nvshmem", "dsv4-indexer-memory-headroom",
                        "dsv4-dynamo-vllm-pin-dynamo-commit");
        assertThat(result.refusal()).isNull();
    }

    @Test
    void crossNodeTensorParallelismWithDynamoVllmIsRefusedWithoutHeadlessWorkers() {
        MatrixPoint tp16 = TestData.multinode("dsv4", "dynamo-vllm", 16, 16);
        ObjectNode recipe = recipeOf(TestData.dsv4Seed1k1k()).tree();

        Enrichment result = engine.apply(tp16, TestData.h100(false), recipe);

        assertThat(result.isRefused()).isTrue();
        assertThat(result.refusal()).isEqualTo("dynamo-vllm starts one vLLM process per GPU; tensor parallelism"
                + " of 16 across nodes needs headless multi-node workers, which profile h100-multinode does not"
                + " enable (8 GPUs per node)");
        assertThat(result.applied()).filteredOn(a -> a.id().equals("dynamo-vllm-cross-node-tp-needs-headless"))
                .singleElement()
                .satisfies(a -> assertThat(a.changes()).containsExactly("refused: " + result.refusal()));
    }

    @Test
    void crossNodeTensorParallelismWithDynamoVllmIsAllowedWithHeadlessWorkers() {
        MatrixPoint tp16 = TestData.multinode("dsv4", "dynamo-vllm", 16, 16);
        ObjectNode recipe = recipeOf(TestData.dsv4Seed1k1k()).tree();

        Enrichment result = engine.apply(tp16, TestData.h100(true), recipe);

        assertThat(result.refusal()).isNull();
        assertThat(result.applied()).extracting(AppliedWorkaround::id)
                .doesNotContain("dynamo-vllm-cross-node-tp-needs-headless");
    }

    @Test
    void tensorParallelismWithinOneNodeIsNotRefused() {
        Enrichment result = engine.apply(TestData.multinode("dsv4", "dynamo-vllm", 8, 8), TestData.h100(false),
                recipeOf(TestData.dsv4Seed1k1k()).tree());

        assertThat(result.refusal()).isNull();
    }

    @Test
    void theMayGeneratorsHardCodedEvalGroupIsExcludedForEntriesInItsSchemaOnly() {
        MatrixPoint gb300 = new MatrixPoint("dsv4-fp4-gb300-dynamo-sglang", "image", "deepseek-ai/DeepSeek-V4-Pro",
                "dsv4", "fp4", "dynamo-sglang", "gb300-cw", 8192, 1024, null, null, null, "none",
                new WorkerSpec(1, 1, 8, true, null), new WorkerSpec(1, 1, 8, true, null), List.of(256),
                9472, "dsv4_8k1k", true, true, false, null);

        assertThat(engine.excludedFromEvals(gb300, "seq-len-configs")).isTrue();
        assertThat(engine.excludedFromEvals(gb300, "scenarios")).as("the June generator marks the group again").isFalse();
        assertThat(engine.excludedFromEvals(gb300.withRunner("gb200"), "seq-len-configs")).isFalse();
        assertThat(engine.excludedFromEvals(TestData.dsv4Seed8k1k(), "seq-len-configs")).isFalse();
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
