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
        Path sweep = Files.writeString(home.resolve("sweep.yaml"), sweepText);
        return PlannerFactory.create(SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", "local"))).plan(sweep);
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

    @Test
    void theSameSweepWithASafeImageRendersEveryJob() throws IOException {
        Plan plan = plan(gptoss());

        assertThat(plan.refusedPoints()).isEmpty();
        assertThat(plan.jobs()).isNotEmpty();
    }
}
