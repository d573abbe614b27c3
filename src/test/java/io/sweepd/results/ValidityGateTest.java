package io.sweepd.results;

import org.junit.jupiter.api.Test;

import static io.sweepd.results.TestPoints.recorded;
import static org.assertj.core.api.Assertions.assertThat;

class ValidityGateTest {

    private final ValidityGate gate = new ValidityGate();
    private final BenchmarkResultParser parser = new BenchmarkResultParser();

    /** A result of conc 64 with the given counts; failed null leaves the key out, as old shapes do. */
    private BenchmarkResult result(int numPrompts, int completed, Integer failed, long outputTokens) {
        String text = """
                {"max_concurrency": 64, "num_prompts": %d, "completed": %d,%s "total_input_tokens": %d,
                 "total_output_tokens": %d, "request_throughput": 3.9, "output_throughput": 4000.0,
                 "total_token_throughput": 8000.0}"""
                .formatted(numPrompts, completed, failed == null ? "" : " \"failed\": " + failed + ",",
                        completed * 1024L, outputTokens);
        return ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse("results_concurrency_64_gpus_8.json", text))
                .value();
    }

    @Test
    void aCleanRunIsValid() {
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                recorded("single-node-tp8/results_concurrency_64_gpus_8.json"))).value();

        assertThat(gate.check(r)).isEqualTo(new ValidityGate.Verdict(true, null));
    }

    @Test
    void zeroCompletedRequestsIsInvalid() {
        ValidityGate.Verdict verdict = gate.check(result(0, 0, 0, 0));

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).startsWith("0 completed requests (0 failed, 0 prompts)");
    }

    @Test
    void zeroOutputTokensIsInvalid() {
        ValidityGate.Verdict verdict = gate.check(result(640, 640, 0, 0));

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).isEqualTo("0 output tokens (640 completed requests)");
    }

    @Test
    void moreThanFivePercentFailedIsInvalidAndStatesTheNumbers() {
        ValidityGate.Verdict verdict = gate.check(result(640, 607, 33, 607 * 1024L));

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).isEqualTo("33 of 640 requests failed (5.16% > 5%)");
    }

    @Test
    void exactlyFivePercentFailedIsStillValid() {
        // 32 / (608 + 32) = 5 % exactly: "more than 5 %" is the rule.
        assertThat(gate.check(result(640, 608, 32, 608 * 1024L)).valid()).isTrue();
        // One more failure tips it: 33 / (608 + 33) = 5.15 %.
        assertThat(gate.check(result(641, 608, 33, 608 * 1024L)).reason())
                .isEqualTo("33 of 641 requests failed (5.15% > 5%)");
    }

    @Test
    void withoutAFailedKeyFailuresAreThePromptsThatDidNotComplete() {
        ValidityGate.Verdict verdict = gate.check(result(640, 600, null, 600 * 1024L));

        assertThat(verdict.reason()).isEqualTo(
                "40 of 640 requests failed (6.25% > 5%), counted as num_prompts 640 - completed 600");
        assertThat(gate.check(result(640, 608, null, 608 * 1024L)).valid()).as("32 of 640: exactly 5 %").isTrue();
    }

    @Test
    void theFailedShareIsOfRequestsSentNotOfPrompts() {
        // 'failed' is authoritative when present: 40 failed of 640 sent, although num_prompts says 1000.
        assertThat(gate.check(result(1000, 600, 40, 600 * 1024L)).reason())
                .isEqualTo("40 of 640 requests failed (6.25% > 5%)");
    }

    @Test
    void aRunWhereNothingCompletedNamesEveryProblem() {
        BenchmarkResult r = ((ParseOutcome.Parsed<BenchmarkResult>) parser.parse(
                recorded("zero-completed/results_concurrency_64_gpus_8.json"))).value();

        assertThat(gate.check(r).reason()).isEqualTo("0 completed requests (640 failed, 640 prompts); "
                + "0 output tokens (0 completed requests); 640 of 640 requests failed (100.00% > 5%)");
    }
}
