package io.sweepd.render.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.ledger.ResultState;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlanTable;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.render.JobDirectory;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderRequest;
import io.sweepd.render.RenderedJob;
import io.sweepd.render.ScriptRun;
import io.sweepd.results.ConcurrencyResult;
import io.sweepd.results.JobResults;
import io.sweepd.results.JobResultsCollector;
import io.sweepd.results.PointSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single-node launch path end to end: the job scripts each container runtime renders (against checked-in
 * golden files, reviewed against the pyxis, enroot and apptainer docs), and those scripts run with fake tools
 * that record the argv they were given.
 */
class SingleNodeJobTest {

    @TempDir
    static Path home;

    /** gpt-oss-120b on two H100s of h100-cw (single-node launcher, pyxis), concurrencies 4 to 64: one job. */
    private static Plan gptoss;

    @TempDir
    Path out;

    /**
     * gpt-oss-120b on two H100s replaying agentic-coding traces (render/gptoss-agentic.yaml) on the test profile
     * h100-agentic (h100-cw with a trace directory and a 1000 GB offload pool): concurrencies 4 and 8 without
     * offload and 16 with CPU offload, one job each.
     */
    private static Plan agentic;
    private static ClusterProfile h100agentic;

    @BeforeAll
    static void plan() throws IOException {
        gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "h100-cw", home);
        Path profiles = Files.createDirectories(home.resolve("cluster-profiles"));
        Files.copy(RenderFixtures.resource("profiles/h100-agentic.yaml"), profiles.resolve("h100-agentic.yaml"));
        agentic = RenderFixtures.planResource("gptoss-agentic.yaml", "h100-agentic", home);
        h100agentic = ProfileCatalog.load(List.of(profiles)).byName("h100-agentic").orElseThrow();
    }

    @Test
    void pyxisJobImportsTheImageUnderALockAndRunsTheHarnessWithSrunContainerFlags() throws Exception {
        assertGolden(render(h100cw(), out.resolve("job")), "pyxis.sbatch");
    }

    @Test
    void apptainerJobPullsTheImageUnderALockAndExecsTheHarnessWithGpuAndBinds() throws Exception {
        ClusterProfile apptainer = withRuntime(h100cw(), "apptainer", h100cw().paths());
        assertGolden(render(apptainer, out.resolve("job")), "apptainer.sbatch");
    }

    @Test
    void bareMetalJobPutsTheProfilesVenvFirstOnPathAndRunsTheHarness() throws Exception {
        ClusterProfile none = withRuntime(h100cw(), "none", paths(h100cw().paths(), "/opt/venvs/vllm"));
        assertGolden(render(none, out.resolve("job")), "none.sbatch");
    }

    @Test
    void harnessInputsAreTheServerAndClientArgvAsData() throws Exception {
        RenderedJob rendered = render(h100cw(), out.resolve("job"));
        Path inputs = rendered.directory().root().resolve(SingleNodeJob.INPUTS);
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(inputs)) {
            for (Path file : files.sorted().toList()) {
                text.append("== ").append(file.getFileName()).append('\n');
                String content = Files.readString(file);
                if (content.contains("\0")) {
                    // One line per argv, each word in brackets, so a word with spaces reads as one.
                    text.append(String.join(" ", Arrays.stream(content.split("\0")).map(w -> "[" + w + "]")
                            .toList())).append('\n');
                } else {
                    text.append(content);
                }
            }
        }
        assertGolden(text.toString(), rendered.directory(), "inputs.txt");
    }

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
    void theProfilesEvalTasksAndIncludePathReachLmEval() throws Exception {
        ClusterProfile p = h100cw();
        ClusterProfile ownEval = new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(),
                p.slurm(), p.hardware(), p.paths(), p.containerRuntime(),
                new ClusterProfile.Launcher("single-node", List.of(), Map.of(), null,
                        new ClusterProfile.Eval(List.of("tiny_gsm8k", "tiny_arc"), "/opt/eval tasks")),
                p.deadlines(), p.pollIntervalSeconds(), p.features(), p.retry(), p.assumed());

        RenderedJob rendered = render(ownEval, out.resolve("job"), withEvalAt(16));

        Path argvFile = rendered.directory().root().resolve(SingleNodeJob.INPUTS).resolve("eval-001-c16.argv");
        List<String> argv = Arrays.asList(Files.readString(argvFile, StandardCharsets.UTF_8).split("\0"));
        assertThat(value(argv, "--tasks")).isEqualTo("tiny_gsm8k,tiny_arc");
        // one word, however it is spelled: the harness reads argv files as data
        assertThat(value(argv, "--include_path")).isEqualTo("/opt/eval tasks");
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
        assertThat(run.output()).contains("sweepd: server not ready within 3 seconds", "sweepd: stopping the server");
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
    void multinodeJobOnASingleNodeProfileIsRefusedNamingTheLauncher() {
        Plan dsr1 = RenderFixtures.planResource("dsr1-disagg.yaml", "local-h200", home);
        PlannedJob job = dsr1.jobs().get(0);
        ClusterProfile singleNode = withLauncher(RenderFixtures.profile("local-h200"), "single-node", "none");
        RenderRequest request = new RenderRequest(RenderFixtures.RUN_ID, dsr1.sweep().name(), job, dsr1.pointsOf(job),
                singleNode, out.resolve("job"));

        assertThatThrownBy(() -> new JobRenderer().render(request))
                .hasMessageContaining("single-node launcher").hasMessageContaining("srt-slurm");
        assertThat(out.resolve("job")).doesNotExist();
    }

    @Test
    void agenticPointsRunInferenceMaxsTraceReplayAndFixedSeqLenPointsStillRunVllmBenchServe() throws Exception {
        assertThat(agentic.refusedPoints()).isEmpty();
        // The generator names agentic points per concurrency (exp-name gptoss_tp2_conc4_offloadnone), so each is a
        // job of its own, with its own server, as InferenceMAX runs them.
        assertThat(agentic.jobs()).extracting(PlannedJob::concurrencies)
                .containsExactlyInAnyOrder(List.of(4), List.of(8), List.of(16));

        RenderedJob offloaded = new JobRenderer().render(RenderFixtures.request(agentic, agenticJob(16), h100agentic,
                out.resolve("agentic")));
        RenderedJob fixed = render(h100agentic, out.resolve("fixed"));

        List<String> replay = argv(offloaded, "bench-001-c16.argv");
        assertThat(replay).startsWith("aiperf", "profile", "--scenario", "inferencex-agentx-mvp");
        assertThat(value(replay, "--concurrency")).isEqualTo("16");
        assertThat(value(replay, "--benchmark-duration")).isEqualTo("1800");
        assertThat(value(replay, "--input-file")).isEqualTo("/mnt/vast/agentic/cc-traces-weka-with-subagents-052726");
        assertThat(argv(fixed, "bench-001-c4.argv")).startsWith("vllm", "bench", "serve");
        // The whole input set, reviewed: CPU offload on the server (and its environment), aiperf's timeouts, the
        // trace replay per concurrency.
        assertGolden(inputs(offloaded), offloaded.directory(), "agentic-inputs.txt");
        assertThat(offloaded.script()).content().as("the trace directory is mounted into the container")
                .contains("/mnt/vast/agentic/cc-traces-weka-with-subagents-052726:"
                        + "/mnt/vast/agentic/cc-traces-weka-with-subagents-052726");
        assertThat(fixed.script()).content().as("only the jobs that replay traces mount them")
                .doesNotContain("cc-traces");
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

    @Test
    void planShowsEachJobsLauncherAndContainerRuntime() {
        assertThat(gptoss.jobs().get(0).launch().launcher()).isEqualTo("single-node");
        assertThat(PlanTable.render(gptoss)).contains("launch", "single-node / pyxis");
        assertThat(PlanJson.render(gptoss)).contains("\"launcher\" : \"single-node\"",
                "\"container-runtime\" : \"pyxis\"");
    }

    // --- helpers

    private static PlannedJob agenticJob(int conc) {
        return agentic.jobs().stream().filter(j -> j.concurrencies().contains(conc)).findFirst().orElseThrow();
    }

    private static List<String> argv(RenderedJob rendered, String file) throws IOException {
        Path path = rendered.directory().root().resolve(SingleNodeJob.INPUTS).resolve(file);
        return Arrays.asList(Files.readString(path, StandardCharsets.UTF_8).split("\0"));
    }

    /** Every harness input, argv files one line each with every word in brackets. */
    private static String inputs(RenderedJob rendered) throws IOException {
        Path inputs = rendered.directory().root().resolve(SingleNodeJob.INPUTS);
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(inputs)) {
            for (Path file : files.sorted().toList()) {
                text.append("== ").append(file.getFileName()).append('\n');
                String content = Files.readString(file);
                if (content.contains("\0")) {
                    text.append(String.join(" ", Arrays.stream(content.split("\0")).map(w -> "[" + w + "]")
                            .toList())).append('\n');
                } else {
                    text.append(content);
                }
            }
        }
        return text.toString();
    }

    private static ClusterProfile h100cw() {
        return RenderFixtures.profile("h100-cw");
    }

    private ClusterProfile bareMetal() {
        return withRuntime(h100cw(), "none", new ClusterProfile.Paths(out.resolve("models").toString(), null, null,
                null, Map.of()));
    }

    private static UnaryOperator<EnrichedPoint> withEvalAt(int conc) {
        return p -> p.point().conc().contains(conc) ? new EnrichedPoint(p.point().withEval(true, null), p.profile(),
                p.topology(), p.serverConfig(), p.recipePath(), p.workarounds(), p.deadlines(), p.refused()) : p;
    }

    private RenderedJob render(ClusterProfile profile, Path jobDir) {
        return render(profile, jobDir, UnaryOperator.identity());
    }

    private RenderedJob render(ClusterProfile profile, Path jobDir, UnaryOperator<EnrichedPoint> change) {
        return new JobRenderer().render(request(profile, jobDir, change));
    }

    private static RenderRequest request(ClusterProfile profile, Path jobDir, UnaryOperator<EnrichedPoint> change) {
        PlannedJob job = gptoss.jobs().get(0);
        List<PlannedPoint> points = new ArrayList<>();
        for (PlannedPoint p : gptoss.pointsOf(job)) {
            points.add(new PlannedPoint(p.id(), p.jobKey(), change.apply(p.enriched())));
        }
        return new RenderRequest(RenderFixtures.RUN_ID, gptoss.sweep().name(), job, points, profile, jobDir);
    }

    static ClusterProfile withRuntime(ClusterProfile p, String runtime, ClusterProfile.Paths paths) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                paths, runtime, p.launcher(), p.deadlines(), p.pollIntervalSeconds(), p.features(), p.retry(),
                p.assumed());
    }

    private static ClusterProfile withLauncher(ClusterProfile p, String type, String runtime) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                p.paths(), runtime, new ClusterProfile.Launcher(type, List.of(), Map.of()), p.deadlines(),
                p.pollIntervalSeconds(), p.features(), p.retry(), p.assumed());
    }

    private static ClusterProfile.Paths paths(ClusterProfile.Paths p, String venv) {
        return new ClusterProfile.Paths(p.models(), p.containers(), p.recipes(), p.hfCache(), p.modelAliases(), venv,
                p.srtSlurm(), p.srtSlurmPython());
    }

    private static String value(List<String> argv, String flag) {
        int at = argv.indexOf(flag);
        assertThat(at).as(flag + " in " + argv).isNotNegative();
        return argv.get(at + 1);
    }

    private static boolean portIsFree(int port) {
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static void assertGolden(RenderedJob rendered, String golden) throws IOException {
        assertGolden(Files.readString(rendered.script()), rendered.directory(), golden);
    }

    /**
     * Compares with src/test/resources/golden/single-node/NAME, the job directory written as @JOB_DIR@ and the
     * server's port (spread by job directory) as @PORT@. With -Dgolden.update=true the file is rewritten instead
     * (then review the diff before committing it).
     */
    private static void assertGolden(String text, JobDirectory dir, String golden) throws IOException {
        String actual = text.replace(dir.root().toString(), "@JOB_DIR@");
        Path settings = dir.root().resolve(SingleNodeJob.INPUTS).resolve("settings");
        if (Files.exists(settings)) {
            String port = Files.readString(settings).lines().filter(l -> l.startsWith("port="))
                    .map(l -> l.substring("port=".length())).findFirst().orElseThrow();
            actual = actual.replaceAll("\\b" + port + "\\b", "@PORT@");
        }
        Path source = Path.of("src/test/resources/golden/single-node", golden);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(source, actual);
            return;
        }
        String expected;
        try {
            expected = Files.readString(Path.of(SingleNodeJobTest.class.getResource("/golden/single-node/" + golden)
                    .toURI()), StandardCharsets.UTF_8);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("golden file " + golden + " is missing", e);
        }
        assertThat(actual).isEqualTo(expected);
    }
}
