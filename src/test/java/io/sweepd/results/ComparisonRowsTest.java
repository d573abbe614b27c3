package io.sweepd.results;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonRowsTest {

    private static PointResult row(String pointId, int conc, String state, Map<String, Object> metrics,
                                   List<String> workarounds) {
        return new PointResult("nightly-20261201-000000", pointId, "job-" + pointId, "dsr1-fp8-h200-sglang",
                "deepseek-ai/DeepSeek-R1", "dsr1", "fp8", "sglang", "h200", "h200-local", "h200-cw", 1024, 8192, conc,
                conc > 64, "mtp", "tp8 ep8 dpa", state, state.equals("COMPLETED") ? null : "NonZeroExitCode",
                state.equals("FAILED") ? "CUDA out of memory" : null, conc > 64 ? 8 : 0, conc > 64 ? 16 : 0, 24,
                metrics, Map.of("gsm8k", 0.93), workarounds);
    }

    @Test
    void rowsComeBackAsTheyWereWithOnlyTheComparedMetricsAndNoEval() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("tput_per_gpu", 1234.5);
        metrics.put("median_ttft", 0.25);
        metrics.put("total_requests", 640);
        metrics.put("mean_itl", 0.012);
        List<PointResult> rows = List.of(row("p1", 4, "COMPLETED", metrics, List.of("w-nccl", "w-fp8")),
                row("p2", 128, "FAILED", null, List.of()));

        List<PointResult> read = ComparisonRows.fromJson(ComparisonRows.toJson(rows,
                Set.of("tput_per_gpu", "median_ttft", "total_requests"))).orElseThrow();

        assertThat(read).hasSize(2);
        PointResult completed = read.get(0);
        assertThat(completed).usingRecursiveComparison().ignoringFields("metrics", "eval")
                .isEqualTo(rows.get(0));
        assertThat(completed.metrics()).containsExactly(Map.entry("tput_per_gpu", 1234.5),
                Map.entry("median_ttft", 0.25), Map.entry("total_requests", 640));
        assertThat(completed.eval()).isNull();
        PointResult failed = read.get(1);
        assertThat(failed).usingRecursiveComparison().ignoringFields("eval").isEqualTo(rows.get(1));
        assertThat(failed.metrics()).isNull();
        assertThat(failed.disagg()).isTrue();
        assertThat(failed.diagnosis()).isEqualTo("CUDA out of memory");
        assertThat(completed.model()).as("texts shared across rows").isSameAs(failed.model());
    }

    @Test
    void rowsOfAnotherVersionOrNotRowsAtAllAreNotRead() {
        String written = ComparisonRows.toJson(List.of(row("p1", 4, "COMPLETED", Map.of("tput_per_gpu", 1.0),
                List.of())), Set.of("tput_per_gpu"));

        assertThat(ComparisonRows.fromJson(written)).isPresent();
        assertThat(ComparisonRows.fromJson(written.replace("\"version\":1", "\"version\":2"))).isEmpty();
        assertThat(ComparisonRows.fromJson("{\"version\":1}")).as("no rows field").isEmpty();
        assertThat(ComparisonRows.fromJson("[1, 2]")).isEmpty();
        assertThat(ComparisonRows.fromJson(written.substring(0, written.length() / 2))).as("cut short").isEmpty();
        assertThat(ComparisonRows.fromJson("{\"version\":1,\"rows\":[]}")).contains(List.of());
    }
}
