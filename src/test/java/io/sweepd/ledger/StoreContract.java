package io.sweepd.ledger;

import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the store contracts share: a fresh database per test ({@link TestDatabase}: in-memory H2 in the unit
 * layer, PostgreSQL in the integration layer), a ledger open on it, a clock the test moves, and the fixtures.
 * {@link RunStoreContract}, {@link JobStoreContract}, {@link ResultStoreContract} and {@link LedgerContract} say
 * what every database must do; their subclasses only choose the database.
 */
abstract class StoreContract {

    /** Deliberately not on a microsecond boundary: the ledger stores microseconds on both databases. */
    static final Instant START = Instant.parse("2025-06-01T08:00:00.123456789Z");
    static final Instant START_MICROS = Instant.parse("2025-06-01T08:00:00.123456Z");

    protected MutableClock clock;
    protected TestDatabase database;
    protected Ledger ledger;

    /** A new, empty database for this test. */
    protected abstract TestDatabase newDatabase();

    /** Opens another ledger handle on this test's database: after {@code close()} it simulates a restart. */
    protected Ledger open(MutableClock clock) {
        return database.open(clock);
    }

    /** A plain JDBC connection to this test's database, to look under the ledger. */
    protected Connection connect() throws SQLException {
        return database.connect();
    }

    @BeforeEach
    void openLedger() {
        clock = new MutableClock(START);
        database = newDatabase();
        ledger = open(clock);
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    RunStore runs() {
        return ledger.runs();
    }

    JobStore jobs() {
        return ledger.jobs();
    }

    ResultStore results() {
        return ledger.results();
    }

    // ---------------------------------------------------------------- fixtures

    static RunRecord run(String runId, String sweep) {
        return RunRecord.planned(runId, sweep, "/inbox/" + sweep + ".yaml", "/inbox", null,
                "{\"sweep\":\"" + sweep + "\",\"points\":[]}");
    }

    static JobRecord job(String runId, String jobKey) {
        return JobRecord.planned(runId, jobKey, "local", "/outputs/" + runId + "/" + jobKey, 600, 1800, 7200);
    }

    static PointRecord point(String runId, String pointId, String jobKey) {
        return PointRecord.of(runId, pointId, jobKey, "{\"point-id\":\"" + pointId + "\"}", null);
    }

    /** run "r1" of sweep "dsr1": jobs a and b, three points, one of them refused. */
    void recordR1() {
        runs().recordRun(run("r1", "dsr1"), List.of(job("r1", "a"), job("r1", "b")), List.of(
                point("r1", "a-c4", "a"), point("r1", "a-c8", "a"),
                PointRecord.of("r1", "x-c4", "x", "{}", "needs 16 GPUs, the pool has 8")));
    }

    /** Drives a job from PLANNED to PENDING the way the submit route does. */
    void submit(String runId, String jobKey, String slurmJobId) {
        assertThat(jobs().beginSubmit(runId, jobKey, "sweepd-" + jobKey)).isTrue();
        assertThat(jobs().submitted(runId, jobKey, slurmJobId)).isTrue();
    }

    JobRecord stored(String runId, String jobKey) {
        return jobs().job(runId, jobKey).orElseThrow();
    }

    JobState state(String runId, String jobKey) {
        return stored(runId, jobKey).state();
    }
}
