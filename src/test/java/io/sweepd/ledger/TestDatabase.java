package io.sweepd.ledger;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;

/**
 * A fresh, empty database for one contract test: how to open a ledger on it (again and again, to simulate a
 * restart or a second process), how to look under the ledger with plain JDBC, and how to drop it afterwards.
 * The contracts run unchanged on each kind, which is what makes them contracts.
 */
abstract class TestDatabase {

    private final String url;
    private final String user;
    private final String password;

    private TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** A ledger handle on this database; each call opens a pool of its own, as another process would. */
    abstract Ledger open(Clock clock);

    /** A ledger handle acting for one owner (a daemon's sweepd.ledger.owner), with a pool of its own. */
    Ledger open(Clock clock, String owner) {
        return Ledger.open(url, user, password, clock, Ledger.OPEN_TIMEOUT, owner);
    }

    /** Removes the database, after every ledger on it is closed. */
    abstract void drop();

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    String url() {
        return url;
    }

    /**
     * A private in-memory H2 database: the unit layer's, fast because nothing is synced to a file. It stays
     * while no ledger is open (DB_CLOSE_DELAY=-1), so a test can close and reopen, until {@link #drop()}.
     * LOCK_TIMEOUT as the file ledger's: a compare-and-set waits for another writer's short transaction.
     */
    static TestDatabase h2InMemory() {
        String url = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        return new TestDatabase(url, "sa", "") {
            @Override
            Ledger open(Clock clock) {
                return Ledger.open(url(), "sa", "", clock);
            }

            @Override
            void drop() {
                execute(url(), "sa", "", "SHUTDOWN");
            }
        };
    }

    /** The embedded ledger as the daemon opens it: the H2 file under the state directory. */
    static TestDatabase h2File(Path stateDir) {
        return new TestDatabase(Ledger.embeddedUrl(stateDir), "sa", "") {
            @Override
            Ledger open(Clock clock) {
                return Ledger.embedded(stateDir, clock);
            }

            @Override
            void drop() {
                // The state directory is the test's temporary directory; JUnit removes it.
            }
        };
    }

    /**
     * A schema of its own in the PostgreSQL {@code SWEEPD_TEST_PG_URL} names (scripts/start-postgres.sh prints
     * it; CI sets it), with {@code SWEEPD_TEST_PG_USER} / {@code SWEEPD_TEST_PG_PASSWORD} (default sweepd /
     * sweepd). Tests neither see nor disturb each other. Without the variable the test is skipped, saying why.
     */
    static TestDatabase postgres() {
        String server = System.getenv("SWEEPD_TEST_PG_URL");
        Assumptions.assumeTrue(server != null && !server.isBlank(),
                "SWEEPD_TEST_PG_URL is not set: skipping the PostgreSQL ledger contract "
                        + "(run scripts/start-postgres.sh and export the line it prints)");
        String user = envOr("SWEEPD_TEST_PG_USER", "sweepd");
        String password = envOr("SWEEPD_TEST_PG_PASSWORD", "sweepd");
        String schema = "ledger_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, user, password, "CREATE SCHEMA " + schema);
        // currentSchema puts the ledger's tables, and Flyway's history, in this test's schema.
        String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(url, user, password) {
            @Override
            Ledger open(Clock clock) {
                return Ledger.open(url(), user, password, clock);
            }

            @Override
            void drop() {
                execute(server, user, password, "DROP SCHEMA " + schema + " CASCADE");
            }
        };
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
