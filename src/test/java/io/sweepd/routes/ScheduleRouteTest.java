package io.sweepd.routes;

import io.sweepd.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.app.ScheduleRoutes;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cron schedules on the real routes and wiring: a fast cron fires into fresh runs through the planning routes,
 * skips while the previous run is still going, and follows the schedules folder as its files change.
 */
class ScheduleRouteTest extends RouteTestSupport {

    private static final long GENEROUS_SECONDS = 90;
    static final String EVERY_SECOND = "0/1 * * * * ?";
    /** Never fires while a test runs (2 a.m. on the 1st of January 2099). */
    static final String FAR_AWAY = "0 0 2 1 1 ? 2099";

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.schedules.scan-interval-ms", "200");
    }

    /** One single-node job on the local profile (two concurrencies, one server), scheduled by {@code cron}. */
    static String sweep(String name, String cron) {
        return Fixtures.oneJobSweep("name: " + name, "schedule: '" + cron + "'", "profile: local");
    }

    private Ledger ledger() {
        return beans.ledger();
    }

    private List<RunRecord> runsOf(String sweep) {
        return ledger().runs().runs().stream().filter(r -> r.sweepName().equals(sweep)).toList();
    }

    private ScheduleRecord schedule(String name) {
        return ledger().schedules().schedule(name).orElseThrow();
    }

    /**
     * Ends every job of the run COMPLETED, as the poller would after Slurm ran them, then runs a poll cycle (no live
     * job: no Slurm), which settles the ends and finishes the run with its final report.
     */
    private void complete(String runId) {
        for (JobRecord job : ledger().jobs().jobs(runId)) {
            if (job.state() == JobState.PLANNED) {
                assertThat(ledger().jobs().beginSubmit(runId, job.jobKey(), "sweepd-" + job.jobKey())).isTrue();
                assertThat(ledger().jobs().submitted(runId, job.jobKey(), "42")).isTrue();
                assertThat(ledger().jobs().transition(runId, job.jobKey(), JobState.PENDING, JobState.COMPLETED,
                        "exit 0", null)).isTrue();
            }
        }
        template.sendBody("direct:job-poll", null);
        // Settling runs on its own thread: the cycle only signals it.
        await(runId + " finished").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> ledger().runs().run(runId).orElseThrow().finished());
    }

    @Test
    void aDroppedScheduledSweepRunsNowThenEachFiringMakesAFreshRunAndSkipsWhileThePreviousIsActive()
            throws IOException {
        Files.writeString(home.resolve("inbox").resolve("nightly.yaml"), sweep("nightly", EVERY_SECOND));

        // Planned now, as any dropped sweep, and registered with the file's text.
        await("the dropped sweep's run").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> runsOf("nightly").size() == 1 && ledger().schedules().schedule("nightly").isPresent());
        RunRecord dropped = runsOf("nightly").get(0);
        assertThat(schedule("nightly").source()).isEqualTo(ScheduleSource.INBOX);
        assertThat(schedule("nightly").sweepText()).isEqualTo(sweep("nightly", EVERY_SECOND));

        // Its jobs are planned (not ended): every firing is skipped, and the schedule's row says why.
        await("a skipped firing").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> schedule("nightly").lastSkippedAt() != null);
        assertThat(schedule("nightly").lastSkipReason()).contains("previous run " + dropped.runId())
                .contains("still active");
        assertThat(runsOf("nightly")).hasSize(1);

        complete(dropped.runId());
        RunRecord first = awaitRunAfter(dropped);
        // The report of a scheduled run compares it with the previous finished run (checked below).
        complete(first.runId());
        RunRecord second = awaitRunAfter(first);

        for (RunRecord scheduled : List.of(first, second)) {
            assertThat(scheduled.runId()).matches("nightly-\\d{8}-\\d{6}");
            // Fresh: the job the dropped run completed is planned and submitted again, not reused.
            assertThat(ledger().jobs().jobs(scheduled.runId())).isNotEmpty().allSatisfy(job -> {
                assertThat(job.reused()).isFalse();
                assertThat(job.jobDir()).contains(scheduled.runId());
            });
        }
        assertThat(ledger().jobs().jobs(second.runId())).allSatisfy(job ->
                assertThat(job.state()).isEqualTo(JobState.PLANNED));
        // The row names the last run its firings made (written just after the run is recorded).
        await("the schedule names its last run").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> latestRunId("nightly").equals(schedule("nightly").lastRunId()));
        JsonNode report = Json.MAPPER.readTree(
                home.resolve("reports").resolve(first.runId()).resolve("report.json").toFile());
        assertThat(report.path("baseline").path("run_id").asText()).isEqualTo(dropped.runId());
        assertThat(ledger().runs().run(first.runId()).orElseThrow().finished()).isTrue();
    }

    /** The first run of the same sweep recorded after {@code previous}. */
    private RunRecord awaitRunAfter(RunRecord previous) {
        await("a scheduled run after " + previous.runId()).atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> runAfter(previous).isPresent());
        return runAfter(previous).orElseThrow();
    }

    private Optional<RunRecord> runAfter(RunRecord previous) {
        List<RunRecord> runs = runsOf(previous.sweepName());
        int at = runs.indexOf(runs.stream().filter(r -> r.runId().equals(previous.runId())).findFirst().orElseThrow());
        return at + 1 < runs.size() ? Optional.of(runs.get(at + 1)) : Optional.empty();
    }

    private String latestRunId(String sweep) {
        return ledger().runs().latestRun(sweep).orElseThrow().runId();
    }

    @Test
    void theSchedulesFolderRegistersReloadsKeepsThroughABrokenEditAndRemoves() throws IOException {
        Path folder = Files.createDirectories(home.resolve("schedules"));
        Path file = folder.resolve("weekly.yaml");
        Files.writeString(file, sweep("weekly", FAR_AWAY));

        // Registered without running now, and armed.
        await("weekly registered and armed").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> ledger().schedules().schedule("weekly").isPresent() && armed("weekly"));
        assertThat(schedule("weekly").source()).isEqualTo(ScheduleSource.FOLDER);
        assertThat(schedule("weekly").cron()).isEqualTo(FAR_AWAY);
        assertThat(runsOf("weekly")).isEmpty();

        // A changed file reloads the schedule: the new cron fires.
        Files.writeString(file, sweep("weekly", EVERY_SECOND));
        await("the reloaded schedule fires").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> !runsOf("weekly").isEmpty());
        assertThat(schedule("weekly").cron()).isEqualTo(EVERY_SECOND);
        await("the schedule names its run").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> latestRunId("weekly").equals(schedule("weekly").lastRunId()));

        // A broken edit is reported with file, line and field; the schedule keeps its last good definition.
        Files.writeString(file, sweep("weekly", FAR_AWAY).replace("precision: fp4", "precission: fp4"));
        Path report = folder.resolve(".error").resolve("weekly.yaml.error.txt");
        await("the broken file's report").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> Files.exists(report));
        assertThat(Files.readString(report)).contains("weekly.yaml").contains("line:    11")
                .contains("field:   gptoss-fp4-h100-vllm.precission")
                .contains("keeps running as it was ('" + EVERY_SECOND + "')");
        assertThat(schedule("weekly").cron()).isEqualTo(EVERY_SECOND);
        assertThat(schedule("weekly").fileProblem()).contains("precission");
        assertThat(armed("weekly")).isTrue();

        // Fixed: reloaded, the report goes. Deleted: the schedule and its route go.
        Files.writeString(file, sweep("weekly", FAR_AWAY));
        await("the fixed file reloaded").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> schedule("weekly").cron().equals(FAR_AWAY) && !Files.exists(report));
        assertThat(schedule("weekly").fileProblem()).isNull();
        Files.delete(file);
        await("weekly removed and disarmed").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> ledger().schedules().schedule("weekly").isEmpty() && !armed("weekly"));
    }

    @Test
    void aFileWithoutAScheduleIsRefusedInTheFolder() throws IOException {
        Path folder = Files.createDirectories(home.resolve("schedules"));
        Files.writeString(folder.resolve("once.yaml"), sweep("once", FAR_AWAY).replaceAll("  schedule: .*\\n", ""));
        Path report = folder.resolve(".error").resolve("once.yaml.error.txt");
        await("the report").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS).until(() -> Files.exists(report));
        assertThat(Files.readString(report)).contains("field:   sweep.schedule")
                .contains("No schedule was registered");
        assertThat(ledger().schedules().schedules()).isEmpty();
    }

    @Test
    void aFiringWhoseSweepNoLongerPlansIsRecordedAsASkipSayingWhy() {
        // Registered when its rule existed (as a ledger from an older sweepd would hold it); the rule is gone now.
        String text = sweep("stale", EVERY_SECOND).replace("[inferencemax-gptoss-fp4-h100]", "[rule-gone-since]");
        ledger().schedules().register(ScheduleRecord.of("stale", EVERY_SECOND, ScheduleSource.INBOX,
                home.resolve("inbox/stale.yaml").toString(), home.resolve("inbox").toString(), null, text));

        await("the failed firing recorded").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> schedule("stale").lastSkipReason() != null);
        assertThat(schedule("stale").lastSkipReason()).startsWith("could not be planned").contains("rule-gone-since");
        assertThat(runsOf("stale")).isEmpty();
        assertThat(home.resolve("inbox/.error")).as("no inbox error report for a firing").doesNotExist();
        assertThat(armed("stale")).as("it keeps firing").isTrue();
    }

    private boolean armed(String schedule) {
        return context.getRoute(ScheduleRoutes.routeId(schedule)) != null;
    }
}
