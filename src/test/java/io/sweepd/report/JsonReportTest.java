package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

class JsonReportTest {

    private static JsonNode render(ReportInput input) throws Exception {
        return new ObjectMapper().readTree(JsonReport.render(ReportModel.of(input)));
    }

    @Test
    void pointsCarryTheAggFieldsAsIsBesideSweepdsOwnFields() throws Exception {
        List<PointResult> points = Points.realisticSweep("run-2", 1.0);
        JsonNode json = render(ReportInput.of("dsr1", "run-2", Points.WHEN, true, points));

        assertThat(json.get("sweep").asText()).isEqualTo("dsr1");
        assertThat(json.get("run_id").asText()).isEqualTo("run-2");
        assertThat(json.get("generated_at").asText()).isEqualTo("2025-06-01T12:34:56Z");
        assertThat(json.get("final").asBoolean()).isTrue();
        assertThat(json.get("gpu_counting").asText()).isEqualTo("topology");
        assertThat(json.at("/summary/completed").asInt()).isEqualTo(10);
        assertThat(json.at("/summary/failed").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/refused").asInt()).isEqualTo(1);
        assertThat(json.get("points")).hasSize(12);

        PointResult source = points.get(0);
        JsonNode p = StreamSupport.stream(json.get("points").spliterator(), false)
                .filter(n -> n.get("point_id").asText().equals(source.pointId())).findFirst().orElseThrow();
        assertThat(p.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(p.get("config_key").asText()).isEqualTo("dsr1-fp8-h200-sglang");
        assertThat(p.get("conc").asInt()).isEqualTo(4);
        assertThat(p.at("/gpus/total").asInt()).isEqualTo(8);
        assertThat(p.get("workarounds").get(0).asText()).isEqualTo("sglang-disable-cuda-graph-padding");
        for (Map.Entry<String, Object> e : source.metrics().entrySet()) {
            assertThat(p.get("metrics").get(e.getKey()).asDouble()).as(e.getKey()).isEqualTo((Double) e.getValue());
        }
        assertThat(p.get("metrics").size()).isEqualTo(source.metrics().size());

        JsonNode failed = StreamSupport.stream(json.get("points").spliterator(), false)
                .filter(n -> n.get("state").asText().equals("FAILED")).findFirst().orElseThrow();
        assertThat(failed.get("reason").asText()).startsWith("Slurm: FAILED");
        assertThat(failed.get("diagnosis").asText()).startsWith("torch.OutOfMemoryError");
        assertThat(failed.get("metrics").isNull()).isTrue();
        assertThat(failed.at("/gpus/prefill").asInt()).isEqualTo(8);
        assertThat(failed.at("/gpus/decode").asInt()).isEqualTo(8);
    }

    @Test
    void eachPointIsOneLineOfItsOwnAndTheRestIsIndented() throws Exception {
        List<PointResult> points = Points.realisticSweep("run-2", 1.0);
        String text = JsonReport.render(ReportModel.of(ReportInput.of("dsr1", "run-2", Points.WHEN, true, points)));

        List<String> pointLines = text.lines().filter(line -> line.startsWith("    {\"point_id\":")).toList();
        assertThat(pointLines).as("one line a point").hasSize(points.size());
        for (String line : pointLines) {
            JsonNode point = new ObjectMapper().readTree(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
            assertThat(point.has("metrics")).as(line).isTrue();
        }
        assertThat(text).contains("\n  \"summary\" : {\n    \"completed\" : 10,");
        assertThat(new ObjectMapper().readTree(text).get("points")).hasSize(points.size());
    }

    @Test
    void carriesTheParetoFrontierPerModelAndSequenceLength() throws Exception {
        JsonNode json = render(ReportInput.of("dsr1", "run-2", Points.WHEN, true, Points.realisticSweep("run-2", 1.0)));

        assertThat(json.get("pareto")).hasSize(1);
        JsonNode group = json.get("pareto").get(0);
        assertThat(group.get("isl").asInt()).isEqualTo(1024);
        assertThat(group.get("frontier").size()).isGreaterThan(1);
        double previous = -1;
        for (JsonNode f : group.get("frontier")) {
            assertThat(f.get("median_intvty").asDouble()).isGreaterThanOrEqualTo(previous);
            previous = f.get("median_intvty").asDouble();
            assertThat(f.get("series").asText()).isNotBlank();
        }
    }

    @Test
    void carriesTheBaselineComparisonOrNull() throws Exception {
        List<PointResult> baseline = Points.realisticSweep("run-2", 1.0);
        List<PointResult> current = new ArrayList<>(Points.realisticSweep("run-3", 1.0));
        current.set(0, Points.withMetrics(current.get(0), Points.metrics(1024, 1024, 4, 8, 0, 0, 9.5 * 1.3, 180)));
        current.remove(current.size() - 3); // a completed h100 point (conc 64) is gone

        JsonNode json = render(new ReportInput("s", "run-3", Points.WHEN, true, current, baseline, "run-2", 0.05));

        JsonNode b = json.get("baseline");
        assertThat(b.get("run_id").asText()).isEqualTo("run-2");
        assertThat(b.get("tolerance").asDouble()).isEqualTo(0.05);
        assertThat(b.at("/counts/matched").asInt()).isEqualTo(9);
        assertThat(b.at("/counts/regressions").asInt()).isEqualTo(1);
        assertThat(b.at("/counts/disappeared").asInt()).isEqualTo(1);
        JsonNode regressed = StreamSupport.stream(b.get("matched").spliterator(), false)
                .filter(n -> n.get("regression").asBoolean()).findFirst().orElseThrow();
        assertThat(regressed.at("/key/config_key").asText()).isEqualTo("dsr1-fp8-h200-sglang");
        assertThat(regressed.at("/key/conc").asInt()).isEqualTo(4);
        assertThat(regressed.at("/deltas/tput_per_gpu/relative").asDouble()).isNegative();
        assertThat(regressed.at("/deltas/median_intvty/absolute").asDouble()).isNegative();
        assertThat(regressed.get("regressed").toString()).contains("median_intvty");

        JsonNode none = render(ReportInput.of("s", "run-3", Points.WHEN, true, current));
        assertThat(none.get("baseline").isNull()).isTrue();
    }

    @Test
    void nonFiniteMetricsBecomeNullSoTheFileStaysJson() throws Exception {
        PointResult p = Points.withMetrics(Points.at("a", 4, 0, 0),
                Map.of("tput_per_gpu", 1.0, "median_intvty", Double.POSITIVE_INFINITY));

        JsonNode json = render(ReportInput.of("s", "r", Points.WHEN, true, List.of(p)));

        assertThat(json.at("/points/0/metrics/median_intvty").isNull()).isTrue();
        assertThat(json.at("/points/0/metrics/tput_per_gpu").asDouble()).isEqualTo(1.0);
    }
    private static ReportInput withJobsAndHistory() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.1);
        RunHistory history = RunHistory.of(List.of(
                RunHistory.entry("run-2", Points.WHEN.minusSeconds(86400), false, Points.realisticSweep("run-2", 1.0), 15.0),
                RunHistory.entry("run-3", Points.WHEN, true, points, 16.0)));
        return new ReportInput("s", "run-3", Points.WHEN, true, points, null, null, 0.05, Map.of(),
                Points.withRetriedFirstJob(Points.jobsOf(points)), history);
    }

    @Test
    void jobsCarryTheirSlurmIdNodesTimesGpuHoursAndEarlierAttemptsAndTheRunsHistoryIsThere() throws Exception {
        ReportInput input = withJobsAndHistory();
        JobTiming retried = input.jobTimings().get(0);

        JsonNode json = render(input);

        JsonNode jobs = json.get("jobs");
        assertThat(jobs).hasSize(input.jobTimings().size());
        JsonNode first = jobs.get(0);
        assertThat(first.get("job_key").asText()).isEqualTo(retried.jobKey());
        assertThat(first.get("slurm_job_id").asText()).isEqualTo(retried.slurmJobId());
        assertThat(first.get("nodes").asText()).isEqualTo(retried.nodes());
        assertThat(first.get("queue_wait_s").asDouble()).isEqualTo(120.0);
        assertThat(first.get("run_time_s").asDouble()).isEqualTo(2400.0);
        assertThat(first.get("model_load_s").asDouble()).isEqualTo(310.0);
        assertThat(first.get("gpu_hours").asDouble()).isEqualTo(retried.gpus() * 40 / 60.0);
        JsonNode earlier = first.get("earlier_attempts").get(0);
        assertThat(earlier.get("slurm_job_id").asText()).isEqualTo(Points.FIRST_ATTEMPT_SLURM_ID);
        assertThat(earlier.get("state").asText()).isEqualTo("OUT_OF_MEMORY");
        assertThat(earlier.get("run_time_s").asDouble()).isEqualTo(600.0);
        assertThat(earlier.get("gpu_hours").asDouble()).isEqualTo(retried.gpus() * 10 / 60.0);
        assertThat(earlier.get("added_workaround").asText()).isEqualTo(Points.RULE_ADDED);
        double total = input.jobTimings().stream().mapToDouble(j -> j.gpus() * 40 / 60.0).sum()
                + retried.gpus() * 10 / 60.0;
        assertThat(json.at("/summary/gpu_hours").asDouble()).as("every attempt's GPU-hours").isCloseTo(total,
                org.assertj.core.data.Offset.offset(1e-9));

        JsonNode history = json.get("history");
        assertThat(history).extracting(h -> h.get("run_id").asText()).containsExactly("run-2", "run-3");
        assertThat(history.get(1).get("current").asBoolean()).isTrue();
        assertThat(history.get(0).get("gpu_hours").asDouble()).isEqualTo(15.0);
        assertThat(history.get(0).get("peak_tput_per_gpu").size()).isPositive();
    }

    @Test
    void aReportWithoutTimingsHasNoJobsNoHistoryAndNoGpuHours() throws Exception {
        JsonNode json = render(ReportInput.of("s", "run-3", Points.WHEN, true, Points.realisticSweep("run-3", 1.0)));

        assertThat(json.get("jobs")).isEmpty();
        assertThat(json.get("history")).isEmpty();
        assertThat(json.at("/summary/gpu_hours").isNull()).isTrue();
    }
}
