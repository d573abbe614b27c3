package io.sweepd.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.InMemoryLedger;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.RunRecorder;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.plan.Plan;
import io.sweepd.plan.Planner;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run whose points were all refused before submission has no job to submit, poll or settle: it still ends with its
 * final report (saying why each point was refused) and finished, so {@code sweepd wait} and the status page end too.
 */
class AllRefusedRunReportTest {

    /** Tensor parallelism of 64 on the local profile's pool: preflight refuses every point. */
    private static final String SWEEP = """
            gptoss-fp4-h100-vllm:
              image: vllm/vllm-openai:v0.18.0
              model: openai/gpt-oss-120b
              model-prefix: gptoss
              runner: h100
              precision: fp4
              framework: vllm
              multinode: false
              seq-len-configs:
              - isl: 1024
                osl: 1024
                search-space:
                - {tp: 64, conc-list: [4, 8]}
            """;

    @TempDir
    Path home;

    @Test
    void aRunWithEveryPointRefusedIsFinishedWithItsReport() throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", "local"));
        try (Ledger ledger = InMemoryLedger.open()) {
            Path file = Files.writeString(home.resolve("nightly.yaml"), SWEEP);
            Plan plan = PlannerFactory.create(settings).plan(file);
            assertThat(plan.jobs()).as("nothing to submit").isEmpty();
            assertThat(plan.refusedPoints()).hasSize(2);
            String runId = new RunRecorder(ledger, PlannerFactory.profiles(settings), settings.outputs())
                    .record(plan, new SweepOrigin(file.toString(), home.toString(), null), Instant.now());
            RunReports reports = new RunReports(ledger, home.resolve("reports"), profile -> "h100", 0.05,
                    Clock.systemUTC());

            assertThat(reports.finishSettledRuns()).containsExactly(runId);

            assertThat(ledger.runs().run(runId).orElseThrow().finished()).isTrue();
            JsonNode report = new ObjectMapper().readTree(home.resolve("reports").resolve(runId)
                    .resolve("report.json").toFile());
            assertThat(report.toString()).contains("refused");
            assertThat(home.resolve("reports").resolve(runId).resolve("report.html")).exists();
            assertThat(reports.finishSettledRuns()).as("finished once").isEmpty();
        }
    }
}
