package io.sweepd.ledger;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Whether the ledger takes writes right now, for the daemon's readiness: inserts a run row that satisfies every
 * constraint and rolls it back. A read would pass on a database that is read-only (a PostgreSQL standby after a
 * fail-over, a disk remounted read-only) or out of space; the insert goes through the same checks a real write
 * does, and nothing is left behind, so no schema change and no heartbeat row are needed. Thread-safe.
 */
public final class WriteCheck {

    private final Jdbi jdbi;

    WriteCheck(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * @throws RuntimeException whatever the database or the pool said when the write failed (a closed ledger, a
     *                          read-only database, a timeout waiting for a connection)
     */
    public void check() {
        jdbi.useHandle(this::insertAndRollBack);
    }

    private void insertAndRollBack(Handle h) {
        h.begin();
        try {
            h.createUpdate("INSERT INTO sweep_runs (run_id, sweep_name, state, created_at) "
                            + "VALUES (:run, :sweep, :state, :at)")
                    .bind("run", "sweepd-write-check-" + UUID.randomUUID()).bind("sweep", "sweepd-write-check")
                    .bind("state", RunState.ACTIVE.name()).bind("at", Rows.instant(Instant.now()))
                    .execute();
        } finally {
            h.rollback();
        }
    }
}
