package io.sweepd.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.core.JobState;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedJob;
import io.sweepd.render.RenderFixtures;
import io.sweepd.sim.EngineSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The contract with the rest of the pipeline: a real plan (PlanJson point JSON, as the ledger keeps it), a job
 * directory the real renderer wrote, and result files the DEV/TEST engine simulator wrote into it, collected.
 */
class SimulatorCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private JobResults simulateAndCollect(String sweep, String profile) throws IOException {
        Plan plan = RenderFixtures.planResource(sweep, profile, home);
        PlannedJob job = plan.jobs().get(0);
        Path dir = home.resolve("outputs").resolve(job.jobKey());
        RenderFixtures.renderFirst(plan, dir);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = new EngineSimulator(Map.of("SWEEPD_SIM_TIME_SCALE", "0"), seconds -> { },
                new PrintStream(stdout, true, StandardCharsets.UTF_8)).srtctlSweep(dir);
        assertThat(exit).as(stdout.toString(StandardCharsets.UTF_8)).isZero();

        List<PointRecord> points = plan.pointsOf(job).stream()
                .map(p -> PointRecord.of("r1", p.id(), p.jobKey(), TestPoints.json(PlanJson.point(p)),
                        p.enriched().refused()))
                .toList();
        return new JobResultsCollector().collect(
                JobResultsCollectorTest.completedJob("r1", job.jobKey(), dir), points);
    }

    private static JsonNode file(ConcurrencyResult row, Path dir) throws IOException {
        // srtctl's files are named relative to the job directory, the rest relative to results/.
        String file = row.resultFile();
        return JSON.readTree(dir.resolve(file.startsWith("logs/") ? file : "results/" + file).toFile());
    }

    @Test
    void everyConcurrencyOfASimulatedSingleNodeJobIsCollected() throws IOException {
        JobResults results = simulateAndCollect("gptoss-single-node.yaml", "local");
        Path dir = home.resolve("outputs").resolve(results.jobKey());

        assertThat(results.notes()).isEmpty();
        assertThat(results.results()).isNotEmpty().allSatisfy(row -> {
            assertThat(row.state()).as(row.reason()).isEqualTo(ResultState.COMPLETED);
            assertThat(row.metrics()).containsEntry("conc", row.conc()).containsEntry("gpus_counted_from", "topology")
                    .containsEntry("is_multinode", false);
        });
        for (ConcurrencyResult row : results.results()) {
            JsonNode raw = file(row, dir);
            int gpus = (Integer) row.metrics().get("num_gpu");
            assertThat((Double) row.metrics().get("tput_per_gpu"))
                    .isCloseTo(raw.get("total_token_throughput").asDouble() / gpus, within(1e-9));
            assertThat((Double) row.metrics().get("median_intvty"))
                    .isCloseTo(1000 / raw.get("median_tpot_ms").asDouble(), within(1e-9));
        }
    }

    @Test
    void aSimulatedDisaggregatedJobIsCollectedWithItsEvalOnTheEvalConcurrency() throws IOException {
        JobResults results = simulateAndCollect("dsr1-disagg.yaml", "local-h200");
        Path dir = home.resolve("outputs").resolve(results.jobKey());

        assertThat(results.notes()).isEmpty();
        assertThat(results.results()).extracting(ConcurrencyResult::conc).containsExactly(8, 16, 32, 64);
        assertThat(results.results()).extracting(ConcurrencyResult::state).containsOnly(ResultState.COMPLETED);
        ConcurrencyResult c64 = results.results().get(3);
        JsonNode raw = file(c64, dir);
        // 1 prefill + 1 decode worker of tp1 ep8 dpa: 8 GPUs each, counted from the topology, not from tp 1.
        assertThat(c64.metrics()).containsEntry("num_prefill_gpu", 8).containsEntry("num_decode_gpu", 8)
                .containsEntry("num_gpu", 16).containsEntry("prefill_tp", 1);
        assertThat((Double) c64.metrics().get("output_tput_per_gpu"))
                .isCloseTo(raw.get("output_throughput").asDouble() / 8, within(1e-9));
        assertThat((Double) c64.metrics().get("input_tput_per_gpu")).isCloseTo(
                (raw.get("total_token_throughput").asDouble() - raw.get("output_throughput").asDouble()) / 8,
                within(1e-9));
        List<ConcurrencyResult> withEval = results.results().stream().filter(r -> r.eval() != null).toList();
        assertThat(withEval).singleElement().satisfies(row -> {
            assertThat(row.conc()).isEqualTo(32);
            assertThat((Map<String, Object>) row.eval().get("gsm8k")).containsEntry("passed", true);
        });
    }
}
