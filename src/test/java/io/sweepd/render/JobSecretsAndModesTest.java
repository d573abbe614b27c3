package io.sweepd.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.files.FileModes;
import io.sweepd.files.TarGz;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.ledger.JobRecord;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanWriter;
import io.sweepd.plan.PlannedJob;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.render.harness.SingleNodeJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret-named environment values (a profile's, a recipe's) reach the job through owner-only files only, never
 * plan.json, recipe.yaml, job.sbatch or the failure archive; what render creates is owner-only by default.
 */
class JobSecretsAndModesTest {

    private static final String PROFILE_TOKEN = "hf_profile_canary_1234";
    private static final String RECIPE_TOKEN = "hf_recipe_canary_5678";

    @TempDir
    Path home;

    @TempDir
    Path out;

    @Test
    void singleNodeSecretsAreRedactedInPlanAndRecipeButTheJobGetsThemFromOwnerOnlyFiles() throws IOException {
        Plan plan = RenderFixtures.planResource("gptoss-single-node.yaml", "local", home);
        PlannedJob job = plan.jobs().get(0);
        ObjectNode config = plan.pointsOf(job).get(0).enriched().serverConfig();
        ((ObjectNode) config.with("backend")).with("aggregated_environment").put("HF_TOKEN", RECIPE_TOKEN);
        ClusterProfile profile = RenderFixtures.withEnvironment(RenderFixtures.profile(job.profile()),
                Map.of("MY_API_KEY", PROFILE_TOKEN, "PLAIN", "visible"));
        Path dir = out.resolve("run").resolve(job.jobKey());

        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(plan, job, profile, dir));

        JobDirectory d = rendered.directory();
        assertThat(Files.readString(d.plan())).contains("<redacted>").doesNotContain(RECIPE_TOKEN);
        assertThat(Files.readString(d.recipe())).contains("<redacted>").doesNotContain(RECIPE_TOKEN);
        String script = Files.readString(d.script());
        assertThat(script).doesNotContain(PROFILE_TOKEN).contains("export PLAIN='visible'").contains("secrets.env");
        Path secrets = d.root().resolve("secrets.env");
        assertThat(Files.readString(secrets)).contains("MY_API_KEY='" + PROFILE_TOKEN + "'");
        assertThat(mode(secrets)).isEqualTo("rw-------");
        Path environment = d.root().resolve(SingleNodeJob.INPUTS).resolve("environment");
        assertThat(Files.readString(environment)).contains("HF_TOKEN=" + RECIPE_TOKEN);
        assertThat(mode(environment)).isEqualTo("rw-------");

        Path runPlan = PlanWriter.write(plan, out.resolve("run"));
        assertThat(Files.readString(runPlan)).contains("<redacted>").doesNotContain(RECIPE_TOKEN);

        // The evidence of a failed job: everything in it, but neither secret.
        Files.writeString(d.exitCodeFile(), "1\n");
        Path archive = new FailureArchiver().archive(JobRecord.planned("r", job.jobKey(), job.profile(),
                d.root().toString(), 60, 60, 60));
        Path unpacked = out.resolve("unpacked");
        TarGz.extract(archive, unpacked, Duration.ofMinutes(1));
        assertThat(allText(unpacked)).contains("<redacted>").doesNotContain(RECIPE_TOKEN).doesNotContain(PROFILE_TOKEN);
    }

    @Test
    void srtSlurmRecipeEnvironmentSecretsAreLeftOutOfRecipeYamlAndExportedFromTheSecretsFile() throws IOException {
        Plan plan = RenderFixtures.seedOnH200(home);
        PlannedJob job = plan.jobs().get(1);
        ClusterProfile profile = RenderFixtures.profile(job.profile());
        ObjectNode config = plan.pointsOf(job).get(0).enriched().serverConfig();
        ((ObjectNode) config.with("backend")).with("prefill_environment").put("HF_TOKEN", RECIPE_TOKEN);
        Path dir = out.resolve(job.jobKey());

        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(plan, job, profile, dir));

        JobDirectory d = rendered.directory();
        assertThat(profile.launcher().type()).isEqualTo("srt-slurm");
        assertThat(Files.readString(d.recipe())).doesNotContain("HF_TOKEN").doesNotContain(RECIPE_TOKEN)
                .contains("VLLM_ENGINE_READY_TIMEOUT_S");
        assertThat(Files.readString(d.plan())).doesNotContain(RECIPE_TOKEN);
        assertThat(Files.readString(d.script())).doesNotContain(RECIPE_TOKEN).contains("set -a\n. ");
        assertThat(Files.readString(d.root().resolve("secrets.env"))).contains("HF_TOKEN='" + RECIPE_TOKEN + "'");
    }

    @Test
    void jobDirectoriesAreOwnerOnlyByDefaultAndGroupReadableWhenConfigured() throws IOException {
        Plan plan = RenderFixtures.planResource("gptoss-single-node.yaml", "local", home);
        PlannedJob job = plan.jobs().get(0);
        ClusterProfile profile = RenderFixtures.profile(job.profile());

        JobDirectory owner = new JobRenderer().render(RenderFixtures.request(plan, job, profile,
                out.resolve("owner-run").resolve(job.jobKey()))).directory();
        JobDirectory group = new JobRenderer(new FileModes(true)).render(RenderFixtures.request(plan, job, profile,
                out.resolve("group-run").resolve(job.jobKey()))).directory();

        assertThat(List.of(mode(owner.root().getParent()), mode(owner.root()), mode(owner.logs()), mode(owner.results())))
                .containsOnly("rwx------");
        assertThat(List.of(mode(owner.plan()), mode(owner.recipe()))).containsOnly("rw-------");
        assertThat(mode(owner.script())).isEqualTo("rwx------");
        assertThat(List.of(mode(group.root().getParent()), mode(group.root()), mode(group.logs())))
                .containsOnly("rwxr-x---");
        assertThat(List.of(mode(group.plan()), mode(group.recipe()))).containsOnly("rw-r-----");
        assertThat(mode(group.script())).isEqualTo("rwxr-x---");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String allText(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }
}
