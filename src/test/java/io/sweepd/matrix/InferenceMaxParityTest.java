package io.sweepd.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.Fixtures;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepFilters;
import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.SweepParser;
import io.sweepd.sweep.SweepSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The expander against the generator's own output for the master-config excerpt. */
class InferenceMaxParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepParser parser = new SweepParser();
    private final MatrixExpander expander = new MatrixExpander();

    @Test
    void excerptExpandsToTheGeneratorsMatrixFieldForField() throws IOException {
        SweepFile sweep = parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml"));
        JsonNode expected = JSON.readTree(Fixtures.fixture("inferencemax/master-excerpt.expected-matrix.json").toFile());

        List<MatrixPoint> points = expander.expand(sweep, EvalExclusions.NONE);

        assertSameMatrix(points, toList(expected));
        assertThat(points).hasSize(85);
        assertThat(points).filteredOn(MatrixPoint::runEval).hasSize(16);
    }

    @Test
    void evalsOnlySelectsExactlyTheMarkedPoints() throws IOException {
        SweepFile sweep = withEvals(parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml")), EvalSelection.ONLY);
        JsonNode expected = JSON.readTree(Fixtures.fixture("inferencemax/master-excerpt.expected-matrix.json").toFile());
        List<JsonNode> marked = toList(expected).stream().filter(p -> p.get("run-eval").asBoolean()).toList();

        List<MatrixPoint> points = expander.expand(sweep, EvalExclusions.NONE);

        assertThat(marked).hasSize(16);
        assertSameMatrix(points, marked);
    }

    @Test
    void evalsExcludeDropsExactlyTheMarkedPoints() throws IOException {
        SweepFile sweep = withEvals(parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml")),
                EvalSelection.EXCLUDE);
        JsonNode expected = JSON.readTree(Fixtures.fixture("inferencemax/master-excerpt.expected-matrix.json").toFile());
        List<JsonNode> unmarked = toList(expected).stream().filter(p -> !p.get("run-eval").asBoolean()).toList();

        assertSameMatrix(expander.expand(sweep, EvalExclusions.NONE), unmarked);
    }

    @Test
    void seedPrSweepGivesOneMultinodePointPerSeqLenAndMarksThe8k1kOne() {
        SweepFile sweep = parser.parse(Fixtures.fixture("seed-pr/sweep.yaml"));

        List<MatrixPoint> points = expander.expand(sweep, EvalExclusions.NONE);

        assertThat(points).hasSize(2);
        assertThat(points).allSatisfy(p -> {
            assertThat(p.multinode()).isTrue();
            assertThat(p.disagg()).isTrue();
            assertThat(p.configKey()).isEqualTo("dsv4-fp8-h100-dynamo-vllm");
            assertThat(p.prefill().ep()).isEqualTo(16);
            assertThat(p.decode().additionalSettings()).isNull();
        });
        MatrixPoint oneK = points.get(0);
        assertThat(oneK.expName()).isEqualTo("dsv4_1k1k");
        assertThat(oneK.conc()).containsExactly(4, 8, 16, 32, 64, 128);
        assertThat(oneK.maxModelLen()).isEqualTo(2304);
        assertThat(oneK.runEval()).isFalse();
        assertThat(oneK.prefill().additionalSettings())
                .containsExactly("CONFIG_FILE=recipes/vllm/deepseek-v4-pro/1k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml");
        MatrixPoint eightK = points.get(1);
        assertThat(eightK.expName()).isEqualTo("dsv4_8k1k");
        assertThat(eightK.conc()).containsExactly(4, 8, 16, 32, 64);
        assertThat(eightK.maxModelLen()).isEqualTo(9472);
        assertThat(eightK.runEval()).isTrue();
        assertThat(eightK.evalConc()).isEqualTo(32);
        assertThat(eightK.toInferenceMax()).containsEntry("eval-conc", 32);
    }

    private static SweepFile withEvals(SweepFile sweep, EvalSelection evals) {
        SweepFilters f = sweep.settings().filters();
        SweepFilters filters = new SweepFilters(f.modelPrefix(), f.precision(), f.framework(), f.runnerType(),
                f.seqLens(), f.minConc(), f.maxConc(), f.maxTp(), f.maxEp(), f.singleNode(), f.multiNode(), evals);
        SweepSettings s = sweep.settings();
        return new SweepFile(sweep.name(), sweep.source(), sweep.baseDir(),
                new SweepSettings(s.name(), filters, s.schedule(), s.baseline(), s.profile(), s.disableWorkarounds(), s.overridePreflight()), sweep.entries());
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.elements().forEachRemaining(items::add);
        return items;
    }

    /** Index by index, naming the first differing field so a failure says what to fix. */
    private static void assertSameMatrix(List<MatrixPoint> actual, List<JsonNode> expected) {
        List<JsonNode> got = actual.stream().map(p -> (JsonNode) JSON.valueToTree(p.toInferenceMax())).toList();
        IntStream.range(0, Math.min(got.size(), expected.size())).forEach(i -> {
            if (!got.get(i).equals(expected.get(i))) {
                fail("point " + i + " differs: " + firstDifference(got.get(i), expected.get(i))
                        + "\n  got:      " + got.get(i) + "\n  expected: " + expected.get(i));
            }
        });
        assertThat(got).as("number of points").hasSize(expected.size());
    }

    private static String firstDifference(JsonNode got, JsonNode expected) {
        for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!got.has(name)) {
                return "field '" + name + "' missing";
            }
            if (!got.get(name).equals(expected.get(name))) {
                return "field '" + name + "' is " + got.get(name) + ", expected " + expected.get(name);
            }
        }
        for (Iterator<String> names = got.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!expected.has(name)) {
                return "unexpected field '" + name + "' = " + got.get(name);
            }
        }
        return "field order or types";
    }
}
