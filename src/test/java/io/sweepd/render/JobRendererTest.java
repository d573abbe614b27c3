package io.sweepd.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.core.JobDirectory;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path home;

    private static Plan gptoss;
    private static Plan dsr1;
    private static Plan seedOnH200;

    @TempDir
    Path out;

    @BeforeAll
    static void plan() {
        gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "local", home);
        dsr1 = RenderFixtures.planResource("dsr1-disagg.yaml", "local-h200", home);
        seedOnH200 = RenderFixtures.seedOnH200(home);
    }

    @Test
    void localSingleNodeJobAsksForItsGpusByTypedGres() {
        PlannedJob job = gptoss.jobs().get(0);
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = RenderFixtures.renderFirst(gptoss, dir);

        assertThat(rendered.jobName()).isEqualTo("sweepd-" + job.jobKey());
        assertThat(rendered.directives()).containsExactly(
                "--job-name=sweepd-" + job.jobKey(),
                "--partition=h100",
                "--nodes=1",
                "--gres=gpu:h100:2",
                "--time=00:30:00",               // local: 30 min limit and total deadline
                "--output=" + dir.toAbsolutePath() + "/logs/slurm-%j.out");
        assertThat(sbatchLines(rendered)).containsExactlyElementsOf(
                rendered.directives().stream().map(d -> "#SBATCH " + d).toList());
    }

    @Test
    void localMultinodeDisaggregatedJobTakesTwoWholeNodes() {
        PlannedJob job = dsr1.jobs().get(0);
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = RenderFixtures.renderFirst(dsr1, dir);

        assertThat(rendered.directives()).containsExactly(
                "--job-name=sweepd-" + job.jobKey(),
                "--partition=h200",
                "--nodes=2",
                "--gres=gpu:h200:8",
                "--time=00:30:00",
                "--output=" + dir.toAbsolutePath() + "/logs/slurm-%j.out");
    }

    @Test
    void clusterProfileJobUsesGpusPerNodeExclusiveAndTheProfilesTimeLimit() {
        PlannedJob job = seedOnH200.jobs().get(0);
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = RenderFixtures.renderFirst(seedOnH200, dir);

        assertThat(job.profile()).isEqualTo("h200-dgxc-slurm");
        assertThat(rendered.directives()).containsExactly(
                "--job-name=sweepd-" + job.jobKey(),
                "--partition=main",
                "--account=sa-shared",
                "--nodes=4",
                "--gpus-per-node=8",
                "--time=04:00:00",
                "--output=" + dir.toAbsolutePath() + "/logs/slurm-%j.out",
                "--exclusive");
    }

    @Test
    void accountQosSegmentUntypedGresAndExtraDirectivesComeFromTheProfile() {
        PlannedJob job = seedOnH200.jobs().get(0);
        ClusterProfile base = RenderFixtures.profile("h200-dgxc-slurm");
        ClusterProfile.Slurm slurm = new ClusterProfile.Slurm("gpu", "perf-team", "high", "04:00:00", "gres", null,
                false, true, List.of("--comment=sweepd", "--constraint=ib&h200"));
        ClusterProfile profile = RenderFixtures.withSlurm(base, slurm);
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(seedOnH200, job, profile, dir));

        assertThat(rendered.directives()).containsExactly(
                "--job-name=sweepd-" + job.jobKey(),
                "--partition=gpu",
                "--account=perf-team",
                "--qos=high",
                "--nodes=4",
                "--gres=gpu:8",
                "--time=04:00:00",
                "--output=" + dir.toAbsolutePath() + "/logs/slurm-%j.out",
                "--segment=4",
                "--comment=sweepd",
                "--constraint=ib&h200");
    }

    @Test
    void everyRenderedScriptPassesBashSyntaxCheck() throws Exception {
        for (Plan plan : List.of(gptoss, dsr1, seedOnH200)) {
            RenderedJob rendered = RenderFixtures.renderFirst(plan, out.resolve(plan.jobs().get(0).jobKey()));
            Process check = new ProcessBuilder("bash", "-n", rendered.script().toString()).redirectErrorStream(true).start();
            String errors = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as(errors).isZero();
            assertThat(Files.readString(rendered.script())).startsWith("#!/bin/bash\n#SBATCH ")
                    .contains("\nset -euo pipefail\n");
        }
    }

    @Test
    void theWholeDirectoryExistsBeforeAnythingRunsAndOnlyItsOwnerCanReadIt() throws IOException {
        Path dir = out.resolve("run").resolve(gptoss.jobs().get(0).jobKey());

        RenderedJob rendered = RenderFixtures.renderFirst(gptoss, dir);

        JobDirectory d = rendered.directory();
        assertThat(d.root()).isEqualTo(dir.toAbsolutePath());
        assertThat(d.logs()).isEmptyDirectory();
        assertThat(d.results()).isEmptyDirectory();
        assertThat(d.plan()).isRegularFile();
        assertThat(d.recipe()).isRegularFile();
        assertThat(d.script()).isRegularFile();
        assertThat(d.exitCodeFile()).doesNotExist();
        assertThat(d.startedMarker()).doesNotExist();
        try (Stream<Path> files = Files.list(d.root())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("plan.json", "recipe.yaml", "job.sbatch", "logs", "results",
                            "single-node.sh", "harness");
        }
        assertThat(mode(d.root().getParent())).as("the run directory render created").isEqualTo("rwx------");
        assertThat(mode(d.root())).isEqualTo("rwx------");
        assertThat(mode(d.logs())).isEqualTo("rwx------");
        assertThat(mode(d.results())).isEqualTo("rwx------");
        assertThat(mode(d.plan())).isEqualTo("rw-------");
        assertThat(mode(d.recipe())).isEqualTo("rw-------");
        assertThat(mode(d.script())).isEqualTo("rwx------");
    }

    @Test
    void renderingAgainRemovesThePreviousAttemptsMarkersButKeepsItsLogs() throws IOException {
        Path dir = out.resolve(gptoss.jobs().get(0).jobKey());
        JobDirectory d = RenderFixtures.renderFirst(gptoss, dir).directory();
        Files.writeString(d.exitCodeFile(), "1\n");
        Files.writeString(d.startedMarker(), "job_id=7\n");
        Files.writeString(d.slurmOutput("7"), "attempt one\n");

        RenderFixtures.renderFirst(gptoss, dir);

        assertThat(d.exitCodeFile()).doesNotExist();
        assertThat(d.startedMarker()).doesNotExist();
        assertThat(d.exitCode()).isEmpty();
        assertThat(d.slurmOutput("7")).hasContent("attempt one");
    }

    @Test
    void planJsonCarriesTheJobAndItsPointsInPlanJsonForm() throws IOException {
        PlannedJob job = dsr1.jobs().get(0);
        JobDirectory d = RenderFixtures.renderFirst(dsr1, out.resolve(job.jobKey())).directory();

        JsonNode plan = JSON.readTree(d.plan().toFile());

        assertThat(plan.get("job-key").asText()).isEqualTo(job.jobKey());
        assertThat(plan.get("run-id").asText()).isEqualTo(RenderFixtures.RUN_ID);
        assertThat(plan.get("profile").asText()).isEqualTo("local-h200");
        assertThat(plan.get("concurrencies")).extracting(JsonNode::asInt).containsExactly(8, 16, 32, 64);
        JsonNode topology = plan.get("topology");
        assertThat(topology.get("nodes").asInt()).isEqualTo(2);
        assertThat(topology.get("gpus").asInt()).isEqualTo(16);
        assertThat(topology.get("prefill-gpus").asInt()).isEqualTo(8);
        assertThat(topology.get("decode-gpus").asInt()).isEqualTo(8);
        assertThat(plan.get("hardware").get("usable-gib").asDouble()).isEqualTo(139.8);
        JsonNode point = plan.get("points").get(0);
        for (String field : List.of("image", "model", "framework", "prefill", "decode", "conc", "run-eval",
                "point-id", "job-key", "profile", "topology", "workarounds", "server-config")) {
            assertThat(point.has(field)).as(field).isTrue();
        }
        assertThat(point.get("eval-conc").asInt()).isEqualTo(32);
    }

    @Test
    void recipeIsThePatchedConfigWithTheJobsConcurrenciesAndTheOriginalStaysUntouched() throws IOException {
        PlannedJob job = seedOnH200.jobs().get(1);
        EnrichedPoint point = seedOnH200.pointsOf(job).get(0).enriched();
        String before = point.serverConfig().toString();
        Path dir = out.resolve(job.jobKey());

        new JobRenderer().render(RenderFixtures.request(seedOnH200, job, RenderFixtures.profile(job.profile()), dir));

        JsonNode recipe = YAML.readTree(dir.resolve("recipe.yaml").toFile());
        assertThat(recipe.at("/benchmark/concurrencies").asText()).isEqualTo("4x8x16x32x64");
        assertThat(recipe.at("/benchmark/isl").asInt()).isEqualTo(8192);
        assertThat(recipe.at("/benchmark/osl").asInt()).isEqualTo(1024);
        assertThat(recipe.at("/benchmark/use_chat_template").asBoolean(true)).isFalse(); // workaround kept
        assertThat(recipe.at("/dynamo/hash").asText()).isEqualTo("6a159fedd8e4a1563aa647c31f622aedbf254b5b");
        assertThat(recipe.at("/backend/prefill_environment/VLLM_ENGINE_READY_TIMEOUT_S").isTextual()).isTrue();
        assertThat(recipe.at("/name").asText()).isEqualTo("dsv4-vllm-disagg-h100-fp8-1p1d-dep16-dep16");
        assertThat(point.serverConfig().toString()).isEqualTo(before);
    }

    @Test
    void theLocalTestClusterRendersTheRealLaunchPathsWithTheEngineStandInAsTheirEngine() throws IOException {
        RenderedJob single = RenderFixtures.renderFirst(gptoss, out.resolve("single").toAbsolutePath());
        RenderedJob multi = RenderFixtures.renderFirst(dsr1, out.resolve("multi").toAbsolutePath());

        assertThat(Files.readString(single.script())).contains("export VIRTUAL_ENV='/tmp/sweepd-local/engine-stand-in'\n")
                .doesNotContain("EngineSimulator");
        assertThat(lastLine(single)).isEqualTo("'bash' " + Shell.quote(single.directory().root().resolve("single-node.sh")
                .toString()) + " " + Shell.quote(single.directory().root().resolve("harness").toString()));
        assertThat(lastLine(multi)).isEqualTo("'/tmp/sweepd-local/engine-stand-in/bin/python3' '-m' 'srtctl.cli.do_sweep' "
                + Shell.quote(multi.directory().recipe().toString()));
    }

    @Test
    void srtSlurmLauncherRunsSrtctlFromTheProfilesInstallationWithItsOutputInTheJobDirectory() throws IOException {
        PlannedJob job = seedOnH200.jobs().get(0);
        Path dir = out.resolve(job.jobKey()).toAbsolutePath();

        RenderedJob rendered = new JobRenderer().render(
                RenderFixtures.request(seedOnH200, job, RenderFixtures.profile("h200-dgxc-slurm"), dir));

        String script = Files.readString(rendered.directory().script());
        assertThat(script).contains("export SRTCTL_SOURCE_DIR='/opt/srt-slurm'\n",
                "export SRTCTL_OUTPUT_DIR=" + Shell.quote(dir.toString()) + "\n",
                "export SRTSLURM_CONFIG=" + Shell.quote(dir.resolve("srtslurm.yaml").toString()) + "\n",
                "cd '/opt/srt-slurm'\n");
        assertThat(lastLine(rendered)).isEqualTo("'/opt/srt-slurm/.venv/bin/python' '-m' 'srtctl.cli.do_sweep' "
                + Shell.quote(dir.resolve("recipe.yaml").toString()));
        assertThat(dir.resolve("srtslurm.yaml")).isRegularFile();
    }

    @Test
    void onAClusterWithBothKindsOfRunnerASingleNodeJobRunsTheHarnessAndAMultinodeJobSrtctl() throws IOException {
        Plan gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "h200-dgxc-slurm", home);
        PlannedJob single = gptoss.jobs().get(0);
        ClusterProfile mixed = RenderFixtures.profile("h200-dgxc-slurm");

        RenderedJob singleJob = new JobRenderer().render(
                RenderFixtures.request(gptoss, single, mixed, out.resolve("single").toAbsolutePath()));
        RenderedJob multiJob = new JobRenderer().render(RenderFixtures.request(seedOnH200, seedOnH200.jobs().get(0),
                mixed, out.resolve("multi").toAbsolutePath()));

        assertThat(single.launch().launcher()).isEqualTo("single-node");
        assertThat(seedOnH200.jobs().get(0).launch().launcher()).isEqualTo("srt-slurm");
        assertThat(Files.readString(singleJob.directory().script())).contains("single-node.sh").doesNotContain("srtctl");
        assertThat(Files.readString(multiJob.directory().script())).contains("srtctl.cli.do_sweep")
                .doesNotContain("single-node.sh");
    }

    @Test
    void srtSlurmLauncherWithoutAnInstallationIsARenderError() {
        PlannedJob job = seedOnH200.jobs().get(0);
        ClusterProfile base = RenderFixtures.profile("h200-dgxc-slurm");
        ClusterProfile.Paths p = base.paths();
        ClusterProfile none = new ClusterProfile(base.name(), base.description(), base.runners(), base.runnerNodes(),
                base.slurm(), base.hardware(), new ClusterProfile.Paths(p.models(), p.containers(), p.recipes(),
                p.hfCache(), p.modelAliases()), base.containerRuntime(), base.launcher(), base.deadlines(),
                base.features(), base.retry(), base.assumed());

        assertThatThrownBy(() -> new JobRenderer().render(
                RenderFixtures.request(seedOnH200, job, none, out.resolve(job.jobKey()))))
                .hasMessageContaining("paths.srt-slurm").hasMessageContaining("never clones");
    }

    @Test
    void launcherCommandsGetTheirPlaceholdersOrTheirNaturalArgument() throws IOException {
        PlannedJob job = seedOnH200.jobs().get(0);
        ClusterProfile base = RenderFixtures.profile("h200-dgxc-slurm");
        Path dir = out.resolve(job.jobKey()).toAbsolutePath();

        ClusterProfile srt = RenderFixtures.withLauncher(base, "srt-slurm",
                List.of("/opt/srt/bin/sweep", "--config={recipe}", "--out", "{results-dir}", "--logs={logs-dir}"), Map.of());
        assertThat(lastLine(new JobRenderer().render(RenderFixtures.request(seedOnH200, job, srt, dir))))
                .isEqualTo("'/opt/srt/bin/sweep' '--config=" + dir + "/recipe.yaml' '--out' '" + dir + "/results' '--logs="
                        + dir + "/logs'");

        ClusterProfile own = RenderFixtures.withLauncher(base, "command", List.of("/cluster/bin/run-bench", "-v"), Map.of());
        assertThat(lastLine(new JobRenderer().render(RenderFixtures.request(seedOnH200, job, own, dir))))
                .isEqualTo("'/cluster/bin/run-bench' '-v' '" + dir + "'");

        ClusterProfile typo = RenderFixtures.withLauncher(base, "command", List.of("run", "{jobdir}"), Map.of());
        assertThatThrownBy(() -> new JobRenderer().render(RenderFixtures.request(seedOnH200, job, typo, dir)))
                .hasMessageContaining("{jobdir}").hasMessageContaining("{job-dir}");
    }

    @Test
    void scriptExportsTheJobsIdentityAndTheProfilesEnvironment() throws IOException {
        PlannedJob job = gptoss.jobs().get(0);
        ClusterProfile profile = RenderFixtures.withEnvironment(RenderFixtures.profile("local"),
                Map.of("SWEEPD_SIM_TIME_SCALE", "0", "NCCL_CUMEM_ENABLE", "1"));
        Path dir = out.resolve(job.jobKey()).toAbsolutePath();

        String script = Files.readString(new JobRenderer().render(RenderFixtures.request(gptoss, job, profile, dir)).script());

        assertThat(script).contains("export SWEEPD_JOB_DIR='" + dir + "'\n")
                .contains("export SWEEPD_JOB_KEY='" + job.jobKey() + "'\n")
                .contains("export SWEEPD_RUN_ID='" + RenderFixtures.RUN_ID + "'\n")
                .contains("export SWEEPD_SWEEP='gptoss-single-node'\n")
                .contains("export NCCL_CUMEM_ENABLE='1'\nexport SWEEPD_SIM_TIME_SCALE='0'\n")
                .contains("trap sweepd_record_exit EXIT")
                .contains("printf 'sweepd: job %s started on %s at %s (slurm job %s)\\n' '" + job.jobKey() + "'");

        ClusterProfile clash = RenderFixtures.withEnvironment(profile, Map.of("SWEEPD_JOB_DIR", "/x"));
        assertThatThrownBy(() -> new JobRenderer().render(RenderFixtures.request(gptoss, job, clash, dir)))
                .isInstanceOf(UnsafeValueException.class).hasMessageContaining("SWEEPD_JOB_DIR");
    }

    @Test
    void sweepValuesOutsideTheSafeCharacterSetAreRefusedNamingTheField() {
        PlannedJob job = gptoss.jobs().get(0);
        List<PlannedPoint> points = gptoss.pointsOf(job);
        ClusterProfile profile = RenderFixtures.profile("local");
        Path dir = out.resolve("x");

        List<PlannedPoint> hostileModel = points.stream()
                .map(p -> withPoint(p, withModel(p.enriched().point(), "gpt$(touch /tmp/pwned)"))).toList();
        assertThatThrownBy(() -> new JobRenderer().render(new RenderRequest(RenderFixtures.RUN_ID, "s", job, hostileModel,
                profile, dir))).isInstanceOf(UnsafeValueException.class).hasMessageContaining("model");

        assertThatThrownBy(() -> new JobRenderer().render(new RenderRequest(RenderFixtures.RUN_ID, "my sweep; rm -rf ~",
                job, points, profile, dir))).isInstanceOf(UnsafeValueException.class)
                .hasMessageContaining("sweep name");

        PlannedJob hostileKey = new PlannedJob("k`id`", job.profile(), job.topology(), job.pointIds(), job.concurrencies());
        assertThatThrownBy(() -> new JobRenderer().render(new RenderRequest(RenderFixtures.RUN_ID, "s", hostileKey,
                points, profile, dir))).isInstanceOf(IllegalArgumentException.class);

        assertThatThrownBy(() -> new JobRenderer().render(new RenderRequest("../../etc", "s", job, points, profile, dir)))
                .isInstanceOf(UnsafeValueException.class).hasMessageContaining("run id");

        PlannedPoint first = points.get(0);
        var config = first.enriched().serverConfig().deepCopy();
        config.put("name", "recipe'; touch /tmp/pwned; '");
        List<PlannedPoint> hostileRecipe = List.of(withConfig(first, config));
        PlannedJob one = new PlannedJob(job.jobKey(), job.profile(), job.topology(), List.of(first.id()), List.of(4));
        assertThatThrownBy(() -> new JobRenderer().render(new RenderRequest(RenderFixtures.RUN_ID, "s", one, hostileRecipe,
                profile, dir))).isInstanceOf(UnsafeValueException.class).hasMessageContaining("recipe name");
        assertThat(dir).doesNotExist(); // refused before anything was written
    }

    @Test
    void hostileProfileEnvironmentValuesArriveVerbatimWhenTheScriptRunsAndExecuteNothing() throws Exception {
        Path marker = out.resolve("pwned");
        String hostile = "it's $(touch " + marker + ") `touch " + marker + "`; touch " + marker + " \"q\" $HOME *";
        PlannedJob job = gptoss.jobs().get(0);
        ClusterProfile profile = RenderFixtures.withLauncher(RenderFixtures.profile("local"), "command",
                List.of("bash", "-c", "printf '%s' \"$HOSTILE\" > \"$1/hostile.out\"", "bash", "{job-dir}"),
                Map.of("HOSTILE", hostile));
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(gptoss, job, profile, dir));
        ScriptRun run = ScriptRun.of(rendered.script());

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(dir.resolve("hostile.out")).hasContent(hostile);
        assertThat(marker).doesNotExist();
        assertThat(rendered.directory().exitCode()).hasValue(0);
        assertThat(rendered.directory().started()).isTrue();
        assertThat(run.output()).startsWith("sweepd: job " + job.jobKey() + " started on ");

        ClusterProfile newline = RenderFixtures.withLauncher(profile, "command", List.of("true"),
                Map.of("HOSTILE", "a\ntouch " + marker));
        assertThatThrownBy(() -> new JobRenderer().render(RenderFixtures.request(gptoss, job, newline, dir)))
                .isInstanceOf(UnsafeValueException.class);
    }

    @Test
    void exitMarkerRecordsFailuresAndSignals() throws Exception {
        PlannedJob job = gptoss.jobs().get(0);
        ClusterProfile local = RenderFixtures.profile("local");

        Path failing = out.resolve("failing");
        RenderedJob failed = new JobRenderer().render(RenderFixtures.request(gptoss, job,
                RenderFixtures.withLauncher(local, "command", List.of("bash", "-c", "exit 3"), Map.of()), failing));
        assertThat(ScriptRun.of(failed.script()).exit()).isEqualTo(3);
        assertThat(failed.directory().exitCode()).hasValue(3);

        Path cancelled = out.resolve("cancelled");
        RenderedJob sleeping = new JobRenderer().render(RenderFixtures.request(gptoss, job,
                RenderFixtures.withLauncher(local, "command", List.of("bash", "-c", "sleep 60", "{job-dir}"), Map.of()),
                cancelled));
        // Output to a file, as Slurm's --output: a pipe closed by the test would turn the exit into SIGPIPE.
        Process script = new ProcessBuilder("bash", sleeping.script().toString()).redirectErrorStream(true)
                .redirectOutput(cancelled.resolve("logs/slurm-test.out").toFile()).start();
        // Signal only once the launcher runs, so the EXIT trap (not bash's startup) meets the signal.
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeping.directory().started()
                && script.descendants().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 60")));
        // Slurm signals every process of the job, as scancel does: the launcher and the script.
        script.descendants().forEach(ProcessHandle::destroy);
        script.toHandle().destroy();
        assertThat(script.waitFor()).isEqualTo(143);
        assertThat(sleeping.directory().exitCode()).hasValue(143);
    }

    private static List<String> sbatchLines(RenderedJob rendered) {
        try {
            return Files.readAllLines(rendered.script()).stream().filter(l -> l.startsWith("#SBATCH")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lastLine(RenderedJob rendered) throws IOException {
        List<String> lines = Files.readAllLines(rendered.script());
        return lines.get(lines.size() - 1);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static PlannedPoint withPoint(PlannedPoint p, MatrixPoint point) {
        EnrichedPoint e = p.enriched();
        return new PlannedPoint(p.id(), p.jobKey(), new EnrichedPoint(point, e.profile(), e.topology(), e.serverConfig(),
                e.recipePath(), e.workarounds(), e.deadlines(), e.refused()));
    }

    private static PlannedPoint withConfig(PlannedPoint p, com.fasterxml.jackson.databind.node.ObjectNode config) {
        EnrichedPoint e = p.enriched();
        return new PlannedPoint(p.id(), p.jobKey(), new EnrichedPoint(e.point(), e.profile(), e.topology(), config,
                e.recipePath(), e.workarounds(), e.deadlines(), e.refused()));
    }

    private static MatrixPoint withModel(MatrixPoint p, String model) {
        return new MatrixPoint(p.configKey(), p.image(), model, p.modelPrefix(), p.precision(), p.framework(),
                p.runner(), p.isl(), p.osl(), p.tp(), p.ep(), p.dpAttn(), p.specDecoding(), p.prefill(), p.decode(),
                p.conc(), p.maxModelLen(), p.expName(), p.disagg(), p.multinode(), p.runEval(), p.evalConc());
    }
}
