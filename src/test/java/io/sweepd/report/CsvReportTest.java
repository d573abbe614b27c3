package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CsvReportTest {

    private static final List<String> IDENTITY = List.of("run_id", "point_id", "job_key", "config_key", "model",
            "model_prefix", "precision", "framework", "hardware", "profile", "runner", "isl", "osl", "conc", "disagg",
            "spec_decoding", "shape", "series", "state", "reason", "diagnosis", "prefill_gpus", "decode_gpus",
            "total_gpus", "workarounds");

    private static String render(List<PointResult> points) {
        return CsvReport.render(ReportModel.of(ReportInput.of("s", "run-2", Points.WHEN, true, points)));
    }

    @Test
    void identityColumnsComeFirstThenTheUnionOfMetricKeysSorted() {
        PointResult a = Points.withMetrics(Points.at("a", 4, 0, 0), Map.of("tput_per_gpu", 1.0, "median_ttft", 2.0));
        PointResult b = Points.withMetrics(Points.at("b", 4, 0, 0), Map.of("p99_e2el", 3.0, "tput_per_gpu", 4.0));
        PointResult none = Points.withState(Points.withMetrics(Points.at("c", 4, 0, 0), null), "REFUSED");

        List<String> lines = render(List.of(b, none, a)).lines().toList();

        List<String> expected = new ArrayList<>(IDENTITY);
        expected.addAll(List.of("median_ttft", "p99_e2el", "tput_per_gpu"));
        assertThat(lines.get(0).split(",")).containsExactlyElementsOf(expected);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("run-2,a/").endsWith(",2,,1");
        assertThat(lines.get(2)).startsWith("run-2,b/").endsWith(",,3,4");
        assertThat(lines.get(3)).startsWith("run-2,c/").contains(",REFUSED,").endsWith(",,,");
    }

    @Test
    void numbersKeepFullPrecisionWithoutExponents() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tput_per_gpu", 1234.56789012);
        m.put("median_ttft", 0.0001);
        m.put("median_intvty", Double.NaN);
        m.put("conc_count", 12);
        String csv = render(List.of(Points.withMetrics(Points.at("a", 4, 0, 0), m)));

        String row = csv.lines().toList().get(1);
        assertThat(row).endsWith(",12,,0.0001,1234.56789012");
    }

    @Test
    void oneRowPerPointWithGpusStateAndWorkarounds() {
        List<PointResult> points = Points.realisticSweep("run-2", 1.0);

        List<String> lines = render(points).lines().toList();

        assertThat(lines).hasSize(points.size() + 1);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(",1P(tp8) + 1D(tp8),", ",FAILED,", ",8,8,16,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(",1P(tp8) + 1D(tp8),", ",COMPLETED,",
                ",shared-storage-long-load-deadline;nvshmem-ipc-nccl-symm-mem,"));
    }

    @Test
    void textWithCommasQuotesOrNewlinesIsQuoted() {
        PointResult p = Points.withState(Points.withMetrics(Points.at("a", 4, 0, 0), null),
                "OOM, then \"retry\"\nfailed", null);

        String csv = render(List.of(p));

        assertThat(csv).contains(",\"OOM, then \"\"retry\"\"\nfailed\",");
        assertThat(csv).contains("\r\n");
    }

    @Test
    void aMetricNamedLikeAnIdentityColumnGetsItsOwnColumn() {
        // InferenceMAX's agg files repeat identity (conc, model...) beside the metrics.
        PointResult p = Points.withMetrics(Points.at("a", 4, 0, 0), Map.of("conc", 4, "model", "dsr1", "tput_per_gpu", 9.0));

        String header = render(List.of(p)).lines().findFirst().orElseThrow();

        assertThat(Arrays.asList(header.split(","))).doesNotHaveDuplicates()
                .endsWith("metrics.conc", "metrics.model", "tput_per_gpu");
    }
}
