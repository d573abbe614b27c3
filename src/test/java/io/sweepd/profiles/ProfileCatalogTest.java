package io.sweepd.profiles;

import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileCatalogTest {

    /** The project's top-level cluster-profiles/ folder (tests run with the project as working directory). */
    private static final Path SHIPPED = Path.of("cluster-profiles").toAbsolutePath();

    /** One profile per cluster of InferenceMAX's runners.yaml, plus the two partitions of the local test Slurm. */
    private static final List<String> SHIPPED_NAMES = List.of("b200-cw", "b200-dgxc", "b200-nb", "b300-nv", "b300-p1",
            "gb200-nv", "gb300-cw", "gb300-nv", "h100-cw", "h100-dgxc-slurm", "h200-cw", "h200-dgxc-slurm", "h200-nb",
            "local", "local-h200", "mi300x-amds", "mi325x-amds", "mi355x-amds");

    private static final String VALID = """
            description: test cluster
            runners: [h100, h100-multinode]
            slurm:
              partition: batch
              time-limit: "06:00:00"
              gpu-directive: gpus-per-node
              exclusive: true
            hardware:
              gpu: h100
              architecture: hopper
              gpu-memory-gb: 80
              usable-gib: 79.19
              gpus-per-node: 8
              nodes: 4
              nvlink-domain: 8
            paths:
              models: /models
            launcher:
              type: srt-slurm
            deadlines:
              first-log-seconds: 600
              healthy-seconds: 3600
              total-seconds: 21600
            """;

    @TempDir
    Path tmp;

    private Path write(Path dir, String file, String text) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(file), text);
    }

    private YamlFieldException loadError(String text) throws IOException {
        Path dir = tmp.resolve("bad");
        write(dir, "bad.yaml", text);
        try {
            ProfileCatalog.load(List.of(dir));
        } catch (YamlFieldException e) {
            return e;
        }
        throw new AssertionError("expected a YamlFieldException");
    }

    @Test
    void shippedProfilesLoadWithTheirFacts() {
        ProfileCatalog catalog = ProfileCatalog.load(List.of(SHIPPED));

        assertThat(catalog.all()).extracting(ClusterProfile::name).containsExactlyElementsOf(SHIPPED_NAMES);
        ClusterProfile h100 = catalog.byName("h100-dgxc-slurm").orElseThrow();
        assertThat(h100.runners()).containsExactly("h100", "h100-multinode");
        assertThat(h100.runnerNodes()).containsEntry("h100", 20).containsEntry("h100-multinode", 4);
        // 8 nodes: the pool behind the 4 h100-multinode runners is partition hpc-gpu-1, sized by the real points.
        assertThat(h100.hardware()).isEqualTo(new ClusterProfile.Hardware("h100", "hopper", 80, 79.19, 8, 8, 8));
        assertThat(h100.slurm().partition()).isEqualTo("hpc-gpu-1");
        assertThat(h100.slurm().account()).isEqualTo("customer");
        assertThat(h100.slurm().exclude()).isEqualTo("hpc-gpu-1-7");
        assertThat(h100.containerRuntime()).isEqualTo("pyxis");
        assertThat(h100.paths().hfCache()).isEqualTo("/mnt/nfs/sa-shared/gharunners/hf-hub-cache");
        assertThat(h100.assumed()).containsOnlyKeys("hardware.nodes", "paths.srt-slurm");
        assertThat(h100.paths().srtSlurm()).isEqualTo("/opt/srt-slurm");
        assertThat(h100.paths().srtSlurmPython()).isNull();
        assertThat(h100.slurm().gpuDirective()).isEqualTo("gpus-per-node");
        assertThat(h100.slurm().exclusive()).isTrue();
        assertThat(h100.launcher().type()).isEqualTo("srt-slurm");
        assertThat(h100.deadlines()).isEqualTo(new ClusterProfile.Deadlines(600, 3600, 21600));
        assertThat(h100.features().headlessMultinode()).isFalse();
        assertThat(h100.paths().modelAliases()).containsEntry("dsr1-fp8", "/mnt/nfs/lustre/models/dsr1-fp8");

        ClusterProfile h200 = catalog.byName("h200-dgxc-slurm").orElseThrow();
        assertThat(h200.hardware().usableGib()).isEqualTo(139.8);
        assertThat(h200.assumed()).containsKey("hardware.usable-gib");

        ClusterProfile gb200 = catalog.byName("gb200-nv").orElseThrow();
        assertThat(gb200.hardware().gpusPerNode()).isEqualTo(4);
        assertThat(gb200.hardware().nvlinkDomain()).isEqualTo(72);
        assertThat(gb200.hardware().architecture()).isEqualTo("blackwell");
        assertThat(gb200.features().headlessMultinode()).isTrue();
    }

    @Test
    void localProfilesAreTheTwoPartitionsOfTheTestClusterAndServeNoRunner() {
        ProfileCatalog catalog = ProfileCatalog.load(List.of(SHIPPED));

        ClusterProfile local = catalog.byName("local").orElseThrow();
        assertThat(local.runners()).isEmpty();
        assertThat(local.slurm().partition()).isEqualTo("h100");
        assertThat(local.slurm().gpuDirective()).isEqualTo("gres");
        assertThat(local.slurm().gresType()).isEqualTo("h100");
        assertThat(local.hardware().usableGib()).isEqualTo(79.19);
        assertThat(local.hardware().nodes()).isEqualTo(4);
        assertThat(local.launcher().type()).isEqualTo("srt-slurm");
        assertThat(local.launcher().singleNodeType()).isEqualTo("single-node");
        assertThat(local.containerRuntime()).isEqualTo("none");
        assertThat(local.paths().venv()).isEqualTo("/tmp/sweepd-local/engine-stand-in");
        assertThat(local.deadlines()).isEqualTo(new ClusterProfile.Deadlines(60, 1800, 1800));

        ClusterProfile localH200 = catalog.byName("local-h200").orElseThrow();
        assertThat(localH200.slurm().partition()).isEqualTo("h200");
        assertThat(localH200.slurm().gresType()).isEqualTo("h200");
        assertThat(localH200.hardware().usableGib()).isEqualTo(139.8);
        assertThat(localH200.hardware().gpuMemoryGb()).isEqualTo(141);
    }

    @Test
    void runnerLabelsFindTheirProfile() {
        ProfileCatalog catalog = ProfileCatalog.load(List.of(SHIPPED));

        assertThat(catalog.forRunner("h100-multinode")).map(ClusterProfile::name).contains("h100-dgxc-slurm");
        assertThat(catalog.forRunner("h100")).map(ClusterProfile::name).contains("h100-dgxc-slurm");
        assertThat(catalog.forRunner("h200-multinode")).map(ClusterProfile::name).contains("h200-dgxc-slurm");
        assertThat(catalog.forRunner("gb200")).map(ClusterProfile::name).contains("gb200-nv");
        assertThat(catalog.forRunner("mi355x")).map(ClusterProfile::name).contains("mi355x-amds");
        assertThat(catalog.forRunner("b200-dsv4")).map(ClusterProfile::name).contains("b200-dgxc");
        assertThat(catalog.forRunner("no-such-runner")).isEmpty();
        assertThat(catalog.byName("nope")).isEmpty();
    }

    @Test
    void indexListsEveryShippedProfile() throws IOException {
        List<String> listed = Files.readAllLines(SHIPPED.resolve("index.txt")).stream()
                .map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).sorted().toList();
        try (var files = Files.list(SHIPPED)) {
            assertThat(listed).isEqualTo(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml")).sorted().toList());
        }
    }

    @Test
    void defaultsAreReadThroughTheClasspathIndex() throws IOException {
        // A class loader whose root holds cluster-profiles/, as the jar does.
        try (URLClassLoader jarLike = new URLClassLoader(new URL[]{SHIPPED.getParent().toUri().toURL()}, null)) {
            ProfileCatalog catalog = ProfileCatalog.loadDefaults(jarLike, List.of());
            assertThat(catalog.all()).extracting(ClusterProfile::name).containsExactlyElementsOf(SHIPPED_NAMES);
            assertThat(catalog.sourceOf("local")).contains("classpath:cluster-profiles/local.yaml");
        }
    }

    @Test
    void theBuildPutsTheShippedProfilesOnTheClasspath() {
        ProfileCatalog catalog = ProfileCatalog.loadDefaults();

        assertThat(catalog.all()).extracting(ClusterProfile::name).containsExactlyElementsOf(SHIPPED_NAMES);
    }

    @Test
    void aMissingClasspathIndexSaysWhatTheJarLacks() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[]{tmp.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ProfileCatalog.loadDefaults(empty, List.of()))
                    .isInstanceOf(YamlFieldException.class)
                    .hasMessageContaining("cluster-profiles/index.txt");
        }
    }

    @Test
    void aLaterDirectoryOverridesAProfileByName() throws IOException {
        Path user = tmp.resolve("user");
        write(user, "h100-dgxc-slurm.yaml", VALID.replace("partition: batch", "partition: perf")
                .replace("runners: [h100, h100-multinode]", "runners: [h100, h100-multinode]\nrunner-nodes: {h100: 20}"));

        ProfileCatalog catalog = ProfileCatalog.load(List.of(SHIPPED, user));

        assertThat(catalog.byName("h100-dgxc-slurm").orElseThrow().slurm().partition()).isEqualTo("perf");
        assertThat(catalog.forRunner("h100").orElseThrow().slurm().partition()).isEqualTo("perf");
        assertThat(catalog.sourceOf("h100-dgxc-slurm")).contains(user.resolve("h100-dgxc-slurm.yaml").toString());
        assertThat(catalog.all()).hasSize(SHIPPED_NAMES.size());
    }

    @Test
    void aRunnerOnSeveralClustersGoesToTheOneWithMostOfItsNodes() throws IOException {
        Path dir = tmp.resolve("clusters");
        write(dir, "big.yaml", VALID.replace("runners: [h100, h100-multinode]", "runners: [h100]\nrunner-nodes: {h100: 20}"));
        write(dir, "small.yaml", VALID.replace("runners: [h100, h100-multinode]",
                "runners: [h100, h100-multinode]\nrunner-nodes: {h100: 2}"));

        ProfileCatalog catalog = ProfileCatalog.load(List.of(dir));

        assertThat(catalog.forRunner("h100")).map(ClusterProfile::name).contains("big");
        assertThat(catalog.forRunner("h100-multinode")).map(ClusterProfile::name).contains("small");
        assertThat(catalog.servingRunner("h100")).extracting(ClusterProfile::name).containsExactly("big", "small");
    }

    @Test
    void aDefaultPlacementLeftToFileOrderIsALoadError() throws IOException {
        Path user = tmp.resolve("user");
        write(user, "my-h100.yaml", VALID.replace("runners: [h100, h100-multinode]",
                "runners: [h100, h100-multinode]\nrunner-nodes: {h100: 20}"));

        assertThatThrownBy(() -> ProfileCatalog.load(List.of(SHIPPED, user)))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining("runner 'h100' is served by profiles")
                .hasMessageContaining("'h100-dgxc-slurm'").hasMessageContaining("'my-h100'")
                .hasMessageContaining("with 20 runner-nodes each");
    }

    @Test
    void runnerNodesCountOnlyListedRunners() throws IOException {
        YamlFieldException e = loadError(VALID.replace("runners: [h100, h100-multinode]",
                "runners: [h100]\nrunner-nodes: {h100: 20, h200: 3}"));

        assertThat(e.field()).isEqualTo("runner-nodes.h200");
        assertThat(e.problem()).contains("which 'runners' does not list");
        assertThat(loadError(VALID.replace("runners: [h100, h100-multinode]",
                "runners: [h100]\nrunner-nodes: {h100: 0}")).problem()).contains("positive node count");
    }

    @Test
    void anAssumedFactMustBeAKeyOfTheProfileAndSayWhy() throws IOException {
        Path dir = tmp.resolve("assumed");
        write(dir, "ok.yaml", VALID + "assumed:\n  hardware.nodes: \"4 runners, no partition size seen\"\n");
        assertThat(ProfileCatalog.load(List.of(dir)).byName("ok").orElseThrow().assumed())
                .containsExactly(java.util.Map.entry("hardware.nodes", "4 runners, no partition size seen"));

        YamlFieldException unknown = loadError(VALID + "assumed:\n  hardware.nodez: \"typo\"\n");
        assertThat(unknown.field()).isEqualTo("assumed.hardware.nodez");
        assertThat(unknown.problem()).contains("does not set");

        YamlFieldException unset = loadError(VALID + "assumed:\n  slurm.account: \"never written\"\n");
        assertThat(unset.problem()).contains("'slurm.account', which this profile does not set");

        YamlFieldException silent = loadError(VALID + "assumed:\n  hardware.nodes:\n");
        assertThat(silent.field()).isEqualTo("assumed.hardware.nodes");
    }

    @Test
    void anUnknownContainerRuntimeIsRefused() throws IOException {
        YamlFieldException e = loadError(VALID + "container-runtime: singularity\n");

        assertThat(e.field()).isEqualTo("container-runtime");
        assertThat(e.problem()).contains("pyxis, docker, apptainer or none");
    }

    @Test
    void theNameIsTheFileNameUnlessTheFileSaysOtherwise() throws IOException {
        Path dir = tmp.resolve("named");
        write(dir, "alpha.yaml", "name: alpha\n" + VALID);
        assertThat(ProfileCatalog.load(List.of(dir)).byName("alpha")).isPresent();

        YamlFieldException e = loadError("name: beta\n" + VALID);
        assertThat(e.field()).isEqualTo("name");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e).hasMessageContaining("file is bad.yaml");
    }

    @Test
    void anUnknownKeyNamesFileLineAndField() throws IOException {
        YamlFieldException e = loadError(VALID.replace("  partition: batch", "  partion: batch"));

        assertThat(e.file()).endsWith("bad.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("slurm.partion");
        assertThat(e.problem()).contains("unknown key 'partion'").contains("partition");
    }

    @Test
    void aCamelCaseKeyIsUnknown() throws IOException {
        YamlFieldException e = loadError(VALID.replace("description:", "Description:"));

        assertThat(e.field()).isEqualTo("Description");
        assertThat(e.problem()).contains("unknown key");
    }

    @Test
    void theOldPollIntervalKeySaysWhereItWent() throws IOException {
        YamlFieldException e = loadError(VALID + "poll-interval-seconds: 30\n");

        assertThat(e.field()).isEqualTo("poll-interval-seconds");
        assertThat(e.line()).isEqualTo(24);
        assertThat(e.problem()).contains("sweepd.poll.interval-ms").contains("remove this line");
    }

    @Test
    void aQuotedNumberIsAWrongTypeNotCoerced() throws IOException {
        YamlFieldException e = loadError(VALID.replace("gpus-per-node: 8", "gpus-per-node: \"8\""));

        assertThat(e.line()).isEqualTo(13);
        assertThat(e.field()).isEqualTo("hardware.gpus-per-node");
        assertThat(e.problem()).contains("expected an integer").contains("\"8\"");
    }

    @Test
    void aNumberWhereTextBelongsIsAWrongType() throws IOException {
        YamlFieldException e = loadError(VALID.replace("partition: batch", "partition: 42"));

        assertThat(e.field()).isEqualTo("slurm.partition");
        assertThat(e.problem()).contains("expected a string");
    }

    @Test
    void aFractionWhereAnIntegerBelongsIsAWrongType() throws IOException {
        YamlFieldException e = loadError(VALID.replace("nodes: 4", "nodes: 4.5"));

        assertThat(e.field()).isEqualTo("hardware.nodes");
        assertThat(e.problem()).contains("expected an integer");
    }

    @Test
    void aScalarWhereAListBelongsIsAWrongType() throws IOException {
        YamlFieldException e = loadError(VALID.replace("runners: [h100, h100-multinode]", "runners: h100"));

        assertThat(e.field()).isEqualTo("runners");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void aMissingRequiredKeyNamesItsParent() throws IOException {
        YamlFieldException e = loadError(VALID.replace("  usable-gib: 79.19\n", ""));

        assertThat(e.field()).isEqualTo("hardware.usable-gib");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.problem()).isEqualTo("missing required key 'usable-gib'");
    }

    @Test
    void aMissingSectionIsReportedOnceAtTheTop() throws IOException {
        YamlFieldException e = loadError(VALID.replace("launcher:\n  type: srt-slurm\n", ""));

        assertThat(e.field()).isEqualTo("launcher");
        assertThat(e.line()).isEqualTo(1);
    }

    @Test
    void anEmptyRequiredValueIsMissing() throws IOException {
        YamlFieldException e = loadError(VALID.replace("partition: batch", "partition:"));

        assertThat(e.field()).isEqualTo("slurm.partition");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void aDuplicateKeyIsAnError() throws IOException {
        YamlFieldException e = loadError(VALID + "description: again\n");

        assertThat(e.problem()).contains("description");
        assertThat(e.line()).isEqualTo(24);
    }

    @Test
    void anUnknownGpuDirectiveIsNamed() throws IOException {
        YamlFieldException e = loadError(VALID.replace("gpu-directive: gpus-per-node", "gpu-directive: gpus"));

        assertThat(e.field()).isEqualTo("slurm.gpu-directive");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.problem()).contains("gpus-per-node").contains("gres");
    }

    @Test
    void anUnknownLauncherIsNamed() throws IOException {
        YamlFieldException e = loadError(VALID.replace("type: srt-slurm", "type: srtctl"));

        assertThat(e.field()).isEqualTo("launcher.type");
    }

    @Test
    void theSingleNodeLauncherNeedsARuntimeItCanStartAndApptainerACacheDirectory() throws IOException {
        String singleNode = VALID.replace("type: srt-slurm", "type: single-node");

        assertThat(loadError(singleNode).field()).isEqualTo("container-runtime");
        assertThat(loadError(singleNode + "container-runtime: docker\n").problem())
                .contains("'docker'").contains("pyxis, apptainer or none");
        assertThat(loadError(singleNode + "container-runtime: apptainer\n").field()).isEqualTo("paths.containers");
        Path dir = tmp.resolve("ok");
        write(dir, "bare.yaml", singleNode.replace("  models: /models", "  models: /models\n  venv: /opt/venv")
                + "container-runtime: none\n");
        ClusterProfile bare = ProfileCatalog.load(List.of(dir)).byName("bare").orElseThrow();
        assertThat(bare.paths().venv()).isEqualTo("/opt/venv");
        assertThat(LaunchPath.of(bare, false)).isEqualTo(new LaunchPath("single-node", "none"));
    }

    @Test
    void aClusterWithBothKindsOfRunnerLaunchesEachJobShapeItsOwnWay() throws IOException {
        Path dir = tmp.resolve("mixed");
        write(dir, "mixed.yaml", VALID.replace("type: srt-slurm", "type: srt-slurm\n  single-node-type: single-node")
                + "container-runtime: pyxis\n");

        ClusterProfile mixed = ProfileCatalog.load(List.of(dir)).byName("mixed").orElseThrow();

        assertThat(LaunchPath.of(mixed, true)).isEqualTo(new LaunchPath("srt-slurm", "pyxis"));
        assertThat(LaunchPath.of(mixed, false)).isEqualTo(new LaunchPath("single-node", "pyxis"));
        assertThat(mixed.launching(false).launcher().type()).isEqualTo("single-node");
        assertThat(mixed.launching(true).launcher().type()).isEqualTo("srt-slurm");
        assertThat(loadError(VALID.replace("type: srt-slurm", "type: srt-slurm\n  single-node-type: single-node"))
                .field()).as("the single-node launcher still needs a runtime it can start").isEqualTo("container-runtime");
        assertThat(loadError(VALID.replace("type: srt-slurm", "type: srt-slurm\n  single-node-type: docker-run"))
                .field()).isEqualTo("launcher.single-node-type");
    }

    @Test
    void theEvalIsGsm8kUnlessTheLauncherNamesTasksAndAnAbsoluteIncludePath() throws IOException {
        Path dir = tmp.resolve("eval");
        write(dir, "plain.yaml", VALID);
        write(dir, "own.yaml", VALID.replace("runners: [h100, h100-multinode]", "runners: []")
                .replace("type: srt-slurm", """
                type: srt-slurm
                  eval:
                    tasks: [tiny_gsm8k, tiny_mmlu]
                    include-path: /opt/eval-tasks"""));
        ProfileCatalog catalog = ProfileCatalog.load(List.of(dir));

        assertThat(catalog.byName("plain").orElseThrow().launcher().eval())
                .isEqualTo(new ClusterProfile.Eval(List.of("gsm8k"), null));
        assertThat(catalog.byName("own").orElseThrow().launcher().eval())
                .isEqualTo(new ClusterProfile.Eval(List.of("tiny_gsm8k", "tiny_mmlu"), "/opt/eval-tasks"));
        YamlFieldException relative = loadError(VALID.replace("type: srt-slurm", """
                type: srt-slurm
                  eval: {include-path: engine/lm-eval-tasks}"""));
        assertThat(relative.field()).isEqualTo("launcher.eval.include-path");
        assertThat(relative.problem()).contains("absolute");
    }

    @Test
    void agenticSettingsNameAnAbsoluteTraceDirectoryAndAPositiveOffloadPool() throws IOException {
        Path dir = tmp.resolve("agentic");
        write(dir, "plain.yaml", VALID);
        write(dir, "traces.yaml", VALID.replace("runners: [h100, h100-multinode]", "runners: []")
                .replace("type: srt-slurm", """
                type: srt-slurm
                  agentic:
                    traces: /shared/cc-traces
                    kv-offload-gb: 1200"""));
        ProfileCatalog catalog = ProfileCatalog.load(List.of(dir));

        ClusterProfile.Agentic plain = catalog.byName("plain").orElseThrow().launcher().agentic();
        assertThat(plain.traces()).isNull();
        assertThat(plain.kvOffloadGbOrDefault()).as("InferenceMAX's workflow default").isEqualTo(2500);
        assertThat(catalog.byName("traces").orElseThrow().launcher().agentic())
                .isEqualTo(new ClusterProfile.Agentic("/shared/cc-traces", 1200));
        assertThat(loadError(VALID.replace("type: srt-slurm", """
                type: srt-slurm
                  agentic: {traces: traces/cc}""")).field()).isEqualTo("launcher.agentic.traces");
        assertThat(loadError(VALID.replace("type: srt-slurm", """
                type: srt-slurm
                  agentic: {kv-offload-gb: 0}""")).field()).isEqualTo("launcher.agentic.kv-offload-gb");
    }

    @Test
    void limitsAreOptionalAndEachLeftOutIsNoLimit() throws IOException {
        Path dir = tmp.resolve("limits");
        write(dir, "plain.yaml", VALID);
        write(dir, "both.yaml", VALID.replace("runners: [h100, h100-multinode]", "runners: []")
                + "limits:\n  max-queued-jobs: 4\n  submissions-per-minute: 10\n");
        write(dir, "queue.yaml", VALID.replace("runners: [h100, h100-multinode]", "runners: []")
                + "limits: {max-queued-jobs: 4}\n");
        ProfileCatalog catalog = ProfileCatalog.load(List.of(dir));

        assertThat(catalog.byName("plain").orElseThrow().limits()).isEqualTo(ClusterProfile.Limits.UNLIMITED);
        assertThat(catalog.byName("plain").orElseThrow().limits().limited()).isFalse();
        assertThat(catalog.byName("both").orElseThrow().limits()).isEqualTo(new ClusterProfile.Limits(4, 10));
        assertThat(catalog.byName("queue").orElseThrow().limits()).isEqualTo(new ClusterProfile.Limits(4, null));
        assertThat(catalog.byName("queue").orElseThrow().named("renamed").limits())
                .isEqualTo(new ClusterProfile.Limits(4, null));
    }

    @Test
    void aLimitOfZeroOrLessNamesFileLineAndField() throws IOException {
        YamlFieldException zero = loadError(VALID + "limits:\n  max-queued-jobs: 0\n");
        assertThat(zero.file()).endsWith("bad.yaml");
        assertThat(zero.line()).isEqualTo(25);
        assertThat(zero.field()).isEqualTo("limits.max-queued-jobs");
        assertThat(zero.problem()).isEqualTo("must be a positive whole number, found 0; leave it out for no limit");

        YamlFieldException negative = loadError(VALID + "limits:\n  submissions-per-minute: -3\n");
        assertThat(negative.field()).isEqualTo("limits.submissions-per-minute");
        assertThat(negative.problem()).contains("found -3");
    }

    @Test
    void aLimitThatIsNotAWholeNumberOrAnUnknownLimitIsAnError() throws IOException {
        assertThat(loadError(VALID + "limits: {max-queued-jobs: 2.5}\n").field())
                .isEqualTo("limits.max-queued-jobs");
        assertThat(loadError(VALID + "limits: {max-queued-jobs: \"4\"}\n").field())
                .isEqualTo("limits.max-queued-jobs");
        YamlFieldException unknown = loadError(VALID + "limits:\n  max-running-jobs: 4\n");
        assertThat(unknown.line()).isEqualTo(25);
        assertThat(unknown.field()).isEqualTo("limits.max-running-jobs");
        assertThat(loadError(VALID + "limits: 4\n").field()).isEqualTo("limits");
    }

    @Test
    void aDeadlineBeyondTheSlurmTimeLimitIsAnError() throws IOException {
        YamlFieldException e = loadError(VALID.replace("\"06:00:00\"", "\"01:00:00\""));

        assertThat(e.field()).isEqualTo("deadlines.total-seconds");
        assertThat(e.problem()).contains("21600 s exceeds the Slurm time limit 01:00:00 (3600 s)");
    }

    @Test
    void aZeroGpuCountIsAnError() throws IOException {
        YamlFieldException e = loadError(VALID.replace("gpus-per-node: 8", "gpus-per-node: 0"));

        assertThat(e.field()).isEqualTo("hardware.gpus-per-node");
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        YamlFieldException e = loadError(VALID.replace("  gpu: h100", "  gpu: [h100"));

        assertThat(e.file()).endsWith("bad.yaml");
        assertThat(e.line()).isGreaterThan(0);
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThatThrownBy(() -> ProfileCatalog.load(List.of(tmp.resolve("absent"))))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void slurmTimeLimitsAreReadInEveryForm() {
        assertThat(ProfileCatalog.timeLimitSeconds("90")).isEqualTo(5400);
        assertThat(ProfileCatalog.timeLimitSeconds("10:30")).isEqualTo(630);
        assertThat(ProfileCatalog.timeLimitSeconds("06:00:00")).isEqualTo(21600);
        assertThat(ProfileCatalog.timeLimitSeconds("1-00")).isEqualTo(86400);
        assertThat(ProfileCatalog.timeLimitSeconds("1-02:03")).isEqualTo(86400 + 7200 + 180);
        assertThat(ProfileCatalog.timeLimitSeconds("1-02:03:04")).isEqualTo(86400 + 7200 + 180 + 4);
        assertThat(ProfileCatalog.timeLimitSeconds("UNLIMITED")).isZero();
        assertThat(ProfileCatalog.timeLimitSeconds("six hours")).isEqualTo(-1);
    }
}
