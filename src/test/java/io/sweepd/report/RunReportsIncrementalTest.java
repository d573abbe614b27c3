package io.sweepd.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.bench.SyntheticRun;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobReuse;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a run goes on, a job's end rewrites the report from the rows kept for the run, re-reading only that job from
 * the ledger (counted with H2's own query statistics); the final report is built from the ledger whole.
 */
class RunReportsIncrementalTest {

    private static final int POINTS = 40;

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private String url;
    private Ledger ledger;
    private Connection statistics;
    private SyntheticRun synthetic;
    private SyntheticRun.Plan plan;
    private String runId;
    private String baselineRunId;

    @BeforeEach
    void recordABaselineAndARunWithNoJobEndedYet() throws Exception {
        url = InMemoryLedger.url();
        ledger = Ledger.open(url, "sa", "", clock);
        statistics = DriverManager.getConnection(url, "sa", "");
        synthetic = new SyntheticRun(ledger, clock, home.resolve("outputs"));
        baselineRunId = synthetic.record(SyntheticRun.SWEEP, POINTS, 1, true);
        clock.advance(Duration.ofHours(1));
        runId = RunRecord.runId(SyntheticRun.SWEEP, clock.instant());
        plan = synthetic.plan(runId, POINTS);
        ledger.runs().recordRun(RunRecord.planned(runId, SyntheticRun.SWEEP, null, null, null, "{\"sweep\":\"x\"}"),
                plan.jobs, plan.points, JobReuse.FRESH);
    }

    @AfterEach
    void close() throws Exception {
        statistics.close();
        ledger.close();
    }

    private RunReports reports(Path dir) {
        return new RunReports(ledger, dir, profile -> null, 0.05, clock);
    }

    private JobRecord end(int jobIndex) {
        JobRecord job = plan.jobs.get(jobIndex);
        synthetic.play(job, plan.pointsOf(job.jobKey()), new Random(jobIndex), 9000 + jobIndex);
        return ledger.jobs().job(runId, job.jobKey()).orElseThrow();
    }

    @Test
    void aJobsEndShowsItsNewRowsLeavesTheOthersAndReadsOnlyThatJobFromTheLedger() throws Exception {
        RunReports reports = reports(home.resolve("reports"));
        reports.update(end(0));
        Map<String, JsonNode> before = pointsById(reportJson(home.resolve("reports")));
        JobRecord second = end(1);
        assertThat(before.values()).filteredOn(p -> p.path("job_key").asText().equals(second.jobKey()))
                .allSatisfy(p -> assertThat(p.path("state").asText()).isEqualTo("PLANNED"));

        Map<String, long[]> start = queryStatistics();
        reports.update(second);
        Map<String, long[]> during = since(start, queryStatistics());

        Map<String, JsonNode> after = pointsById(reportJson(home.resolve("reports")));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((id, row) -> {
            if (row.path("job_key").asText().equals(second.jobKey())) {
                assertThat(row.path("state").asText()).as(id).isIn("COMPLETED", "INVALID", "FAILED", "TIMEOUT");
            } else {
                assertThat(row).as("a row of another job is as it was: " + id).isEqualTo(before.get(id));
            }
        });
        assertThat(after.values()).filteredOn(p -> p.path("job_key").asText().equals(second.jobKey()))
                .anySatisfy(p -> assertThat(p.path("metrics").path("tput_per_gpu").isNumber()).isTrue());

        int jobPoints = plan.pointsOf(second.jobKey()).size();
        int jobResults = ledger.results().results(runId, second.jobKey()).size();
        assertThat(rowsRead(during, "FROM points")).as("points read: the job's only").isEqualTo(jobPoints);
        assertThat(rowsRead(during, "FROM results")).as("results read: the job's only").isEqualTo(jobResults);
        assertThat(rowsRead(during, "FROM jobs")).as("jobs read: that one").isEqualTo(1);
        assertThat(during.keySet()).noneMatch(sql -> sql.contains("plan_json") || sql.contains("run_plans"))
                .as("no run's plan is read again");
    }

    @Test
    void theRowsKeptWhileTheRunGoesOnAreWhatTheLedgerSaysAndAreDroppedWhenItFinishes() throws Exception {
        RunReports reports = reports(home.resolve("reports"));
        for (int i = 0; i < plan.jobs.size(); i++) {
            reports.update(end(i));
            assertThat(reports.following(runId)).isTrue();
        }
        Path scratch = home.resolve("scratch");
        RunRecord run = ledger.runs().run(runId).orElseThrow();
        reports(scratch).write(run, false, Optional.empty());
        assertThat(reportJson(home.resolve("reports"))).as("the interim report kept up job by job")
                .isEqualTo(reportJson(scratch));
        assertThat(reportJson(scratch).path("baseline").path("run_id").asText()).isEqualTo(baselineRunId);

        assertThat(reports.finishSettledRuns()).containsExactly(runId);
        assertThat(reports.following(runId)).as("a finished run's rows are dropped").isFalse();
        reports(scratch).write(ledger.runs().run(runId).orElseThrow(), true, Optional.empty());
        for (String file : List.of(ReportWriter.MARKDOWN, ReportWriter.CSV, ReportWriter.JSON, ReportWriter.HTML)) {
            assertThat(Files.readString(home.resolve("reports").resolve(runId).resolve(file)))
                    .as("final " + file + " is a build from the ledger")
                    .isEqualTo(Files.readString(scratch.resolve(runId).resolve(file)));
        }
    }

    @Test
    void withAnIntervalAJobsEndWithinItIsWrittenByTheNextCycleAfterIt() throws Exception {
        Path dir = home.resolve("reports");
        RunReports reports = new RunReports(ledger, dir, profile -> null, 0.05, clock, Duration.ofMinutes(1),
                io.sweepd.files.FileModes.OWNER_ONLY);
        reports.update(end(0));
        String first = reportJson(dir).path("generated_at").asText();
        JobRecord second = end(1);

        reports.update(second);
        assertThat(reportJson(dir).path("generated_at").asText()).as("within the interval: not rewritten")
                .isEqualTo(first);
        assertThat(pointsById(reportJson(dir)).values())
                .filteredOn(p -> p.path("job_key").asText().equals(second.jobKey()))
                .allSatisfy(p -> assertThat(p.path("state").asText()).isEqualTo("PLANNED"));

        reports.finishSettledRuns();
        assertThat(reportJson(dir).path("generated_at").asText()).as("a cycle within the interval writes nothing")
                .isEqualTo(first);
        clock.advance(Duration.ofMinutes(1));
        reports.finishSettledRuns();
        assertThat(pointsById(reportJson(dir)).values()).as("the next cycle after it writes the job's end")
                .filteredOn(p -> p.path("job_key").asText().equals(second.jobKey()))
                .allSatisfy(p -> assertThat(p.path("state").asText()).isNotEqualTo("PLANNED"));
    }

    private JsonNode reportJson(Path reportsDir) throws Exception {
        return new ObjectMapper().readTree(reportsDir.resolve(runId).resolve(ReportWriter.JSON).toFile());
    }

    private static Map<String, JsonNode> pointsById(JsonNode report) {
        Map<String, JsonNode> byId = new HashMap<>();
        report.path("points").forEach(p -> byId.put(p.path("point_id").asText() + " c" + p.path("conc").asInt(), p));
        return byId;
    }

    /** H2's statistics of every statement run so far: SQL -> {executions, rows returned}. */
    private Map<String, long[]> queryStatistics() throws Exception {
        try (Statement s = statistics.createStatement()) {
            s.execute("SET QUERY_STATISTICS TRUE");
            Map<String, long[]> stats = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT, CUMULATIVE_ROW_COUNT "
                    + "FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rs.next()) {
                    stats.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            return stats;
        }
    }

    private static Map<String, long[]> since(Map<String, long[]> before, Map<String, long[]> after) {
        Map<String, long[]> ran = new HashMap<>();
        after.forEach((sql, now) -> {
            long[] was = before.getOrDefault(sql, new long[2]);
            if (now[0] > was[0] && !sql.contains("QUERY_STATISTICS")) {
                ran.put(sql, new long[] {now[0] - was[0], now[1] - was[1]});
            }
        });
        return ran;
    }

    private static long rowsRead(Map<String, long[]> ran, String table) {
        return ran.entrySet().stream().filter(e -> e.getKey().contains(table) && e.getKey().startsWith("SELECT"))
                .mapToLong(e -> e.getValue()[1]).sum();
    }
}
