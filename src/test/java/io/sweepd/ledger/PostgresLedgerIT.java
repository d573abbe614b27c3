package io.sweepd.ledger;

import io.sweepd.MutableClock;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The ledger contract on a real PostgreSQL: the shared result store several clusters' daemons may feed.
 * {@code SWEEPD_TEST_PG_URL} names the database (scripts/start-postgres.sh prints it; CI sets it), with
 * {@code SWEEPD_TEST_PG_USER} / {@code SWEEPD_TEST_PG_PASSWORD} (default sweepd / sweepd). Every test gets a
 * schema of its own, created empty and dropped afterwards, so tests neither see nor disturb each other.
 */
class PostgresLedgerIT extends LedgerContract {

    private static final String URL = System.getenv("SWEEPD_TEST_PG_URL");
    private static final String USER = envOr("SWEEPD_TEST_PG_USER", "sweepd");
    private static final String PASSWORD = envOr("SWEEPD_TEST_PG_PASSWORD", "sweepd");

    private String schema;

    @Override
    protected Ledger open(MutableClock clock) {
        // Checked per test rather than once per class, so each skipped test shows the reason in the report.
        Assumptions.assumeTrue(URL != null && !URL.isBlank(),
                "SWEEPD_TEST_PG_URL is not set: skipping the PostgreSQL ledger contract "
                        + "(run scripts/start-postgres.sh and export the line it prints)");
        if (schema == null) {
            schema = "ledger_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("CREATE SCHEMA " + schema);
        }
        return Ledger.open(schemaUrl(), USER, PASSWORD, clock);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(schemaUrl(), USER, PASSWORD);
    }

    @Override
    protected void cleanUp() {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** currentSchema puts the ledger's tables, and Flyway's history, in this test's schema. */
    private String schemaUrl() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + URL + ": " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
