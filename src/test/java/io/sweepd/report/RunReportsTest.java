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
import io.sweepd.results.ComparisonRows;
import io.sweepd.results.PointResult;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which run a report compares against, and when a run is finished. */
class RunReportsTest {

    private static final String SWEEP = """
            %s
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
                - {tp: 2, conc-list: [4]}
            """;

    @TempDir
    Path home;

    private Ledger ledger;

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private String record(String settingsBlock, Instant writtenAt) throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", "local"));
        if (ledger == null) {
            ledger = InMemoryLedger.open();
        }
        Path file = home.resolve("nightly.yaml");
        Files.writeString(file, SWEEP.formatted(settingsBlock));
        Planner planner = PlannerFactory.create(settings);
        Plan plan = planner.plan(file);
        return new RunRecorder(ledger, PlannerFactory.profiles(settings), settings.outputs())
                .record(plan, new SweepOrigin(file.toString(), home.toString(), null), writtenAt);
    }

    private RunReports reports() {
        return new RunReports(ledger, home.resolve("reports"), profile -> "h100", 0.05, Clock.systemUTC());
    }

    private JsonNode reportJson(String runId) throws Exception {
        return new ObjectMapper().readTree(home.resolve("reports").resolve(runId).resolve("report.json").toFile());
    }

    @Test
    void theSweepFilesNamedBaselineIsUsedAndAMissingOneIsAnError() throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("sweep:\n  baseline: " + first, Instant.parse("2026-11-02T00:00:00Z"));
        RunRecord run = ledger.runs().run(second).orElseThrow();

        reports().update(ledger.jobs().jobs(second).get(0));

        assertThat(reportJson(second).path("baseline").path("run_id").asText()).isEqualTo(first);
        assertThatThrownBy(() -> reports().write(run, false, Optional.of("no-such-run")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-run");
    }

    @Test
    void withoutANamedBaselineOnlyAFinishedEarlierRunOfTheSameSweepIsCompared() throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("", Instant.parse("2026-11-02T00:00:00Z"));

        reports().update(ledger.jobs().jobs(second).get(0));
        assertThat(reportJson(second).path("baseline").isNull()).as("the first run is not finished").isTrue();

        ledger.runs().finishRun(first, Instant.parse("2026-11-01T01:00:00Z"));
        reports().update(ledger.jobs().jobs(second).get(0));
        assertThat(reportJson(second).path("baseline").path("run_id").asText()).isEqualTo(first);
    }

    @Test
    void theReportShowsTheHistoryOfTheFinishedEarlierRunsOfTheSameSweepAndItsJobs() throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("", Instant.parse("2026-11-02T00:00:00Z"));
        String unfinished = record("", Instant.parse("2026-11-03T00:00:00Z"));
        String third = record("", Instant.parse("2026-11-04T00:00:00Z"));
        ledger.runs().finishRun(first, Instant.parse("2026-11-01T01:00:00Z"));
        ledger.runs().finishRun(second, Instant.parse("2026-11-02T01:00:00Z"));

        reports().update(ledger.jobs().jobs(third).get(0));

        String html = Files.readString(home.resolve("reports").resolve(third).resolve("report.html"));
        String history = html.substring(html.indexOf("<section id=\"history\">"));
        history = history.substring(0, history.indexOf("</section>"));
        assertThat(history).contains("<code>" + first + "</code>", "<code>" + second + "</code>",
                "<code>" + third + "</code> <span class=\"dim\">(this run)");
        assertThat(history).as("only finished runs are history").doesNotContain(unfinished);
        assertThat(history.indexOf(first)).isLessThan(history.indexOf(second));
        assertThat(history.indexOf(second)).isLessThan(history.indexOf(third));
        // The run's one job, never submitted yet, is in the jobs table.
        String jobKey = ledger.jobs().jobs(third).get(0).jobKey();
        assertThat(html).contains("<tr id=\"job-" + jobKey + "\">");
    }
    @Test
    void aFinalReportKeepsTheRunsHeadlineAndLaterReportsShowItWithoutReadingItsRowsAgain() throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("", Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(ledger.runs().headline(first)).as("not final yet").isEmpty();

        reports().write(ledger.runs().run(first).orElseThrow(), true, Optional.empty());
        JsonNode kept = new ObjectMapper().readTree(ledger.runs().headline(first).orElseThrow());
        assertThat(kept.path("completed").asInt()).isZero();
        assertThat(kept.path("unsuccessful").asInt()).isZero();
        ledger.runs().finishRun(first, Instant.parse("2026-11-01T01:00:00Z"));

        // What the history shows of the earlier run is the kept headline, not its rows worked out again.
        ledger.runs().recordHeadline(first, "{\"version\":1,\"completed\":4242,\"unsuccessful\":7,\"gpu_hours\":3.5,"
                + "\"peak_tput_per_gpu\":{\"gpt-oss-120b · 1k/1k\":1234.5}}");
        reports().update(ledger.jobs().jobs(second).get(0));

        JsonNode earlier = reportJson(second).path("history").get(0);
        assertThat(earlier.path("run_id").asText()).isEqualTo(first);
        assertThat(earlier.path("completed").asInt()).isEqualTo(4242);
        assertThat(earlier.path("unsuccessful").asInt()).isEqualTo(7);
        assertThat(earlier.path("gpu_hours").asDouble()).isEqualTo(3.5);
        assertThat(earlier.path("peak_tput_per_gpu").path("gpt-oss-120b · 1k/1k").asDouble()).isEqualTo(1234.5);
    }

    @Test
    void aFinalReportKeepsTheRunsComparisonRowsAndALaterReportComparesWithThemWhileTheyMatchTheLedger()
            throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("", Instant.parse("2026-11-02T00:00:00Z"));
        reports().write(ledger.runs().run(first).orElseThrow(), true, Optional.empty());
        ledger.runs().finishRun(first, Instant.parse("2026-11-01T01:00:00Z"));
        String seen = ledger.runs().jobsSeen(first);
        List<PointResult> kept = ComparisonRows.fromJson(ledger.runs().comparisonRows(first, seen).orElseThrow())
                .orElseThrow();
        assertThat(kept).as("the run's one planned point").hasSize(1);
        assertThat(kept.get(0).runId()).isEqualTo(first);

        // What the comparison reads of the baseline is the kept rows, not its points and results again.
        PointResult point = kept.get(0);
        PointResult elsewhere = new PointResult(first, "kept-only", point.jobKey(), "kept-only-config", point.model(),
                point.modelPrefix(), point.precision(), point.framework(), point.hardware(), point.profile(),
                point.runner(), point.isl(), point.osl(), point.conc(), false, point.specDecoding(), point.shape(),
                "COMPLETED", null, null, 0, 0, 2, Map.of("tput_per_gpu", 1.0), null, List.of());
        ledger.runs().recordComparisonRows(first, seen, ComparisonRows.toJson(List.of(point, elsewhere),
                Set.of("tput_per_gpu")));
        reports().update(ledger.jobs().jobs(second).get(0));
        assertThat(reportJson(second).path("baseline").path("disappeared").findValuesAsText("baseline_point_id"))
                .containsExactly("kept-only");

        // Once the baseline's jobs change, the kept rows no longer say what it is: worked out again, and kept anew.
        String jobKey = ledger.jobs().jobs(first).get(0).jobKey();
        ledger.jobs().transition(first, jobKey, io.sweepd.core.JobState.PLANNED, io.sweepd.core.JobState.CANCELLED,
                "cancelled after the run finished", null);
        reports().write(ledger.runs().run(second).orElseThrow(), false, Optional.empty());
        assertThat(reportJson(second).path("baseline").path("disappeared").findValuesAsText("baseline_point_id"))
                .isEmpty();
        String now = ledger.runs().jobsSeen(first);
        assertThat(ComparisonRows.fromJson(ledger.runs().comparisonRows(first, now).orElseThrow()).orElseThrow())
                .extracting(PointResult::state).containsExactly("CANCELLED");
    }

    @Test
    void aRunFinishedWithoutAHeadlineIsWorkedOutFromItsRowsOnceAndKept() throws Exception {
        String first = record("", Instant.parse("2026-11-01T00:00:00Z"));
        String second = record("", Instant.parse("2026-11-02T00:00:00Z"));
        ledger.runs().finishRun(first, Instant.parse("2026-11-01T01:00:00Z"));
        // A headline of another version (or none, as for a run finished before headlines were kept) is not used.
        ledger.runs().recordHeadline(first, "{\"version\":0,\"completed\":4242}");

        reports().update(ledger.jobs().jobs(second).get(0));

        JsonNode earlier = reportJson(second).path("history").get(0);
        assertThat(earlier.path("run_id").asText()).isEqualTo(first);
        assertThat(earlier.path("completed").asInt()).as("worked out from the run's one planned point").isZero();
        JsonNode kept = new ObjectMapper().readTree(ledger.runs().headline(first).orElseThrow());
        assertThat(kept.path("version").asInt()).isEqualTo(1);
        assertThat(kept.path("completed").asInt()).isZero();
    }
}
