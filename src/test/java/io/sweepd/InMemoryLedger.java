package io.sweepd;

import io.sweepd.ledger.Ledger;

import java.time.Clock;
import java.util.UUID;

/**
 * A ledger in a private in-memory H2 database, for unit tests that need a ledger but not its file: the same schema
 * (Flyway runs as for the file), without the file lock, the AUTO_SERVER listener and a sync per commit, so it opens
 * in a third of the time. The database lives as long as the ledger: the pool keeps a connection open, and closing
 * the ledger drops it. The file ledger itself is tested in {@code LedgerH2Test}.
 */
public final class InMemoryLedger {

    private InMemoryLedger() {
    }

    public static Ledger open(Clock clock) {
        return Ledger.open(url(), "sa", "", clock);
    }

    public static Ledger open() {
        return open(Clock.systemUTC());
    }

    /** A JDBC URL of a new database (user sa, no password), for tests that wire the ledger from settings. */
    public static String url() {
        // LOCK_TIMEOUT as the file ledger's: a compare-and-set waits for another writer's short transaction.
        return "jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";LOCK_TIMEOUT=10000";
    }
}
