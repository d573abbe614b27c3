package io.sweepd.render.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.ledger.ResultState;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderedJob;
import io.sweepd.render.ScriptRun;
import io.sweepd.results.ConcurrencyResult;
import io.sweepd.results.JobResults;
import io.sweepd.results.JobResultsCollector;
import io.sweepd.results.PointSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-node job scripts run with fake tools that record the argv they were given: a server on its port
 * (python's http.server), health polling, clients per concurrency, the container runtimes' image caches. An
 * integration test (failsafe, {@code mvn verify}) because each case starts processes and waits for the harness's
 * health poll, seconds per case, and every case's server listens on the same port (the one the job's run and key
 * give), so no other test class may run them at the same time; what the scripts say is {@link SingleNodeJobTest}'s.
 */
class SingleNodeJobRunIT extends SingleNodeJobSupport {

    @Test
    void bareMetalJobServesOnceBenchmarksEveryConcurrencyEvaluatesAndStopsTheServer() throws Exception {
        Path venv = out.resolve("venv");
        FakeTools tools = FakeTools.in(venv);  // only in the venv: the job finds them through the profile's venv
        ClusterProfile none = withRuntime(h100cw(), "none", paths(h100cw().paths(), venv.toString()));
        RenderedJob rendered = render(none, out.resolve("job"), withEvalAt(16));

        ScriptRun run = ScriptRun.of(rendered.script(), Map.of());

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(rendered.directory().exitCode()).hasValue(0);
        List<List<String>> vllm = tools.callsOf("vllm");
        List<List<String>> serves = vllm.stream().filter(argv -> argv.get(0).equals("serve")).toList();
        assertThat(serves).hasSize(1);
        int port = SingleNodeJob.of(request(none, out.resolve("job"), withEvalAt(16)),
                rendered.directory()).port();
        assertThat(serves.get(0)).startsWith("serve", "openai/gpt-oss-120b", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--served-model-name", "openai/gpt-oss-120b");
        assertThat(String.join(" ", serves.get(0))).contains("--tensor-parallel-size 2");

        List<List<String>> benches = vllm.stream().filter(argv -> argv.get(0).equals("bench")).toList();
        assertThat(benches).extracting(argv -> value(argv, "--max-concurrency"))
                .containsExactly("4", "8", "16", "32", "64");
        List<String> conc8 = benches.get(1);
        assertThat(value(conc8, "--num-prompts")).isEqualTo("80");
        assertThat(value(conc8, "--dataset-name")).isEqualTo("random");
        // InferenceMAX's [0.8 x 1024, 1024] in vllm bench serve's terms: 921 +- 1/9 (BenchmarkClientTest)
        assertThat(value(conc8, "--random-input-len")).isEqualTo("921");
        assertThat(value(conc8, "--random-output-len")).isEqualTo("921");
        assertThat(value(conc8, "--random-range-ratio")).isEqualTo("0.111111");
        assertThat(value(conc8, "--base-url")).isEqualTo("http://127.0.0.1:" + port);
        assertThat(value(conc8, "--result-filename")).isEqualTo("results_concurrency_8_gpus_2.json");
        try (var results = Files.list(rendered.directory().results())) {
            assertThat(results.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "results_concurrency_4_gpus_2.json", "results_concurrency_8_gpus_2.json",
                    "results_concurrency_16_gpus_2.json", "results_concurrency_32_gpus_2.json",
                    "results_concurrency_64_gpus_2.json", "eval-c16");
        }

        List<List<String>> evals = tools.callsOf("lm_eval");
        assertThat(evals).hasSize(1);
        assertThat(value(evals.get(0), "--model")).isEqualTo("local-completions");
        assertThat(value(evals.get(0), "--tasks")).isEqualTo("gsm8k");
        assertThat(evals.get(0)).doesNotContain("--include_path");
        assertThat(value(evals.get(0), "--model_args")).contains("base_url=http://127.0.0.1:" + port
                + "/v1/completions", "num_concurrent=16");
        assertThat(rendered.directory().results().resolve("eval-c16/model/results_2025.json")).exists();

        assertThat(rendered.directory().logs().resolve("server.log")).content().contains("fake vllm: serving");
        assertThat(run.output()).contains("sweepd: server healthy", "sweepd: stopping the server");
        assertThat(portIsFree(port)).as("the server was stopped").isTrue();
    }

    @Test
    void pyxisJobImportsOnceAndTheNextJobReusesTheSquashFile() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        Path squashDir = Files.createDirectories(out.resolve("squash"));
        ClusterProfile pyxis = withRuntime(h100cw(), "pyxis", new ClusterProfile.Paths(out.resolve("models").toString(),
                squashDir.toString(), null, null, Map.of()));
        RenderedJob first = render(pyxis, out.resolve("job1"));
        RenderedJob second = render(pyxis, out.resolve("job2"));

        ScriptRun run1 = ScriptRun.of(first.script(), tools.environment(Map.of()));
        ScriptRun run2 = ScriptRun.of(second.script(), tools.environment(Map.of()));

        assertThat(run1.exit()).as(run1.output()).isZero();
        assertThat(run2.exit()).as(run2.output()).isZero();
        Path squash = squashDir.resolve("vllm_vllm-openai_v0.18.0.sqsh");
        assertThat(tools.callsOf("enroot")).containsExactly(
                List.of("import", "-o", squash.toString(), "docker://vllm/vllm-openai:v0.18.0"));
        assertThat(run2.output()).contains("sweepd: reusing image " + squash);
        assertThat(squashDir.resolve("vllm_vllm-openai_v0.18.0.sqsh.lock")).exists();
        List<String> srun = tools.callsOf("srun").get(0);
        Path jobDir = first.directory().root();
        assertThat(srun).containsExactly("--ntasks=1", "--container-image=" + squash,
                "--container-mounts=" + jobDir + ":" + jobDir + "," + out.resolve("models") + ":" + out.resolve("models"),
                "--no-container-mount-home", "--container-workdir=" + jobDir, "--no-container-entrypoint",
                "--export=ALL", "bash", jobDir.resolve("single-node.sh").toString(), jobDir.resolve("harness").toString());
        assertThat(first.directory().results().resolve("results_concurrency_64_gpus_2.json")).exists();
    }

    @Test
    void apptainerJobPullsOnceAndExecsTheHarnessWithTheGpusAndMounts() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        Path sifDir = Files.createDirectories(out.resolve("sif"));
        ClusterProfile apptainer = withRuntime(h100cw(), "apptainer", new ClusterProfile.Paths(
                out.resolve("models").toString(), sifDir.toString(), null, out.resolve("hub").toString(), Map.of()));
        RenderedJob rendered = render(apptainer, out.resolve("job"));

        ScriptRun run = ScriptRun.of(rendered.script(), tools.environment(Map.of()));

        assertThat(run.exit()).as(run.output()).isZero();
        Path sif = sifDir.resolve("vllm_vllm-openai_v0.18.0.sif");
        List<List<String>> calls = tools.callsOf("apptainer");
        assertThat(calls.get(0)).containsExactly("inspect", sif.toString());
        assertThat(calls.get(1)).containsExactly("pull", sif.toString(), "docker://vllm/vllm-openai:v0.18.0");
        Path jobDir = rendered.directory().root();
        assertThat(calls.get(2)).startsWith("exec", "--nv", "--no-home", "--bind",
                jobDir + ":" + jobDir + "," + out.resolve("models") + ":" + out.resolve("models") + ","
                        + out.resolve("hub") + ":" + out.resolve("hub"), "--pwd", jobDir.toString(), sif.toString());
        assertThat(rendered.directory().results().resolve("results_concurrency_4_gpus_2.json")).exists();
    }

    @Test
    void aServerThatDiesIsReportedWithItsExitCodeAndNoClientRuns() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        RenderedJob rendered = render(bareMetal(), out.resolve("job"));

        ScriptRun run = ScriptRun.of(rendered.script(), tools.environment(Map.of("FAKE_SERVER_EXIT", "3")));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("sweepd: server exited with code 3 before it became healthy",
                "fake vllm: CUDA out of memory");
        assertThat(tools.callsOf("vllm")).extracting(argv -> argv.get(0)).containsExactly("serve");
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheHealthyDeadlineAndIsStopped() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        RenderedJob rendered = render(bareMetal(), out.resolve("job"), p -> new EnrichedPoint(p.point(), p.profile(),
                p.topology(), p.serverConfig(), p.recipePath(), p.workarounds(),
                new ClusterProfile.Deadlines(60, 3, 600), p.refused()));

        ScriptRun run = ScriptRun.of(rendered.script(), tools.environment(Map.of("FAKE_SERVER_HANGS", "1")));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("sweepd: server not ready within " + (3 + SingleNodeJob.HEALTH_BACKSTOP_SECONDS) + " seconds", "sweepd: stopping the server");
        assertThat(rendered.directory().exitCode()).hasValue(1);
    }

    @Test
    void aFailedConcurrencyDoesNotStopTheOthersAndFailsTheJob() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        RenderedJob rendered = render(bareMetal(), out.resolve("job"));

        ScriptRun run = ScriptRun.of(rendered.script(), tools.environment(Map.of("FAKE_BENCH_FAILS_AT", "8")));

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.output()).contains("sweepd: bench-002-c8 failed with exit code 4");
        assertThat(rendered.directory().results().resolve("results_concurrency_64_gpus_2.json")).exists();
        assertThat(rendered.directory().logs().resolve("bench-002-c8.log")).content().contains("fake bench: failed");
    }

    @Test
    void anAgenticJobReplaysTheTracesAndTheCollectorReadsAiperfsSummary() throws Exception {
        FakeTools tools = FakeTools.in(out.resolve("tools"));
        ClusterProfile bare = withRuntime(h100agentic, "none", new ClusterProfile.Paths(out.resolve("models").toString(),
                null, null, null, Map.of()));
        PlannedJob job = agenticJob(4);
        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(agentic, job, bare, out.resolve("job")));

        ScriptRun run = ScriptRun.of(rendered.script(), tools.environment(Map.of()));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(tools.callsOf("vllm")).extracting(a -> a.get(0)).containsExactly("serve");
        assertThat(tools.callsOf("aiperf")).extracting(a -> value(a, "--concurrency")).containsExactly("4");
        List<PointSpec> specs = new ArrayList<>();
        for (PlannedPoint p : agentic.pointsOf(job)) {
            specs.add(PointSpec.fromJson(new ObjectMapper().writeValueAsString(PlanJson.point(p))));
        }
        JobResults results = new JobResultsCollector().collect(RenderFixtures.RUN_ID, job.jobKey(),
                rendered.directory(), specs);
        assertThat(results.results()).as(results.toString())
                .extracting(ConcurrencyResult::conc, ConcurrencyResult::state).containsExactly(org.assertj.core.groups.Tuple.tuple(4, ResultState.COMPLETED));
        assertThat(results.results().get(0).resultFile())
                .isEqualTo("aiperf_concurrency_4_gpus_2/profile_export_aiperf.json");
        assertThat(results.notes()).isEmpty();
    }

    private static boolean portIsFree(int port) {
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
