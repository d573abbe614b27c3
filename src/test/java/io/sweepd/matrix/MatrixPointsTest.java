package io.sweepd.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.sweep.SweepParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A point read back from the InferenceMAX-shaped JSON sweepd writes is the point that was written. */
class MatrixPointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<MatrixPoint> expand(String fixture) {
        return new MatrixExpander().expand(new SweepParser().parse(Fixtures.fixture(fixture)));
    }

    /** toInferenceMax() plus sweepd's config-key, through real JSON text. */
    private static JsonNode written(MatrixPoint point) throws Exception {
        ObjectNode json = JSON.valueToTree(point.toInferenceMax());
        json.put("config-key", point.configKey());
        return JSON.readTree(JSON.writeValueAsString(json));
    }

    @Test
    void everySingleNodePointOfTheInferenceMaxExcerptReadsBackEqual() throws Exception {
        List<MatrixPoint> points = expand("inferencemax/master-excerpt.yaml").stream()
                .filter(p -> !p.multinode()).toList();
        assertThat(points).hasSizeGreaterThan(10);
        assertThat(points).anyMatch(MatrixPoint::runEval).anyMatch(p -> Boolean.TRUE.equals(p.dpAttn()));

        for (MatrixPoint point : points) {
            assertThat(MatrixPoints.fromInferenceMax(written(point))).isEqualTo(point);
        }
    }

    @Test
    void everyMultinodePointOfTheSeedSweepReadsBackEqualWithWorkersAndConcurrencyList() throws Exception {
        List<MatrixPoint> points = expand("seed-pr/sweep.yaml");
        assertThat(points).hasSize(2).allMatch(MatrixPoint::multinode);

        for (MatrixPoint point : points) {
            MatrixPoint read = MatrixPoints.fromInferenceMax(written(point));
            assertThat(read).isEqualTo(point);
            assertThat(read.tp()).isNull();
            assertThat(read.prefill().additionalSettings()).singleElement().asString().startsWith("CONFIG_FILE=");
            assertThat(read.decode().additionalSettings()).isNull();
            assertThat(read.conc()).hasSizeGreaterThan(1);
        }
    }

    @Test
    void aMultinodePointsEvalConcurrencyReadsBackOnlyWhenItRunsAnEval() throws Exception {
        MatrixPoint seed = expand("seed-pr/sweep.yaml").get(0);
        MatrixPoint withEval = seed.withEval(true, 16);
        MatrixPoint withoutEval = seed.withEval(false, null);

        assertThat(MatrixPoints.fromInferenceMax(written(withEval))).isEqualTo(withEval);
        assertThat(MatrixPoints.fromInferenceMax(written(withoutEval))).isEqualTo(withoutEval);
    }

    @Test
    void aPointWithoutConfigKeyReadsBackWithNone() throws Exception {
        MatrixPoint point = expand("inferencemax/master-excerpt.yaml").get(0);
        JsonNode json = JSON.valueToTree(point.toInferenceMax());

        MatrixPoint read = MatrixPoints.fromInferenceMax(json);

        assertThat(read.configKey()).isNull();
        assertThat(read.expName()).isEqualTo(point.expName());
        assertThat(read.conc()).isEqualTo(point.conc());
    }

    @Test
    void thePointsOfAJobsPlanJsonReadBackAsThePlannedPoints(@TempDir Path home) throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString(),
                "sweepd.profile", "h200-dgxc-slurm"));
        Plan plan = PlannerFactory.create(settings).plan(Fixtures.fixture("seed-pr/sweep.yaml"));
        assertThat(plan.points()).isNotEmpty();

        for (PlannedPoint planned : plan.points()) {
            JsonNode json = JSON.readTree(JSON.writeValueAsString(PlanJson.point(planned)));
            assertThat(MatrixPoints.fromInferenceMax(json)).isEqualTo(planned.enriched().point());
        }
    }
}
