package io.sweepd.triage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.Fixtures;
import io.sweepd.core.JobDirectory;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.sim.EngineSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed PR's runs replayed on the DEV engine simulator, fix by fix in the PR's order, each job directory
 * triaged as the daemon would: the logs are split over the Slurm output, one file per worker, the frontend's
 * and the benchmark's, as on the cluster. Each run must be named with the next fix the PR made.
 */
class SimulatedSeedRunsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SEED_RECIPE = "seed-pr/recipes/vllm/deepseek-v4-pro/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml";

    @TempDir
    static Path home;

    private static Plan seed;
    private static Triage triage;

    @TempDir
    Path tmp;

    @BeforeAll
    static void planTheSeed() {
        seed = RenderFixtures.seedOnH200(home);
        triage = new Triage(SignatureCatalog.shipped());
    }

    /** The seed's 8k1k job rendered for the H100 cluster, its recipe as first submitted with some fixes, run. */
    private JobDirectory run(Consumer<ObjectNode> fixes) throws IOException {
        Path dir = tmp.resolve("job");
        PlannedJob job = seed.jobs().stream().filter(j -> j.jobKey().startsWith("dsv4_8k1k")).findFirst().orElseThrow();
        new JobRenderer().render(RenderFixtures.request(seed, job, RenderFixtures.profile("h100-dgxc-slurm"), dir));
        ObjectNode recipe = (ObjectNode) YAML.readTree(Fixtures.fixture(SEED_RECIPE).toFile());
        fixes.accept(recipe);
        YAML.writeValue(dir.resolve(JobDirectory.RECIPE).toFile(), recipe);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = new EngineSimulator(Map.of("SWEEPD_SIM_TIME_SCALE", "0"), d -> { },
                new PrintStream(stdout, true, StandardCharsets.UTF_8)).srtctlSweep(dir);
        JobDirectory jobDir = new JobDirectory(dir);
        // On the cluster the script's stdout is Slurm's --output file in logs/.
        Files.writeString(jobDir.slurmOutput("4242"), stdout.toString(StandardCharsets.UTF_8));
        Files.writeString(jobDir.exitCodeFile(), exit + "\n");
        return jobDir;
    }

    private static List<ObjectNode> workers(ObjectNode recipe) {
        ObjectNode vllm = (ObjectNode) recipe.at("/backend/vllm_config");
        return List.of((ObjectNode) vllm.get("prefill"), (ObjectNode) vllm.get("decode"));
    }

    private static void pinDynamo(ObjectNode r) {
        ObjectNode dynamo = (ObjectNode) r.get("dynamo");
        dynamo.remove("version");
        dynamo.put("hash", "6a159fedd8e4a1563aa647c31f622aedbf254b5b");
    }

    private static void workerFlagsOnly(ObjectNode r) {
        workers(r).forEach(w -> w.remove(List.of("tokenizer-mode", "tool-call-parser", "reasoning-parser",
                "enable-auto-tool-choice")));
    }

    private static void longHealthCheck(ObjectNode r) {
        r.putObject("health_check").put("max_attempts", 1440).put("interval_seconds", 10);
    }

    private static void ncclNotNvshmem(ObjectNode r) {
        workers(r).forEach(w -> w.remove("all2all-backend"));
    }

    private static void assertNamed(JobDirectory dir, Category category, String fix) {
        TriageResult result = triage.classify(dir, null);
        assertThat(result.category()).as(result.toString()).isEqualTo(category);
        assertThat(result.suggestedWorkaround()).as(result.toString()).isEqualTo(fix);
    }

    @Test
    void theRecipeAsFirstSubmittedNeedsDynamoPinned() throws IOException {
        assertNamed(run(r -> { }), Category.DEPENDENCY_MISMATCH, "dsv4-dynamo-vllm-pin-dynamo-commit");
    }

    @Test
    void thenTheWorkersRejectTheFrontendFlags() throws IOException {
        assertNamed(run(SimulatedSeedRunsTest::pinDynamo), Category.UNSUPPORTED_ARGUMENT,
                "dynamo-vllm-no-frontend-flags-on-workers");
    }

    @Test
    void thenTheDeadlinePassesWhileTheWeightsLoadWithTheProgressInAnotherFile() throws IOException {
        JobDirectory dir = run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
        });

        assertNamed(dir, Category.STARTUP_DEADLINE, "dsv4-multinode-slow-weight-load");
        assertThat(triage.classify(dir, null).file()).startsWith("logs/slurm-");
    }

    @Test
    void thenNvshmemFailsItsIpcBootstrapAfterTheWeightsLoaded() throws IOException {
        assertNamed(run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            longHealthCheck(r);
        }), Category.COMMUNICATION_BOOTSTRAP, "dsv4-hopper-nccl-instead-of-nvshmem");
    }

    @Test
    void thenTheIndexerRunsOutOfMemoryAtTheRecipes095AsInThePr() throws IOException {
        assertNamed(run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            longHealthCheck(r);
            ncclNotNvshmem(r);
        }), Category.GPU_OUT_OF_MEMORY, "dsv4-indexer-memory-headroom");
    }

    @Test
    void thenAt085TheWeightsAloneFillTheGpuAtDp16() throws IOException {
        JobDirectory dir = run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            longHealthCheck(r);
            ncclNotNvshmem(r);
            workers(r).forEach(w -> w.put("gpu-memory-utilization", 0.85));
        });

        TriageResult result = triage.classify(dir, null);
        assertThat(result.signature()).isEqualTo("gpu-oom-weights-fill-gpu");
        assertThat(result.diagnosis()).contains("74.99 GiB").contains("cannot work on these GPUs");
    }

    @Test
    void atDp32TheIndexerRunsOutOfMemoryAtWarmup() throws IOException {
        assertNamed(run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            longHealthCheck(r);
            ncclNotNvshmem(r);
            workers(r).forEach(w -> w.put("data-parallel-size", 32));
        }), Category.GPU_OUT_OF_MEMORY, "dsv4-indexer-memory-headroom");
    }

    @Test
    void thenTheBenchmarkClientNeedsNoChatTemplate() throws IOException {
        assertNamed(run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            longHealthCheck(r);
            ncclNotNvshmem(r);
            workers(r).forEach(w -> w.put("data-parallel-size", 32).put("gpu-memory-utilization", 0.85));
            ((ObjectNode) r.get("benchmark")).put("use_chat_template", true);
        }), Category.BENCHMARK_CLIENT, "dsv4-no-chat-template");
    }

    @Test
    void tensorParallelismAcrossNodesNeedsHeadlessWorkers() throws IOException {
        assertNamed(run(r -> {
            pinDynamo(r);
            workerFlagsOnly(r);
            workers(r).forEach(w -> w.put("tensor-parallel-size", 16).put("data-parallel-size", 1));
        }), Category.PARALLEL_CONFIG, "dynamo-vllm-cross-node-tp-needs-headless");
    }
}
