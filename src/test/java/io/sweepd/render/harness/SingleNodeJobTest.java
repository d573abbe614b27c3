package io.sweepd.render.harness;

import io.sweepd.core.JobDirectory;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlanTable;
import io.sweepd.plan.PlannedJob;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderRequest;
import io.sweepd.render.RenderedJob;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single-node launch path end to end: the job scripts each container runtime renders (against checked-in
 * golden files, reviewed against the pyxis, enroot and apptainer docs), and those scripts run with fake tools
 * that record the argv they were given ({@link SingleNodeJobRunIT}).
 */
class SingleNodeJobTest extends SingleNodeJobSupport {

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
        assertGolden(inputs(rendered), rendered.directory(), "inputs.txt");
    }

    @Test
    void theProfilesEvalTasksAndIncludePathReachLmEval() throws Exception {
        ClusterProfile p = h100cw();
        ClusterProfile ownEval = new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(),
                p.slurm(), p.hardware(), p.paths(), p.containerRuntime(),
                new ClusterProfile.Launcher("single-node", List.of(), Map.of(), null,
                        new ClusterProfile.Eval(List.of("tiny_gsm8k", "tiny_arc"), "/opt/eval tasks")),
                p.deadlines(), p.features(), p.retry(), p.assumed());

        RenderedJob rendered = render(ownEval, out.resolve("job"), withEvalAt(16));

        Path argvFile = rendered.directory().root().resolve(SingleNodeJob.INPUTS).resolve("eval-001-c16.argv");
        List<String> argv = Arrays.asList(Files.readString(argvFile, StandardCharsets.UTF_8).split("\0"));
        assertThat(value(argv, "--tasks")).isEqualTo("tiny_gsm8k,tiny_arc");
        // one word, however it is spelled: the harness reads argv files as data
        assertThat(value(argv, "--include_path")).isEqualTo("/opt/eval tasks");
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
    void planShowsEachJobsLauncherAndContainerRuntime() {
        assertThat(gptoss.jobs().get(0).launch().launcher()).isEqualTo("single-node");
        assertThat(PlanTable.render(gptoss)).contains("launch", "single-node / pyxis");
        assertThat(PlanJson.render(gptoss)).contains("\"launcher\" : \"single-node\"",
                "\"container-runtime\" : \"pyxis\"");
    }

    // --- helpers

    private static List<String> argv(RenderedJob rendered, String file) throws IOException {
        Path path = rendered.directory().root().resolve(SingleNodeJob.INPUTS).resolve(file);
        return Arrays.asList(Files.readString(path, StandardCharsets.UTF_8).split("\0"));
    }

    /** Every harness input, argv files one line each with every word in brackets (so a word with spaces reads as one). */
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

    private static ClusterProfile withLauncher(ClusterProfile p, String type, String runtime) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                p.paths(), runtime, new ClusterProfile.Launcher(type, List.of(), Map.of()), p.deadlines(),
                p.features(), p.retry(), p.assumed());
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
