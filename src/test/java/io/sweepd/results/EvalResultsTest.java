package io.sweepd.results;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sweepd.results.TestPoints.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalResultsTest {

    private final EvalResultParser parser = new EvalResultParser();

    private EvalResult parsed(String recordedFile) {
        ParseOutcome<EvalResult> outcome = parser.parse(recorded(recordedFile));
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed<EvalResult>) outcome).value();
    }

    @Test
    void readsGsm8kScoresUnderLmEvalsKeys() {
        EvalResult eval = parsed("evals/eval_gsm8k.json");

        assertThat(eval.file()).isEqualTo("eval_gsm8k.json");
        assertThat(eval.tasks()).containsOnlyKeys("gsm8k");
        assertThat(eval.tasks().get("gsm8k")).containsExactly(
                Map.entry("exact_match,strict-match", 0.9356),
                Map.entry("exact_match_stderr,strict-match", 0.0068),
                Map.entry("exact_match,flexible-extract", 0.9401),
                Map.entry("exact_match_stderr,flexible-extract", 0.0065));
    }

    @Test
    void nonNumericValuesLikeAliasAndNaStderrAreLeftOut() {
        EvalResult eval = parsed("evals/results_2025-06-01T09-12-44.512301.json");

        assertThat(eval.metric("gsm8k", EvalResult.STRICT_MATCH)).isEqualTo(0.6217);
        assertThat(eval.metric("gsm8k", EvalResult.FLEXIBLE_EXTRACT_STDERR)).as("\"N/A\"").isNull();
        assertThat(eval.tasks().get("gsm8k")).doesNotContainKey("alias");
    }

    @Test
    void gsm8kPassesAtOrAboveEightyFivePercentStrictMatchByDefault() {
        EvalThresholds thresholds = EvalThresholds.defaults();

        EvalVerdict pass = thresholds.verdicts(parsed("evals/eval_gsm8k.json")).get(0);
        assertThat(pass.passed()).isTrue();
        assertThat(pass.threshold()).isEqualTo(0.85);
        assertThat(pass.reason()).isEqualTo("gsm8k strict-match 0.9356 >= 0.85");
        assertThat(pass.strictMatch()).isEqualTo(0.9356);
        assertThat(pass.strictMatchStderr()).isEqualTo(0.0068);
        assertThat(pass.flexibleExtract()).isEqualTo(0.9401);
        assertThat(pass.flexibleExtractStderr()).isEqualTo(0.0065);

        EvalVerdict fail = thresholds.verdicts(parsed("evals/results_2025-06-01T09-12-44.512301.json")).get(0);
        assertThat(fail.passed()).isFalse();
        assertThat(fail.reason()).isEqualTo("gsm8k strict-match 0.6217 < 0.85");
    }

    @Test
    void thresholdsAreConfigurablePerTask() {
        EvalThresholds lenient = EvalThresholds.of(Map.of("gsm8k", 0.6));
        assertThat(lenient.verdicts(parsed("evals/results_2025-06-01T09-12-44.512301.json")).get(0).passed()).isTrue();

        EvalThresholds strict = EvalThresholds.of(Map.of("gsm8k", 0.94));
        assertThat(strict.verdicts(parsed("evals/eval_gsm8k.json")).get(0).reason())
                .isEqualTo("gsm8k strict-match 0.9356 < 0.94");

        EvalThresholds exact = EvalThresholds.of(Map.of("gsm8k", 0.9356));
        assertThat(exact.verdicts(parsed("evals/eval_gsm8k.json")).get(0).passed()).as("at the threshold").isTrue();

        assertThatThrownBy(() -> EvalThresholds.of(Map.of("gsm8k", 85.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }

    @Test
    void aTaskWithoutThresholdGetsNoVerdictAndAThresholdWithoutScoreFails() {
        String text = """
                {"results": {"mmlu": {"acc,none": 0.81}, "gsm8k": {"exact_match,flexible-extract": 0.9}}}""";
        EvalResult eval = ((ParseOutcome.Parsed<EvalResult>) parser.parse("results_x.json", text)).value();
        List<EvalVerdict> verdicts = EvalThresholds.defaults().verdicts(eval);

        assertThat(verdicts).extracting(EvalVerdict::task).containsExactly("mmlu", "gsm8k");
        assertThat(verdicts.get(0).passed()).isNull();
        assertThat(verdicts.get(0).reason()).isEqualTo("no threshold for mmlu");
        assertThat(verdicts.get(1).passed()).isFalse();
        assertThat(verdicts.get(1).reason()).isEqualTo("gsm8k has no exact_match,strict-match score (threshold 0.85)");
    }

    @Test
    void aVerdictMapHasTheScoresThenThresholdPassedVerdictAndFile() {
        Map<String, Object> map = EvalThresholds.defaults().verdicts(parsed("evals/eval_gsm8k.json")).get(0).toMap();

        assertThat(map.keySet()).containsExactly("exact_match,strict-match", "exact_match_stderr,strict-match",
                "exact_match,flexible-extract", "exact_match_stderr,flexible-extract", "threshold", "passed",
                "verdict", "file");
        assertThat(map).containsEntry("passed", true).containsEntry("file", "eval_gsm8k.json");
    }

    @Test
    void filesThatAreNotLmEvalResultsAreInvalid() {
        assertThat(((ParseOutcome.Invalid<EvalResult>) parser.parse("eval_gsm8k.json", "{\"results\": [1]}"))
                .reason()).isEqualTo("eval_gsm8k.json: required key 'results' is missing or not an object "
                + "(not an lm-eval results file)");
        assertThat(((ParseOutcome.Invalid<EvalResult>) parser.parse("eval_gsm8k.json", "{\"results\": {}}"))
                .reason()).isEqualTo("eval_gsm8k.json: key 'results' has no tasks");
        assertThat(((ParseOutcome.Invalid<EvalResult>) parser.parse("eval_gsm8k.json", "{\"res")).reason())
                .startsWith("eval_gsm8k.json: is not JSON");
    }

    @Test
    void evalFileNamesAreEvalUnderscoreOrResultsButNeverABenchmarkResult() {
        assertThat(EvalResultParser.isEvalFileName("eval_gsm8k.json")).isTrue();
        assertThat(EvalResultParser.isEvalFileName("results_2025-06-01T09-12-44.512301.json")).isTrue();
        assertThat(EvalResultParser.isEvalFileName("results.json")).isTrue();
        assertThat(EvalResultParser.isEvalFileName("results_concurrency_64_gpus_8.json")).isFalse();
        assertThat(EvalResultParser.isEvalFileName("results_concurrency_64_gpus_8.json.tmp")).isFalse();
        assertThat(EvalResultParser.isEvalFileName("results_concurrency_64.json")).as("a malformed bench name")
                .isFalse();
        assertThat(EvalResultParser.isEvalFileName("samples_gsm8k_2025-06-01.jsonl")).isFalse();
        assertThat(EvalResultParser.isEvalFileName("plan.json")).isFalse();
    }

    @Test
    void thresholdsAreReadFromTheSettingAndABadEntryIsNamed() {
        assertThat(EvalThresholds.parse("gsm8k=0.9, mmlu=0.7").minimums())
                .containsExactly(Map.entry("gsm8k", 0.9), Map.entry("mmlu", 0.7));
        assertThat(EvalThresholds.parse("").minimums()).containsExactly(Map.entry("gsm8k", 0.85));
        assertThatThrownBy(() -> EvalThresholds.parse("gsm8k:0.9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gsm8k:0.9'");
        assertThatThrownBy(() -> EvalThresholds.parse("gsm8k=1.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
}
