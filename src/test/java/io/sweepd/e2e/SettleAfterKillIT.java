package io.sweepd.e2e;

import io.sweepd.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobNames;
import io.sweepd.ledger.EventKind;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.results.PointSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost after a job ends: a daemon killed after it recorded a job's end but before it settled it (results
 * collected, report rewritten, end recorded as handled) settles the job after a restart, exactly once.
 *
 * <p><b>Where the kill lands, and why there.</b> The daemon has no test hooks, so the test makes it stop, for real,
 * inside the handling of the end: before the job may run (it is submitted held), the test opens a second connection
 * to the daemon's ledger, as {@code sweepd status} does, and inserts in an uncommitted transaction the result row
 * of one of the job's planned (point, concurrency). When the job completes, the daemon records COMPLETED (a jobs row
 * the test does not touch), collects the result files, and its insert of that same row waits on the test's row
 * lock: the daemon is now between "end recorded" and "settled". It would stay there for the ledger's lock timeout
 * (10 s), fail the attempt and come back after a backoff, but the test sees it waiting in H2's session table and
 * kill -9s it at once. The test's transaction lived in the daemon's process (the daemon serves
 * the H2 file), so the kill also ends the rival transaction: nothing to clean up, and the restarted daemon meets
 * exactly what a crash leaves. (A named pipe among the result files, the obvious other way to block the collector,
 * does not work: the collector reads regular files only.)
 */
class SettleAfterKillIT {

    /** Kept when the test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void aDaemonKilledBetweenRecordingAJobsEndAndSettlingItSettlesItOnceAfterRestart() throws Exception {
        // Held at submission, so that the rival row is in place before the job can end.
        Daemon.writeProfile(home, "local-held", Map.of(), "segment: false",
                "segment: false\n  extra-directives: [\"--hold\"]");
        // Quick retries, should the daemon's wait on the lock time out once before the kill.
        try (Daemon daemon = new Daemon(home, Map.of("SWEEPD_SETTLE_BACKOFF_MS", "2000")).start()) {
            daemon.submit(sweepFile("settlekill"), "local-held");
            JsonNode pending = daemon.awaitStates("settlekill", "PENDING").get(0);
            String runId = pending.get("sweep").asText();
            String jobKey = pending.get("job-key").asText();
            String slurmJobId = pending.get("slurm-job-id").asText();

            Connection rival = DriverManager.getConnection(ledgerUrlWithoutReconnect(), "sa", "");
            try {
                rival.setAutoCommit(false);
                List<Planned> planned = plannedResults(rival, runId, jobKey);
                assertThat(planned).as("the job's planned (point, concurrency) pairs").hasSize(2);
                holdResultRow(rival, runId, jobKey, planned.get(0));

                LocalSlurm.run("scontrol", "release", slurmJobId);

                await("the daemon's settling insert waiting on the rival row").atMost(Daemon.GENEROUS).until(() ->
                        daemonWaitsOnResultInsert(rival) || !daemon.process().isAlive());
                assertThat(daemon.process().isAlive()).as("the daemon, blocked inside the settling").isTrue();
                JobState recorded = jobState(rival, runId, jobKey);
                assertThat(recorded).as("the end, recorded before the settling began").isEqualTo(JobState.COMPLETED);
                daemon.kill();
            } finally {
                closeRival(rival, daemon.process());
            }
            assertThat(daemon.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);

            // What the killed daemon left in the ledger: the end recorded, not handled.
            try (Ledger left = Ledger.embedded(home.resolve("state"))) {
                JobRecord job = left.jobs().job(runId, jobKey).orElseThrow();
                assertThat(job.state()).isEqualTo(JobState.COMPLETED);
                assertThat(job.settled()).isFalse();
                assertThat(left.results().results(runId, jobKey)).isEmpty();
                assertThat(kinds(left.jobs().events(runId, jobKey))).doesNotContain(EventKind.SETTLED);
                assertThat(left.runs().run(runId).orElseThrow().finished()).isFalse();
            }

            daemon.start();

            Path report = home.resolve("reports").resolve(runId).resolve("report.json");
            await("the restarted daemon's final report").atMost(Daemon.GENEROUS)
                    .until(() -> Files.isRegularFile(report)
                            && new ObjectMapper().readTree(report.toFile()).path("final").asBoolean());
            try (Ledger ledger = Ledger.open(Ledger.embeddedUrl(home.resolve("state")), "sa", "")) {
                await("the run finished").atMost(Daemon.GENEROUS)
                        .until(() -> ledger.runs().run(runId).orElseThrow().finished());

                JobRecord job = ledger.jobs().job(runId, jobKey).orElseThrow();
                assertThat(job.state()).isEqualTo(JobState.COMPLETED);
                assertThat(job.settled()).isTrue();
                assertThat(job.attempt()).isEqualTo(1);
                List<EventRecord> events = ledger.jobs().events(runId, jobKey);
                assertThat(kinds(events)).filteredOn(EventKind.SETTLED::equals).hasSize(1);
                assertThat(events).filteredOn(e -> e.kind() == EventKind.STATE
                        && e.fromState() == JobState.SUBMITTING && e.toState() == JobState.PENDING).hasSize(1);

                // One row per planned (point, concurrency), each with the benchmark's metrics: collected once.
                List<ResultRecord> results = ledger.results().results(runId, jobKey);
                assertThat(results).extracting(r -> new Planned(r.pointId(), r.conc()))
                        .containsExactlyInAnyOrderElementsOf(plannedResults(ledger, runId, jobKey));
                assertThat(results).allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo(ResultState.COMPLETED);
                    assertThat(r.metricsJson()).contains("tput_per_gpu");
                });
            }

            // Slurm ran it once: every attempt's name starts with the same stem, and only one ever reached Slurm.
            String attempt1 = JobNames.attempt(runId, jobKey, 1);
            String stem = attempt1.substring(0, attempt1.length() - "a1".length());
            assertThat(LocalSlurm.accountedJobsNamed(stem)).hasSize(1);
        }
    }

    private Path sweepFile(String name) throws IOException {
        Path dir = home.resolve("sweeps");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, Fixtures.oneJobSweep());
        return file;
    }

    /**
     * The daemon's ledger URL, but without AUTO_RECONNECT: when the daemon dies, this connection must die with it,
     * never open the file itself and become the server the restarted daemon would then depend on.
     */
    private String ledgerUrlWithoutReconnect() {
        String url = Ledger.embeddedUrl(home.resolve("state"));
        assertThat(url).contains(";AUTO_RECONNECT=TRUE");
        return url.replace(";AUTO_RECONNECT=TRUE", "");
    }

    private record Planned(String pointId, int conc) {
    }

    private static List<Planned> plannedResults(Connection ledger, String runId, String jobKey) throws SQLException {
        List<Planned> planned = new ArrayList<>();
        try (PreparedStatement query = ledger.prepareStatement("SELECT point_id, matrix_json FROM points "
                + "WHERE run_id = ? AND job_key = ? AND refused_reason IS NULL ORDER BY plan_index")) {
            query.setString(1, runId);
            query.setString(2, jobKey);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    for (int conc : PointSpec.fromJson(rows.getString("matrix_json")).conc()) {
                        planned.add(new Planned(rows.getString("point_id"), conc));
                    }
                }
            }
        }
        return planned;
    }

    private static List<Planned> plannedResults(Ledger ledger, String runId, String jobKey) {
        List<Planned> planned = new ArrayList<>();
        for (PointRecord point : ledger.runs().points(runId)) {
            if (point.jobKey().equals(jobKey) && !point.refused()) {
                for (int conc : PointSpec.fromJson(point.matrixJson()).conc()) {
                    planned.add(new Planned(point.pointId(), conc));
                }
            }
        }
        return planned;
    }

    /** The rival's uncommitted row, under the key the daemon's collect will insert. */
    private static void holdResultRow(Connection rival, String runId, String jobKey, Planned row) throws SQLException {
        try (PreparedStatement insert = rival.prepareStatement("INSERT INTO results "
                + "(run_id, point_id, conc, job_key, state, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, runId);
            insert.setString(2, row.pointId());
            insert.setInt(3, row.conc());
            insert.setString(4, jobKey);
            insert.setString(5, ResultState.INVALID.name());
            insert.setString(6, "held by SettleAfterKillIT, never committed");
            insert.setObject(7, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static JobState jobState(Connection ledger, String runId, String jobKey) throws SQLException {
        try (PreparedStatement query = ledger.prepareStatement(
                "SELECT state FROM jobs WHERE run_id = ? AND job_key = ?")) {
            query.setString(1, runId);
            query.setString(2, jobKey);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return JobState.valueOf(rows.getString(1));
            }
        }
    }

    /** After the kill the rival's server is gone, and H2 reports the broken session when the client side closes. */
    private static void closeRival(Connection rival, Process daemon) throws SQLException {
        try {
            rival.close();
        } catch (SQLException e) {
            if (daemon.isAlive()) {
                throw e;
            }
        }
    }

    /** Whether another session (the daemon's) is inside an insert into results: waiting on the rival's row. */
    private static boolean daemonWaitsOnResultInsert(Connection rival) throws SQLException {
        try (PreparedStatement query = rival.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                + "WHERE SESSION_ID <> SESSION_ID() AND UPPER(EXECUTING_STATEMENT) LIKE 'INSERT INTO RESULTS%'");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    private static List<EventKind> kinds(List<EventRecord> events) {
        return events.stream().map(EventRecord::kind).toList();
    }
}
