package io.sweepd.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.plan.Plan;
import io.sweepd.render.RenderFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.sweepd.sim.SimJobs.chatTemplate;
import static io.sweepd.sim.SimJobs.dataParallel32;
import static io.sweepd.sim.SimJobs.dropDeepep;
import static io.sweepd.sim.SimJobs.dropFrontendFlags;
import static io.sweepd.sim.SimJobs.fixtureLines;
import static io.sweepd.sim.SimJobs.memoryUtilization;
import static io.sweepd.sim.SimJobs.pinDynamo;
import static io.sweepd.sim.SimJobs.raiseHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed PR's recipe as first submitted, on the H100 cluster's hardware, fixed one case at a time in the PR's
 * order: each configuration dies with the next case's log lines, the same lines the fixture logs contain (less
 * the process prefix, which names whichever rank died first).
 */
class SeedFailureSignaturesTest {

    @TempDir
    static Path home;

    private static Plan seed;

    @TempDir
    Path dir;

    @BeforeAll
    static void plan() {
        seed = RenderFixtures.seedOnH200(home);
    }

    private SimJobs.Outcome onH100(UnaryOperator<ObjectNode> recipe) {
        SimJobs.seedJob(seed, "h100-dgxc-slurm", dir);
        SimJobs.withSeedRecipe(dir, recipe);
        return SimJobs.simulate(dir, Map.of());
    }

    @Test
    void case2DynamoReleaseWithTheDsv4ImageFailsToImportVllmInputsData() {
        SimJobs.Outcome run = onH100(r -> r);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsSubsequence(fixtureLines("02-dynamo-import.log"));
        assertThat(run.log("prefill-0.log")).contains("[prefill-0] ModuleNotFoundError: No module named 'vllm.inputs.data'");
        assertThat(run.results()).isEmpty();
    }

    @Test
    void case3ApiServerFlagsOnDynamoWorkersAreUnrecognizedArguments() {
        SimJobs.Outcome run = onH100(r -> {
            pinDynamo(r);
            SimJobs.roles(r).forEach(args -> args.remove(List.of("tokenizer-mode", "reasoning-parser")));
            return r;
        });

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).containsSubsequence(fixtureLines("03-api-server-flags.log"));
        assertThat(run.log("prefill-0.log")).contains("[prefill-0] python3 -m dynamo.vllm: error: unrecognized arguments:"
                + " --enable-auto-tool-choice --tool-call-parser deepseek_v4");
    }

    @Test
    void case3AllFourFlagsOfTheSeedRecipeAreNamedStartingWithTheFixturesTwo() {
        SimJobs.Outcome run = onH100(SimJobs::pinDynamo);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).anyMatch(l -> l.startsWith(fixtureLines("03-api-server-flags.log").get(1))
                && l.contains("--tokenizer-mode deepseek_v4") && l.contains("--reasoning-parser deepseek_v4"));
    }

    @Test
    void case7TensorParallelismWiderThanANodeIsRefusedByParallelConfig() {
        SimJobs.Outcome run = onH100(r -> {
            dropFrontendFlags(pinDynamo(r));
            SimJobs.roles(r).forEach(args -> {
                args.put("tensor-parallel-size", 16);
                args.put("data-parallel-size", 1);
            });
            return r;
        });

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsSubsequence(fixtureLines("07-cross-node-tp.log"));
    }

    @Test
    void case8WeightsLoadingPastTheDefaultHealthWindowHitTheOrchestratorsDeadline() {
        SimJobs.Outcome run = onH100(r -> dropFrontendFlags(pinDynamo(r)));

        List<String> fixture = fixtureLines("08-weight-load-deadline.log");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).contains(fixture.get(0)); // 0/64 shards
        assertThat(run.lines()).anyMatch(l -> l.matches(
                "Loading safetensors checkpoint shards: +\\d+% Completed \\| \\d+/64 \\[[\\d:]+<[\\d:]+, [\\d.]+s/it]"));
        assertThat(run.stdout()).contains(fixture.get(3) + "\n"); // deadline of 1800 s
        assertThat(run.lines()).noneMatch(l -> l.contains("Model loading took"));
    }

    @Test
    void case4DeepepAllToAllOnHopperDiesInNvshmemAfterTheWeightsLoaded() {
        SimJobs.Outcome run = onH100(r -> raiseHealthCheck(dropFrontendFlags(pinDynamo(r))));

        List<String> fixture = fixtureLines("04-nvshmem-ipc.log");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsSubsequence(fixture.get(1), fixture.get(2));
        assertThat(run.lines()).anyMatch(l -> l.matches("INFO \\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[gpu_model_runner.py:2011]"
                + " Model loading took 74.99 GiB and [\\d.]+ seconds"));
        assertThat(run.log("prefill-0.log")).contains("[prefill-3] " + fixture.get(1));
    }

    @Test
    void case5ComesBeforeCase9AtTheRecipesFirst095OnAnH100AsItDidInThePr() {
        SimJobs.Outcome run = onH100(r -> dropDeepep(raiseHealthCheck(dropFrontendFlags(pinDynamo(r)))));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsSubsequence(fixtureLines("05-indexer-oom.log"));
        assertThat(run.lines()).noneMatch(l -> l.contains(fixtureLines("09-per-rank-oom.log").get(1)));
    }

    @Test
    void case9TheIndexerCapOf085CannotSaveDp16OnEightyGigabyteCards() {
        SimJobs.Outcome run = onH100(r -> memoryUtilization(dropDeepep(raiseHealthCheck(dropFrontendFlags(pinDynamo(r)))), 0.85));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).anyMatch(l -> l.contains("Model loading took 74.99 GiB"));
        assertThat(run.lines()).contains(fixtureLines("09-per-rank-oom.log").get(1));
    }

    @Test
    void case5Dsv4At095OnAnEightyGigabyteCardRunsTheIndexerOutOfMemoryAtWarmup() {
        SimJobs.Outcome run = onH100(r -> dataParallel32(dropDeepep(raiseHealthCheck(dropFrontendFlags(pinDynamo(r))))));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsSubsequence(fixtureLines("05-indexer-oom.log"));
        assertThat(run.lines()).noneMatch(l -> l.contains("Application startup complete"));
    }

    @Test
    void case6ChatTemplateOnDsv4ProFailsTheBenchmarkClientOfAHealthyServer() {
        SimJobs.Outcome run = onH100(r -> chatTemplate(memoryUtilization(dataParallel32(dropDeepep(raiseHealthCheck(
                dropFrontendFlags(pinDynamo(r))))), 0.85), true));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.log("frontend.log")).contains("Application startup complete");
        assertThat(run.log("benchmark.log").lines().toList()).containsSubsequence(fixtureLines("06-chat-template.log"));
        assertThat(run.results()).isEmpty();
    }

    @Test
    void withEveryFixAppliedTheSameShapeServesAndBenchmarks() {
        SimJobs.Outcome run = onH100(r -> chatTemplate(memoryUtilization(dataParallel32(dropDeepep(raiseHealthCheck(
                dropFrontendFlags(pinDynamo(r))))), 0.85), false));

        assertThat(run.exit()).as(run.stdout()).isZero();
        assertThat(run.results()).hasSize(6); // 5 concurrencies + the gsm8k eval
    }

    @Test
    void theRecipeSweepdPatchesStillDiesOfCaseNineOnH100sAsPreflightPredicts() throws Exception {
        Plan onH100 = RenderFixtures.seedOnH200(home); // the job shape; the H100 patch is read from a refusal below
        Plan refused = RenderFixtures.plan(io.sweepd.Fixtures.fixture("seed-pr/sweep.yaml"), null, home);
        ObjectNode patched = refused.points().stream().filter(p -> p.jobKey().startsWith("dsv4_8k1k")).findFirst()
                .orElseThrow().enriched().serverConfig();
        assertThat(refused.points()).allMatch(p -> p.enriched().refused().contains("74.99 GiB"));

        SimJobs.seedJob(onH100, "h100-dgxc-slurm", dir);
        SimJobs.YAML.writeValue(dir.resolve("recipe.yaml").toFile(), patched);
        SimJobs.Outcome run = SimJobs.simulate(dir, Map.of());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).anyMatch(l -> l.contains("Model loading took 74.99 GiB"))
                .contains(fixtureLines("09-per-rank-oom.log").get(1));
        assertThat(Files.readString(dir.resolve("recipe.yaml"))).contains("6a159fedd8e4a1563aa647c31f622aedbf254b5b");
    }
}
