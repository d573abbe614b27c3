package io.sweepd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.plan.Plan;
import io.sweepd.render.RenderFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EngineSimulatorTest {

    /** Every key of an sa-bench / {@code vllm bench serve} result that sweepd's collect step reads. */
    static final List<String> RESULT_KEYS = resultKeys();

    @TempDir
    static Path home;

    private static Plan gptoss;
    private static Plan dsr1;
    private static Plan seed;

    @TempDir
    Path out;

    @BeforeAll
    static void plan() {
        gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "local", home);
        dsr1 = RenderFixtures.planResource("dsr1-disagg.yaml", "local-h200", home);
        seed = RenderFixtures.seedOnH200(home);
    }

    private Path render(Plan plan, String name) {
        Path dir = out.resolve(name);
        RenderFixtures.renderFirst(plan, dir);
        return dir;
    }

    @Test
    void aggregatedJobWritesOneWellFormedResultPerConcurrencyNamedByTotalGpus() {
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "gptoss"), Map.of());

        assertThat(run.exit()).as(run.stdout()).isZero();
        assertThat(run.results()).containsExactlyInAnyOrder("results_concurrency_4_gpus_2.json",
                "results_concurrency_8_gpus_2.json", "results_concurrency_16_gpus_2.json",
                "results_concurrency_32_gpus_2.json", "results_concurrency_64_gpus_2.json");
        for (int c : List.of(4, 8, 16, 32, 64)) {
            JsonNode result = run.result("results_concurrency_" + c + "_gpus_2.json");
            assertThat(result.fieldNames()).toIterable().containsAll(RESULT_KEYS);
            assertThat(result.get("max_concurrency").asInt()).isEqualTo(c);
            assertThat(result.get("request_rate").asText()).isEqualTo("inf");
            assertThat(result.get("model_id").asText()).isEqualTo("openai/gpt-oss-120b");
            assertThat(result.get("completed").asInt()).isEqualTo(result.get("num_prompts").asInt()).isPositive();
            assertThat(result.get("failed").asInt()).isZero();
            assertThat(result.get("total_input_tokens").asLong()).isEqualTo(1024L * result.get("num_prompts").asInt());
            assertThat(result.get("total_output_tokens").asLong()).isEqualTo(1024L * result.get("num_prompts").asInt());
            assertThat(result.get("total_token_throughput").asDouble())
                    .isGreaterThan(result.get("output_throughput").asDouble());
            for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
                assertThat(result.get("median_" + metric + "_ms").asDouble()).isPositive()
                        .isLessThan(result.get("p90_" + metric + "_ms").asDouble());
                assertThat(result.get("p90_" + metric + "_ms").asDouble())
                        .isLessThan(result.get("p99_" + metric + "_ms").asDouble());
            }
        }
        assertThat(run.log("server-0.log")).contains("[server-0] INFO ").contains("Application startup complete");
        assertThat(run.log("benchmark.log")).contains("============ Serving Benchmark Result ============");
    }

    @Test
    void throughputPerGpuRisesAndInteractivityFallsWithConcurrency() {
        SimJobs.Outcome run = SimJobs.simulate(SimJobs.seedJob(seed, "h200-dgxc-slurm", out.resolve("seed")), Map.of());

        assertThat(run.exit()).as(run.stdout()).isZero();
        double lastTput = 0;
        double lastInteractivity = Double.MAX_VALUE;
        double lastTtft = 0;
        for (int c : List.of(4, 8, 16, 32, 64)) {
            JsonNode r = run.result("results_concurrency_" + c + "_gpus_32_ctx_16_gen_16.json");
            double tputPerGpu = r.get("total_token_throughput").asDouble() / 32;
            double interactivity = 1000 / r.get("median_tpot_ms").asDouble();
            assertThat(tputPerGpu).as("throughput/GPU at " + c).isGreaterThan(lastTput);
            assertThat(interactivity).as("interactivity at " + c).isLessThan(lastInteractivity);
            assertThat(r.get("mean_ttft_ms").asDouble()).as("TTFT at " + c).isGreaterThanOrEqualTo(lastTtft);
            lastTput = tputPerGpu;
            lastInteractivity = interactivity;
            lastTtft = r.get("mean_ttft_ms").asDouble();
        }
    }

    @Test
    void disaggregatedJobNamesPrefillAndDecodeGpusAndWritesTheEvalAtItsConcurrency() {
        SimJobs.Outcome run = SimJobs.simulate(render(dsr1, "dsr1"), Map.of());

        assertThat(run.exit()).as(run.stdout()).isZero();
        assertThat(run.results()).containsExactlyInAnyOrder("results_concurrency_8_gpus_16_ctx_8_gen_8.json",
                "results_concurrency_16_gpus_16_ctx_8_gen_8.json", "results_concurrency_32_gpus_16_ctx_8_gen_8.json",
                "results_concurrency_64_gpus_16_ctx_8_gen_8.json", "eval_gsm8k.json");
        JsonNode gsm8k = run.result("eval_gsm8k.json").at("/results/gsm8k");
        for (String key : List.of("exact_match,strict-match", "exact_match_stderr,strict-match",
                "exact_match,flexible-extract", "exact_match_stderr,flexible-extract")) {
            assertThat(gsm8k.get(key).asDouble()).as(key).isBetween(0.0, 1.0);
        }
        assertThat(gsm8k.get("exact_match,strict-match").asDouble()).isEqualTo(0.93);
        assertThat(run.result("eval_gsm8k.json").at("/config/num_concurrent").asInt()).isEqualTo(32);
        assertThat(run.log("prefill-0.log")).contains("[prefill-7] INFO ");
        assertThat(run.log("decode-0.log")).contains("[decode-0] INFO ").contains("Model loading took 98.69 GiB");
        assertThat(run.log("frontend.log")).contains("Application startup complete").contains("\"GET /health HTTP/1.1\" 200 OK");
    }

    @Test
    void sameJobGivesTheSameNumbers() throws Exception {
        SimJobs.Outcome first = SimJobs.simulate(render(gptoss, "one"), Map.of());
        SimJobs.Outcome second = SimJobs.simulate(render(gptoss, "two"), Map.of());

        for (String name : first.results()) {
            ObjectNode a = (ObjectNode) first.result(name);
            ObjectNode b = (ObjectNode) second.result(name);
            a.remove("date");
            b.remove("date");
            assertThat(a).as(name).isEqualTo(b);
        }
    }

    @Test
    void theProfilesLauncherEnvironmentDecidesTheSimulatedGpu() {
        // DeepSeek-R1 at DP8/EP8 holds 98.69 GiB a rank: fine on H200s, more than an H100 has.
        SimJobs.Outcome run = SimJobs.simulate(render(dsr1, "dsr1-on-h100"),
                Map.of("SWEEPD_SIM_GPU", "h100", "SWEEPD_SIM_GPU_MEMORY_GIB", "79.19"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).anyMatch(l -> l.startsWith("torch.OutOfMemoryError: CUDA out of memory.")
                && l.contains("total capacity of 79.19 GiB"));
        assertThat(run.results()).isEmpty();
    }

    @Test
    void slurmsEnvironmentIsReportedInTheJobOutput() {
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "slurm-env"), Map.of("SLURM_JOB_ID", "4242",
                "SLURM_JOB_NODELIST", "gpu-node1", "CUDA_VISIBLE_DEVICES", "0,1"));

        assertThat(run.stdout()).contains("slurm job 4242 on gpu-node1").contains("CUDA_VISIBLE_DEVICES=0,1");
    }

    @Test
    void exitOneKnobLogsAFewLinesAndFails() {
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "exit1"), Map.of("SWEEPD_SIM_BEHAVIOUR", "exit-1"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.log("server-0.log")).contains("Automatically detected platform cuda.")
                .contains("SWEEPD_SIM_BEHAVIOUR=exit-1");
        assertThat(run.results()).isEmpty();
    }

    @Test
    void recipeSimulatorBlockOverridesTheEnvironment() {
        Path dir = render(gptoss, "recipe-knob");
        SimJobs.editRecipe(dir, r -> {
            r.putObject("simulator").put("behaviour", "exit-1");
            return r;
        });

        assertThat(SimJobs.simulate(dir, Map.of("SWEEPD_SIM_BEHAVIOUR", "no-log")).exit()).isEqualTo(1);
    }

    @Test
    void noLogKnobExitsZeroWithoutLogsOrResults() throws Exception {
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "nolog"), Map.of("SWEEPD_SIM_BEHAVIOUR", "no-log"));

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(run.dir().resolve("logs")).isEmptyDirectory();
        assertThat(run.results()).isEmpty();
    }

    @Test
    void hangKnobStartsLogsAndSleepsUntilKilledWithoutEverBecomingHealthy() {
        AtomicInteger realSleeps = new AtomicInteger();
        EngineSimulator.Sleeper killedAfterAFewSeconds = d -> {
            if (d.equals(Duration.ofSeconds(1)) && realSleeps.incrementAndGet() >= 5) {
                throw new InterruptedException("scancel");
            }
        };
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "hang"), Map.of("SWEEPD_SIM_BEHAVIOUR", "hang"),
                killedAfterAFewSeconds);

        assertThat(realSleeps.get()).isEqualTo(5);
        assertThat(run.exit()).isEqualTo(143);
        assertThat(run.log("server-0.log")).contains("Loading safetensors checkpoint shards:   0% Completed")
                .doesNotContain("Application startup complete");
        assertThat(run.results()).isEmpty();
    }

    @Test
    void slowKnobWaitsThatManyRealSecondsThenFinishes() {
        List<Duration> sleeps = new ArrayList<>();
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "slow"), Map.of("SWEEPD_SIM_BEHAVIOUR", "slow 7"),
                sleeps::add);

        assertThat(run.exit()).isZero();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7)); // scale 0: nothing else sleeps
        assertThat(run.results()).hasSize(5);
    }

    @Test
    void simulatedTimeIsScaledIntoWallTime() {
        List<Duration> sleeps = new ArrayList<>();
        SimJobs.Outcome run = SimJobs.simulate(render(gptoss, "scaled"), Map.of("SWEEPD_SIM_TIME_SCALE", "0.001"),
                sleeps::add);

        assertThat(run.exit()).isZero();
        long totalMillis = sleeps.stream().mapToLong(Duration::toMillis).sum();
        // ~215 s to healthy + five benchmark runs of a few minutes each, at 1/1000.
        assertThat(totalMillis).isBetween(500L, 3_000L);
    }

    @Test
    void badInvocationsExitTwoWithAReason() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        EngineSimulator sim = new EngineSimulator(Map.of(), d -> { }, new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(sim.run(new String[0])).isEqualTo(2);
        assertThat(sim.run(new String[] {"python3", "-m", "srtctl.cli.do_sweep"})).isEqualTo(2);
        assertThat(sim.run(new String[] {"python3", "-m", "srtctl.cli.do_sweep",
                out.resolve("missing/recipe.yaml").toString()})).isEqualTo(2);
        Files.createDirectories(out.resolve("empty"));
        assertThat(sim.run(new String[] {"python3", "-m", "srtctl.cli.do_sweep",
                out.resolve("empty/recipe.yaml").toString()})).isEqualTo(2);
        assertThat(sim.run(new String[] {"vllm", "serve", "m", "--port", "1"})).isEqualTo(2);
        assertThat(SimJobs.simulate(render(gptoss, "bad-knob"), Map.of("SWEEPD_SIM_BEHAVIOUR", "explode")).exit())
                .isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("does not run ''").contains("needs one recipe")
                .contains("does not exist").contains("plan.json is missing").contains("SWEEPD_JOB_DIR is not set");
    }

    @Test
    void asTheHarnessRunsItTheServerAnswersHealthAndTheClientsWriteWhereTheirRealToolsWould() throws Exception {
        Path dir = render(gptoss, "harness").toAbsolutePath();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Map<String, String> env = Map.of("SWEEPD_JOB_DIR", dir.toString(), "SWEEPD_SIM_TIME_SCALE", "0");
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        EngineSimulator server = new EngineSimulator(env, d -> { },
                new PrintStream(serverOut, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        EngineSimulator client = new EngineSimulator(env, d -> { },
                new PrintStream(clientOut, true, StandardCharsets.UTF_8));
        String[] bench = {"vllm", "bench", "serve", "--base-url", base, "--max-concurrency", "8",
                "--result-dir", dir.resolve("results").toString(), "--result-filename", "results_concurrency_8_gpus_2.json"};

        assertThat(client.run(bench)).as("no server yet").isEqualTo(1);
        assertThat(clientOut.toString(StandardCharsets.UTF_8)).contains("Cannot connect to host");

        Thread serving = new Thread(() -> server.run(new String[] {"vllm", "serve", "openai/gpt-oss-120b",
                "--host", "127.0.0.1", "--port", String.valueOf(port)}));
        serving.setDaemon(true); // serves until the JVM ends, as the real one does until SIGTERM
        serving.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1))
                .until(() -> serverOut.toString(StandardCharsets.UTF_8).contains("Uvicorn running on " + base));

        assertThat(client.run(bench)).as(clientOut.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode result = SimJobs.JSON.readTree(dir.resolve("results/results_concurrency_8_gpus_2.json").toFile());
        assertThat(result.fieldNames()).toIterable().containsAll(RESULT_KEYS);
        assertThat(result.get("max_concurrency").asInt()).isEqualTo(8);

        assertThat(client.run(new String[] {"lm_eval", "--model", "local-completions", "--model_args",
                "model=openai/gpt-oss-120b,base_url=" + base + "/v1/completions,num_concurrent=8", "--tasks", "gsm8k",
                "--output_path", dir.resolve("results/eval-c8").toString()})).isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("results/eval-c8"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
                    .singleElement().asString().matches("results/eval-c8/openai__gpt-oss-120b/results_\\d+\\.json");
        }
        assertThat(serverOut.toString(StandardCharsets.UTF_8)).contains("Application startup complete")
                .doesNotContain("orchestrator:");
    }

    @Test
    void behaviourKnobsParse() {
        assertThat(Behaviour.parse(null)).isEqualTo(Behaviour.NORMAL);
        assertThat(Behaviour.parse("slow=30")).isEqualTo(new Behaviour(Behaviour.Kind.SLOW, 30));
        assertThat(Behaviour.parse(" Slow 5 ").kind()).isEqualTo(Behaviour.Kind.SLOW);
        assertThat(Behaviour.parse("hang").kind()).isEqualTo(Behaviour.Kind.HANG);
    }

    private static List<String> resultKeys() {
        List<String> keys = new ArrayList<>(List.of("date", "backend", "model_id", "tokenizer_id", "num_prompts",
                "request_rate", "burstiness", "max_concurrency", "duration", "completed", "failed",
                "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput",
                "output_throughput", "total_token_throughput"));
        Stream.of("ttft", "tpot", "itl", "e2el").forEach(m -> Stream.of("mean", "median", "std", "p90", "p99")
                .forEach(s -> keys.add(s + "_" + m + "_ms")));
        return List.copyOf(keys);
    }
}
