package io.sweepd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.InMemoryLedger;
import io.sweepd.core.JobState;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd status} and {@code sweepd wait} run in-process, as a user runs them, against a ledger the test
 * recorded (shared in memory by JDBC URL, so the commands open it as they open a PostgreSQL ledger).
 */
class StatusAndWaitCommandTest {

    private static final String RUN = "quickstart-20261202-120000";

    @TempDir
    Path home;

    private final String url = InMemoryLedger.url();
    private Ledger ledger;
    private Path config;

    @BeforeEach
    void recordARun() throws Exception {
        ledger = Ledger.open(url, "sa", "");
        config = Files.writeString(home.resolve("sweepd.properties"),
                "sweepd.ledger.jdbc-url=" + url + "\nsweepd.ledger.user=sa\n");
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** Two jobs, one point each, plus a refused point. */
    private void record(String runId, String sweep) throws Exception {
        List<JobRecord> jobs = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (String key : List.of("job-a", "job-b")) {
            Path dir = Files.createDirectories(home.resolve("outputs").resolve(runId).resolve(key));
            jobs.add(JobRecord.planned(runId, key, "local", dir.toString(), 60, 120, 600));
            points.add(PointRecord.of(runId, key + "-c4", key, "{\"conc\":4}", null));
        }
        points.add(PointRecord.of(runId, "job-c-c4", "job-c", "{\"conc\":4}", "needs 10 nodes; the pool has 8"));
        ledger.runs().recordRun(RunRecord.planned(runId, sweep, sweep + ".yaml", home.toString(), null, "{}"),
                jobs, points);
    }

    private void end(String runId, String key, String slurmId, JobState state, String reason) {
        ledger.jobs().beginSubmit(runId, key, "sweepd-" + key);
        ledger.jobs().submitted(runId, key, slurmId);
        ledger.jobs().transition(runId, key, JobState.PENDING, state, reason,
                Map.of(JobDetails.ENDED_AT, Instant.now()));
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran sweepd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--config", config.toString()));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Ran(exit, out.toString(), err.toString());
    }

    @Test
    void statusShowsOneLinePerRunAndThePointsOnRequest() throws Exception {
        record(RUN, "quickstart");
        end(RUN, "job-a", "100", JobState.COMPLETED, null);

        Ran summary = sweepd("status");
        Ran points = sweepd("status", "quickstart", "--points");

        assertThat(summary.exit()).isZero();
        assertThat(summary.out()).startsWith(RUN + "  active    [#####.....] 1/2 jobs ended: 1 PLANNED, 1 COMPLETED;"
                + " 3 configurations → 2 jobs, 3 points; refused: 1 configuration (1 point)  ").hasLineCount(1);
        assertThat(points.exit()).isZero();
        assertThat(points.out()).contains("| job-a-c4 |", "| job-b-c4 |", "| job-c-c4 |", "needs 10 nodes");
    }

    @Test
    void statusAsJsonGivesSummariesAndWithPointsTheRowsToolsRead() throws Exception {
        record(RUN, "quickstart");

        JsonNode summaries = Json.MAPPER.readTree(sweepd("status", "--format", "json").out());
        JsonNode points = Json.MAPPER.readTree(sweepd("status", RUN, "--points", "--format", "json").out());

        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0).get("run").asText()).isEqualTo(RUN);
        assertThat(summaries.get(0).get("jobs-by-state").toString()).isEqualTo("{\"PLANNED\":2}");
        assertThat(points).hasSize(3);
        assertThat(points.get(2).get("state").asText()).isEqualTo("REFUSED");
        assertThat(points.get(0).get("sweep").asText()).isEqualTo(RUN);
    }

    @Test
    void statusListsTheNewestRunsUpToTheLimit() throws Exception {
        record("nightly-20261201-020000", "nightly");
        record("nightly-20261202-020000", "nightly");
        record("weekly-20261202-030000", "weekly");

        Ran limited = sweepd("status", "--limit", "2");
        Ran all = sweepd("status", "--all");

        assertThat(limited.out().lines().toList()).hasSize(3)
                .element(2).isEqualTo("(the newest 2 of 3 runs; --limit N or --all for more)");
        assertThat(all.out().lines().toList()).hasSize(3).noneMatch(line -> line.startsWith("("));
    }

    @Test
    void statusAndWaitOnAnUnknownNameExitNotFoundNamingWhereTheyLooked() {
        Ran status = sweepd("status", "nosuch");
        Ran wait = sweepd("wait", "nosuch");

        assertThat(status.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).contains("no sweep or run named nosuch in the ledger jdbc:h2:mem:ledger-")
                .contains("(home " + home + ")").doesNotContain("LOCK_TIMEOUT");
        assertThat(wait.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(wait.err()).contains("no sweep or run named nosuch, and no sweep file of that name waits in "
                + "the inbox " + home.resolve("inbox")).contains("looked in the ledger jdbc:h2:mem:");
        assertThat(wait.out()).isEmpty();
    }

    @Test
    void waitOnAFinishedRunPrintsWhereThingsAreAndExitsFailedWhenAJobFailed() throws Exception {
        record(RUN, "quickstart");
        end(RUN, "job-a", "100", JobState.COMPLETED, null);
        end(RUN, "job-b", "101", JobState.FAILED, "exit code 1");
        Path archive = Files.writeString(home.resolve("outputs").resolve(RUN).resolve("job-b")
                .resolve(FailureArchiver.ARCHIVE), "not really a tarball");
        ledger.runs().finishRun(RUN, Instant.now());

        Ran wait = sweepd("wait", "quickstart", "--timeout", "PT1M");

        assertThat(wait.exit()).as("a failed job outweighs the refused point").isEqualTo(ExitCodes.FAILED);
        assertThat(wait.out()).contains(RUN + "  [##########] 2/2 jobs ended: 1 COMPLETED, 1 FAILED;"
                + " 3 configurations → 2 jobs, 3 points; refused: 1 configuration (1 point)")
                .contains("run " + RUN + " finished")
                .contains("  failure archive: " + archive)
                .contains("  report:  " + home.resolve("reports").resolve(RUN).resolve("report.html")
                        + " (not written; sweepd report " + RUN + " writes it)");
    }

    @Test
    void waitOnARunWhosePointsWereAllRefusedExitsRefusedAndSaysWhereTheReportIs() throws Exception {
        ledger.runs().recordRun(RunRecord.planned(RUN, "quickstart", "quickstart.yaml", home.toString(), null, "{}"),
                List.of(), List.of(PointRecord.of(RUN, "job-c-c4", "job-c", "{\"conc\":4}", "needs 10 nodes")));
        ledger.runs().finishRun(RUN, Instant.now());
        Path report = Files.createDirectories(home.resolve("reports").resolve(RUN)).resolve("report.html");
        Files.writeString(report, "<html></html>");

        Ran wait = sweepd("wait", "quickstart", "--timeout", "PT1M");

        assertThat(wait.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(wait.out()).contains("run " + RUN + " finished")
                .contains("  refused: 1 of 1 points (sweepd status " + RUN + " --points says why)")
                .contains("  report:  " + report + System.lineSeparator());
    }

    @Test
    void waitThatGivesUpBeforeTheRunFinishesExitsUnfinished() throws Exception {
        record(RUN, "quickstart");

        Ran wait = sweepd("wait", "quickstart", "--timeout", "PT0S");

        assertThat(wait.exit()).isEqualTo(ExitCodes.UNFINISHED);
        assertThat(wait.err()).startsWith("sweepd wait: gave up waiting for " + RUN + " after PT0S").hasLineCount(1);
    }

    @Test
    void watchOnAFinishedRunDrawsItOnceWithoutTerminalCodesAndExitsWithItsOutcome() throws Exception {
        record(RUN, "quickstart");
        end(RUN, "job-a", "100", JobState.COMPLETED, null);
        end(RUN, "job-b", "101", JobState.COMPLETED, null);
        ledger.runs().finishRun(RUN, Instant.now());

        Ran watch = sweepd("status", "quickstart", "--watch");

        assertThat(watch.exit()).as("every job completed, one point was refused").isEqualTo(ExitCodes.REFUSED);
        assertThat(watch.out()).contains(RUN + "  finished  [##########] 2/2 jobs ended: 2 COMPLETED")
                .doesNotContain("\u001b");
    }

    @Test
    void watchExitsFailedWhenAJobFailedAndWritesOneJsonDocumentPerLine() throws Exception {
        record(RUN, "quickstart");
        end(RUN, "job-a", "100", JobState.COMPLETED, null);
        end(RUN, "job-b", "101", JobState.FAILED, "exit code 1");
        ledger.runs().finishRun(RUN, Instant.now());

        Ran watch = sweepd("status", "quickstart", "--watch", "--format", "json");

        assertThat(watch.exit()).isEqualTo(ExitCodes.FAILED);
        List<String> lines = watch.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode drawing = Json.MAPPER.readTree(lines.get(0));
        assertThat(drawing.get("at").asText()).isNotEmpty();
        assertThat(drawing.get("runs").get(0).get("run").asText()).isEqualTo(RUN);
        assertThat(drawing.get("runs").get(0).get("jobs-by-state").toString())
                .isEqualTo("{\"COMPLETED\":1,\"FAILED\":1}");
    }

    @Test
    void statusShowsEachSchedulesNextFiringLastRunAndLastSkip() throws Exception {
        record(RUN, "quickstart");
        ledger.schedules().register(ScheduleRecord.of("quickstart", "0 0 2 * * ?", ScheduleSource.FOLDER,
                "schedules/quickstart.yaml", home.toString(), null, "quickstart: {}"));
        ledger.schedules().skipped("quickstart", Instant.parse("2026-12-02T02:00:00Z"),
                "previous run " + RUN + " still active");

        Ran all = sweepd("status");
        Ran one = sweepd("status", "quickstart");

        for (Ran ran : List.of(all, one)) {
            assertThat(ran.exit()).isZero();
            assertThat(ran.out()).containsPattern("schedule quickstart \\(0 0 2 \\* \\* \\?\\): next \\d{4}-\\d{2}-\\d{2}")
                    .contains("; skipped ").contains("previous run " + RUN + " still active");
        }
    }
}
