package io.sweepd.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.workarounds.AppliedWorkaround;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The planning half end to end on the real fixtures and the data that ships in the jar. */
class PlannerAcceptanceTest {

    @TempDir
    Path home;

    private Planner planner(String profile) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sweepd.home", home.toString());
        if (profile != null) {
            overrides.put("sweepd.profile", profile);
        }
        return PlannerFactory.create(SweepdSettings.load(null, Map.of(), overrides));
    }

    private Plan seedPlan(String profile) {
        return planner(profile).plan(Fixtures.fixture("seed-pr/sweep.yaml"));
    }

    @Test
    void seedSweepOnH100IsRefusedWithTheNumbersOfCaseNine() {
        Plan plan = seedPlan(null);

        assertThat(plan.points()).hasSize(2).allSatisfy(p -> {
            assertThat(p.enriched().profile()).isEqualTo("h100-dgxc-slurm");
            assertThat(p.enriched().refused()).contains("74.99 GiB").contains("79.19 GiB");
        });
        assertThat(plan.jobs()).isEmpty();
    }

    @Test
    void seedRecipeIsPatchedByEveryRuleOfCasesTwoToEightAndEachChangeNamesItsRule() {
        for (PlannedPoint planned : seedPlan(null).points()) {
            EnrichedPoint point = planned.enriched();
            ObjectNode recipe = point.serverConfig();
            for (String role : List.of("prefill", "decode")) {
                JsonNode args = recipe.at("/backend/vllm_config/" + role);
                assertThat(args.has("tokenizer-mode") || args.has("tool-call-parser") || args.has("reasoning-parser")
                        || args.has("enable-auto-tool-choice")).as(role + " API-server flags").isFalse();
                assertThat(args.has("all2all-backend")).as(role + " all2all backend").isFalse();
                assertThat(args.get("gpu-memory-utilization").asDouble()).isLessThanOrEqualTo(0.85);
                JsonNode env = recipe.at("/backend/" + role + "_environment");
                assertThat(env.get("VLLM_USE_NCCL_SYMM_MEM").asText()).isEqualTo("1");
                assertThat(env.get("NCCL_CUMEM_ENABLE").asText()).isEqualTo("1");
            }
            assertThat(recipe.at("/benchmark/use_chat_template").asBoolean(true)).isFalse();
            assertThat(recipe.at("/dynamo/hash").asText()).isEqualTo("6a159fedd8e4a1563aa647c31f622aedbf254b5b");
            assertThat(recipe.at("/dynamo").has("version")).isFalse();
            assertThat(recipe.at("/health_check/max_attempts").asInt()).isGreaterThan(180);

            assertThat(changesOf(point, "dynamo-vllm-no-frontend-flags-on-workers")).anyMatch(c -> c.contains("tool-call-parser"));
            assertThat(changesOf(point, "dsv4-hopper-nccl-instead-of-nvshmem")).anyMatch(c -> c.contains("all2all-backend"))
                    .anyMatch(c -> c.contains("VLLM_USE_NCCL_SYMM_MEM"));
            assertThat(changesOf(point, "dsv4-indexer-memory-headroom")).anyMatch(c -> c.contains("gpu-memory-utilization"));
            assertThat(changesOf(point, "dsv4-no-chat-template")).anyMatch(c -> c.contains("use_chat_template"));
            assertThat(changesOf(point, "dsv4-dynamo-vllm-pin-dynamo-commit")).anyMatch(c -> c.contains("dynamo.hash"));
            assertThat(changesOf(point, "dsv4-multinode-slow-weight-load")).anyMatch(c -> c.contains("health_check"));
        }
    }

    @Test
    void theSeedsRecipeFilesAreNeverModified() throws IOException {
        Path recipe = Fixtures.fixture("seed-pr/recipes/vllm/deepseek-v4-pro/1k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml");
        String before = Files.readString(recipe);
        seedPlan(null);
        assertThat(Files.readString(recipe)).isEqualTo(before);
    }

    @Test
    void seedSweepOnTheH200ProfilePassesAndBecomesOneJobPerSeqLen() {
        Plan plan = seedPlan("h200-dgxc-slurm");

        assertThat(plan.refusedPoints()).isEmpty();
        assertThat(plan.jobs()).hasSize(2).allSatisfy(job -> {
            assertThat(job.topology().totalGpus()).isEqualTo(32);
            assertThat(job.topology().prefillGpus()).isEqualTo(16);
            assertThat(job.topology().nodes()).isEqualTo(4);
        });
        // 141 GB cards keep the recipe's 0.95.
        assertThat(plan.points().get(0).enriched().serverConfig()
                .at("/backend/vllm_config/decode/gpu-memory-utilization").asDouble()).isEqualTo(0.95);
    }

    @Test
    void planShowsEachJobsLaunchPathAndContainerRuntimeFromItsProfile() throws IOException {
        Plan plan = seedPlan("h200-dgxc-slurm");

        assertThat(plan.jobs()).extracting(PlannedJob::launch)
                .containsOnly(new io.sweepd.profiles.LaunchPath("srt-slurm", "pyxis"));
        assertThat(PlanTable.render(plan)).contains("| launch").contains("srt-slurm / pyxis");
        JsonNode job = new ObjectMapper().readTree(PlanJson.render(plan)).at("/jobs/0");
        assertThat(job.path("launcher").asText()).isEqualTo("srt-slurm");
        assertThat(job.path("container-runtime").asText()).isEqualTo("pyxis");

        assertThat(planner("local-h200").plan(Fixtures.fixture("seed-pr/sweep.yaml")).jobs()).isNotEmpty()
                .extracting(PlannedJob::launch).containsOnly(new io.sweepd.profiles.LaunchPath("srt-slurm", "none"));
    }

    @Test
    void aSweepWhoseWorkerCountsDisagreeWithItsRecipeIsRefused() throws IOException {
        Path dir = home.resolve("disagree");
        Files.createDirectories(dir);
        Path recipes = Fixtures.fixture("seed-pr/recipes");
        try (var walk = Files.walk(recipes)) {
            for (Path p : walk.toList()) {
                Path target = dir.resolve("recipes").resolve(recipes.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"))
                .replace("decode:\n        num-worker: 1", "decode:\n        num-worker: 2"));

        Plan plan = planner("h200-dgxc-slurm").plan(sweep);

        assertThat(plan.points()).allSatisfy(p -> assertThat(p.enriched().refused())
                .contains("resources.decode_workers is 1 but the sweep's decode num-worker is 2"));
    }

    @Test
    void dsv4Fp8OnOneH100NodeIsRefusedBecauseTheWholeModelDoesNotFit() throws IOException {
        Path sweep = write("one-node.yaml", """
                dsv4-fp8-h100-vllm:
                  image: vllm/vllm-openai:deepseekv4-cu129
                  model: deepseek-ai/DeepSeek-V4-Pro
                  model-prefix: dsv4
                  runner: h100
                  precision: fp8
                  framework: vllm
                  multinode: false
                  seq-len-configs:
                  - isl: 1024
                    osl: 1024
                    search-space:
                    - {tp: 8, ep: 8, dp-attn: true, conc-list: [4]}
                """);

        Plan plan = planner(null).plan(sweep);

        assertThat(plan.points().get(0).enriched().refused()).contains("862 GB").contains("640 GB");
    }

    @Test
    void crossNodeTensorParallelismFitsInMemoryButIsRefusedForDynamoVllmUnlessHeadless() throws IOException {
        Path sweep = write("tp16.yaml", """
                dsv4-fp8-h100-dynamo-vllm-tp16:
                  image: vllm/vllm-openai:deepseekv4-cu129
                  model: deepseek-ai/DeepSeek-V4-Pro
                  model-prefix: dsv4
                  runner: h100-multinode
                  precision: fp8
                  framework: dynamo-vllm
                  multinode: true
                  disagg: true
                  seq-len-configs:
                  - isl: 1024
                    osl: 1024
                    search-space:
                    - conc-list: [4, 8]
                      prefill: {num-worker: 1, tp: 16, ep: 1, dp-attn: false}
                      decode: {num-worker: 1, tp: 16, ep: 1, dp-attn: false}
                """);
        Files.createDirectories(home.resolve("cluster-profiles"));
        Files.writeString(home.resolve("cluster-profiles/h100-headless.yaml"),
                Files.readString(Path.of("cluster-profiles/h100-dgxc-slurm.yaml"))
                        .replace("runners: [h100, h100-multinode]", "runners: []")
                        .replace("runner-nodes: {h100: 20, h100-multinode: 4}", "")
                        .replace("headless-multinode: false", "headless-multinode: true"));

        EnrichedPoint plain = planner(null).plan(sweep).points().get(0).enriched();
        EnrichedPoint headless = planner("h100-headless").plan(sweep).points().get(0).enriched();

        assertThat(plain.refused()).contains("tensor parallelism").contains("16");
        assertThat(headless.refused()).isNull();
    }

    @Test
    void aRunnerNoProfileServesIsRefusedWithThatReasonNotDropped() throws IOException {
        Path sweep = write("tpu.yaml", Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"))
                .replace("runner: h100\n", "runner: tpu-v5p\n"));

        Plan plan = planner(null).plan(sweep);

        assertThat(plan.points()).hasSize(85);
        assertThat(plan.points()).filteredOn(p -> "tpu-v5p".equals(p.enriched().point().runner()))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.enriched().refused()).contains("no cluster profile serves runner 'tpu-v5p'"));
    }

    @Test
    void anH100PointGoesToTheClusterWithMostH100RunnersUnlessTheSweepNamesAnother() throws IOException {
        Path excerpt = Fixtures.fixture("inferencemax/master-excerpt.yaml");
        Path onCoreWeave = write("on-cw.yaml", "sweep:\n  profile: h100-cw\n" + Files.readString(excerpt));

        assertThat(planner(null).plan(excerpt).points()).filteredOn(p -> "h100".equals(p.enriched().point().runner()))
                .isNotEmpty().allSatisfy(p -> assertThat(p.enriched().profile()).isEqualTo("h100-dgxc-slurm"));
        assertThat(planner(null).plan(onCoreWeave).points()).filteredOn(p -> "h100".equals(p.enriched().point().runner()))
                .isNotEmpty().allSatisfy(p -> assertThat(p.enriched().profile()).isEqualTo("h100-cw"));
    }

    @Test
    void pointsThatDifferOnlyInConcurrencyShareAJobWithAStableKey() {
        Path excerpt = Fixtures.fixture("inferencemax/master-excerpt.yaml");
        Plan first = planner(null).plan(excerpt);
        Plan second = planner(null).plan(excerpt);

        // MiniMax-M2.5 on H100 runs with the same server at every concurrency (InferenceMAX's minimaxm2.5_fp8_h100.sh
        // does not size it by concurrency, unlike its gptoss_fp4_h100.sh: those points get a server each).
        PlannedJob minimax1k1k = first.jobs().stream().filter(j -> j.jobKey().startsWith("minimaxm2.5_1k1k-"))
                .findFirst().orElseThrow();
        assertThat(minimax1k1k.concurrencies()).containsExactly(4, 8, 16, 32, 64);
        assertThat(first.pointsOf(minimax1k1k)).hasSize(5)
                .allSatisfy(p -> assertThat(p.enriched().point().tp()).isEqualTo(4));
        assertThat(second.jobs()).extracting(PlannedJob::jobKey)
                .containsExactlyElementsOf(first.jobs().stream().map(PlannedJob::jobKey).toList());
        assertThat(first.jobs()).extracting(PlannedJob::jobKey).doesNotHaveDuplicates();
    }

    @Test
    void jsonCarriesTheInferenceMaxFieldsPlusSweepdsOwn() throws IOException {
        JsonNode json = new ObjectMapper().readTree(PlanJson.render(seedPlan(null)));

        JsonNode point = json.get("points").get(0);
        for (String field : List.of("image", "model", "model-prefix", "precision", "framework", "runner", "isl", "osl",
                "spec-decoding", "prefill", "decode", "conc", "max-model-len", "exp-name", "disagg", "run-eval",
                "job-key", "profile", "workarounds", "refused")) {
            assertThat(point.has(field)).as(field).isTrue();
        }
        assertThat(point.get("refused").asText()).contains("74.99");
        assertThat(point.get("workarounds").findValuesAsText("id")).contains("dsv4-no-chat-template");
        assertThat(json.get("jobs").isArray()).isTrue();
    }

    @Test
    void tableShowsPointsRefusalsAndAppliedWorkarounds() {
        String table = PlanTable.render(seedPlan(null));

        // The seed PR's two multinode entries carry 11 concurrencies: "2 refused" and "11 refused" said one thing.
        assertThat(table).startsWith("Sweep file sweep.yaml: 2 configurations → 0 jobs, 11 points;"
                        + " refused: 2 configurations (11 points)\n")
                .contains(PlanTable.EVAL_LEGEND)
                .contains("Refused before submission")
                .contains("Workarounds applied")
                .contains("dsv4-indexer-memory-headroom")
                // Both seq-lens got the same changes: listed once, for both.
                .contains("dsv4-fp8-h100-dynamo-vllm on h100-dgxc-slurm (dsv4_1k1k, dsv4_8k1k)");
        assertThat(table.split("dsv4-indexer-memory-headroom", -1)).hasSize(2);
    }

    @Test
    void aRecipeSelectorRunsTheSelectedVariantThroughWorkaroundsPreflightAndThePlan() throws IOException {
        // An override recipe whose base is the seed's recipe; the zip section gives two variants.
        String seedRecipe = Files.readString(
                Fixtures.fixture("seed-pr/recipes/vllm/deepseek-v4-pro/1k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml"));
        Path recipe = home.resolve("recipes/over.yaml");
        Files.createDirectories(recipe.getParent());
        Files.writeString(recipe, "base:\n" + seedRecipe.lines().filter(line -> !line.startsWith("#"))
                .map(line -> "  " + line).collect(java.util.stream.Collectors.joining("\n")) + """

                zip_override_shape:
                  resources:
                    decode_workers: [1, 2]
                  backend:
                    decode_environment:
                      SWEEPD_VARIANT: ["first", "second"]
                """);
        Path sweep = write("selector.yaml", Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"))
                .replace("recipes/vllm/deepseek-v4-pro/1k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml",
                        "recipes/over.yaml:zip_override_shape[0]")
                .replace("recipes/vllm/deepseek-v4-pro/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml",
                        "recipes/over.yaml:zip_override_shape[1]"));

        Plan plan = planner("h200-dgxc-slurm").plan(sweep);

        EnrichedPoint first = plan.points().get(0).enriched();
        EnrichedPoint second = plan.points().get(1).enriched();
        assertThat(first.refused()).isNull();
        assertThat(first.recipePath()).isEqualTo(recipe + ":zip_override_shape[0]");
        ObjectNode config = first.serverConfig();
        assertThat(config.at("/backend/decode_environment/SWEEPD_VARIANT").asText()).isEqualTo("first");
        assertThat(config.get("name").asText()).isEqualTo("dsv4-vllm-disagg-h100-fp8-1p1d-dep16-dep16_shape_0");
        assertThat(config.has("base")).isFalse();
        // The rules found the recipe's engine args, which only the expanded variant has at the top level.
        assertThat(changesOf(first, "dynamo-vllm-no-frontend-flags-on-workers")).isNotEmpty();
        assertThat(config.at("/backend/vllm_config/decode").has("tool-call-parser")).isFalse();
        // Preflight reads the variant: [1] says two decode workers, the sweep one.
        assertThat(second.refused()).contains("resources.decode_workers is 2 but the sweep's decode num-worker is 1");

        assertThat(PlanJson.point(plan.points().get(0)).get("recipe")).isEqualTo(recipe + ":zip_override_shape[0]");
        assertThat(PlanTable.render(plan)).contains("Recipes")
                .contains("dsv4-fp8-h100-dynamo-vllm on h200-dgxc-slurm (dsv4_8k1k): " + recipe + ":zip_override_shape[1]");
    }

    private static List<String> changesOf(EnrichedPoint point, String ruleId) {
        return point.workarounds().stream().filter(w -> w.id().equals(ruleId)).findFirst()
                .map(AppliedWorkaround::changes).orElse(List.of());
    }

    private Path write(String name, String text) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aPointOnOneRunnerNodeIsPlacedOnThatNodesClusterProfile() throws Exception {
        Path dir = home.resolve("configs");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("runners.yaml"),
                "h100: [h100-cw_00, h100-dgxc-slurm_03]\nh200: [h200-nb_0]\n");
        java.nio.file.Files.writeString(dir.resolve("sweep.yaml"),
                java.nio.file.Files.readString(Path.of(getClass().getResource("/render/gptoss-single-node.yaml").toURI()))
                        .replace("sweep:\n", "sweep:\n  filters: {runner-node-filter: \"_0\", max-conc: 4}\n"));

        Plan plan = planner(null).plan(dir.resolve("sweep.yaml"));

        assertThat(plan.points()).extracting(p -> p.enriched().point().runner(), p -> p.enriched().profile())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("h100-cw_00", "h100-cw"),
                        org.assertj.core.groups.Tuple.tuple("h100-dgxc-slurm_03", "h100-dgxc-slurm"));
    }
}
