package io.sweepd.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.Fixtures;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepFilters;
import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.SweepParser;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.workarounds.WorkaroundEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The expander against the generator's own output: the master-config excerpt, and the whole master configs of
 * two InferenceMAX commits (May 2026: seq-len-configs schema, 2,260 points; June 2026: scenarios schema with
 * agentic-coding, 2,146 points), every point field for field, with the shipped eval-exclusion rules.
 */
class InferenceMaxParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WorkaroundEngine SHIPPED_RULES = new WorkaroundEngine(WorkaroundCatalog.fromClasspath());
    private static final EvalExclusions SHIPPED_EXCLUSIONS = SHIPPED_RULES::excludedFromEvals;

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

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-05-01, 2260, 348", "2026-06-03, 2146, 261"})
    void wholeSnapshotExpandsToTheGeneratorsMatrixFieldForField(String date, int points, int marked) throws IOException {
        Path dir = Fixtures.fixture("inferencemax/snapshots/" + date);
        JsonNode expected = JSON.readTree(dir.resolve("full-sweep.expected.json").toFile());

        List<MatrixPoint> matrix = expander.expand(snapshot(dir, "nvidia-master.yaml", "amd-master.yaml"),
                SHIPPED_EXCLUSIONS);

        assertSameMatrix(matrix, toList(expected));
        assertThat(matrix).hasSize(points);
        assertThat(matrix).filteredOn(MatrixPoint::runEval).hasSize(marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-05-01", "2026-06-03"})
    void eachMasterFileAloneExpandsToItsShareOfTheWholeMatrix(String date) throws IOException {
        Path dir = Fixtures.fixture("inferencemax/snapshots/" + date);
        JsonNode expected = JSON.readTree(dir.resolve("full-sweep.expected.json").toFile());

        List<MatrixPoint> nvidia = expander.expand(snapshot(dir, "nvidia-master.yaml"), SHIPPED_EXCLUSIONS);
        List<MatrixPoint> amd = expander.expand(snapshot(dir, "amd-master.yaml"), SHIPPED_EXCLUSIONS);

        assertThat(nvidia).isNotEmpty();
        assertThat(amd).isNotEmpty().allSatisfy(p -> assertThat(p.runner()).startsWith("mi"));
        List<MatrixPoint> both = new ArrayList<>(nvidia);
        both.addAll(amd);
        assertSameMatrix(both, toList(expected));
    }

    @Test
    void juneAgenticPointsCarryScenarioTypeDurationAndOffloadingAndNoEvalFields() throws IOException {
        Path dir = Fixtures.fixture("inferencemax/snapshots/2026-06-03");

        List<MatrixPoint> agentic = expander.expand(snapshot(dir, "nvidia-master.yaml", "amd-master.yaml"),
                SHIPPED_EXCLUSIONS).stream().filter(MatrixPoint::isAgentic).toList();

        assertThat(agentic).hasSize(500);
        assertThat(agentic).allSatisfy(p -> assertThat(p.toInferenceMax())
                .containsEntry("scenario-type", "agentic-coding")
                .containsKey("duration")
                .doesNotContainKeys("isl", "osl", "max-model-len", "run-eval"));
        assertThat(agentic).filteredOn(p -> !p.multinode())
                .allSatisfy(p -> assertThat(p.toInferenceMax()).containsKey("offloading"));
    }

    @Test
    void mayAndJuneDisagreeOnlyWhereTheirGeneratorsDid() throws IOException {
        // The May generator pinned DeepSeek-V4-Pro / gb300-cw / dynamo-sglang out of evals; June's marks it. The
        // shipped rule follows the schema of the entry, so the same group is marked in one and not the other.
        List<MatrixPoint> may = expander.expand(snapshot(Fixtures.fixture("inferencemax/snapshots/2026-05-01"),
                "nvidia-master.yaml"), SHIPPED_EXCLUSIONS);
        List<MatrixPoint> june = expander.expand(snapshot(Fixtures.fixture("inferencemax/snapshots/2026-06-03"),
                "nvidia-master.yaml"), SHIPPED_EXCLUSIONS);

        assertThat(may).filteredOn(p -> p.runner().equals("gb300-cw") && p.framework().equals("dynamo-sglang"))
                .isNotEmpty().noneMatch(MatrixPoint::runEval);
        assertThat(june).filteredOn(p -> p.runner().equals("gb300-cw") && p.framework().equals("dynamo-sglang"))
                .anyMatch(MatrixPoint::runEval);
    }

    @Test
    void evalsOnlySelectsExactlyTheMarkedPoints() throws IOException {
        SweepFile sweep = withEvals(parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml")), EvalSelection.ONLY);
        JsonNode expected = JSON.readTree(Fixtures.fixture("inferencemax/master-excerpt.expected-matrix.json").toFile());
        // The generator's --evals-only keeps the marked points and adds "eval-only": true to each.
        List<JsonNode> marked = toList(expected).stream().filter(p -> p.get("run-eval").asBoolean())
                .map(p -> (JsonNode) ((com.fasterxml.jackson.databind.node.ObjectNode) p.deepCopy()).put("eval-only", true))
                .toList();

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

    /** The named master files of a snapshot, concatenated as one sweep file (as {@code cat a b > sweep.yaml}). */
    private SweepFile snapshot(Path dir, String... files) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            text.append(Files.readString(dir.resolve(file))).append('\n');
        }
        return parser.parse(text.toString(), "snapshot.yaml", dir);
    }

    private static SweepFile withEvals(SweepFile sweep, EvalSelection evals) {
        SweepFilters f = sweep.settings().filters();
        SweepFilters filters = new SweepFilters(f.modelPrefix(), f.precision(), f.framework(), f.runnerType(),
                f.seqLens(), f.minConc(), f.maxConc(), f.maxTp(), f.maxEp(), f.singleNode(), f.multiNode(), evals);
        return sweep.withSettings(sweep.settings().withFilters(filters));
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
