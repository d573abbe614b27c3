package io.sweepd.render;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sweepd plan} and the daemon's planning refuse what render would refuse, with render's own reason. */
class PlanRefusesWhatRenderWouldTest {

    @TempDir
    Path home;

    private Plan plan(String sweepText) throws IOException {
        return plan(sweepText, "local");
    }

    private Plan plan(String sweepText, String profile) throws IOException {
        Path sweep = Files.writeString(home.resolve("sweep.yaml"), sweepText);
        return PlannerFactory.create(SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", profile))).plan(sweep);
    }

    private static String gptoss() throws IOException {
        return Files.readString(RenderFixtures.resource("gptoss-single-node.yaml"));
    }

    @Test
    void anImageRenderWouldRefuseIsARefusedPointInThePlanWithTheReason() throws IOException {
        Plan plan = plan(gptoss().replace("image: vllm/vllm-openai:v0.18.0", "image: 'vllm/vllm-openai:v0.18.0 ;id'"));

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.points()).isNotEmpty().allSatisfy((PlannedPoint point) -> assertThat(point.enriched().refused())
                .startsWith("render would refuse it: ").contains("image"));
    }

    /** Found by SweepPlanFuzzTest: the model-prefix makes the job key, which names the job's directory and job. */
    @Test
    void aModelPrefixThatMakesAnUnsafeJobKeyIsARefusedPoint() throws IOException {
        Plan plan = plan(gptoss().replace("model-prefix: gptoss", "model-prefix: 'CONFIG_FILE=x.yaml'"));

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.points()).isNotEmpty().allSatisfy((PlannedPoint point) -> assertThat(point.enriched().refused())
                .startsWith("render would refuse it: ").contains("job key (from model-prefix)"));
    }

    @Test
    void theSameSweepWithASafeImageRendersEveryJob() throws IOException {
        Plan plan = plan(gptoss());

        assertThat(plan.refusedPoints()).isEmpty();
        assertThat(plan.jobs()).isNotEmpty();
    }

    /**
     * Found by SweepPlanFuzzTest: a multinode model with neither a path on the cluster nor an alias planned fine,
     * then render refused its srt-slurm recipe and the daemon moved the file to .error/.
     */
    @Test
    void aRecipeSrtctlWouldRejectIsARefusedPointInThePlanWithSrtctlsReason() throws IOException {
        String dsr1 = Files.readString(RenderFixtures.resource("dsr1-disagg.yaml"));

        Plan plan = plan(dsr1.replace("model: deepseek-ai/DeepSeek-R1-0528", "model: '8'"), "local-h200");

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.points()).isNotEmpty().allSatisfy((PlannedPoint point) -> assertThat(point.enriched().refused())
                .startsWith("render would refuse it: srtctl would reject the recipe")
                .contains("model.path '8' is neither absolute nor an alias"));
    }

    @Test
    void theDisaggregatedSweepAsWrittenRendersEveryJob() throws IOException {
        Plan plan = plan(Files.readString(RenderFixtures.resource("dsr1-disagg.yaml")), "local-h200");

        assertThat(plan.refusedPoints()).isEmpty();
        assertThat(plan.jobs()).isNotEmpty();
    }
}
