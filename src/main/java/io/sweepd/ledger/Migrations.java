package io.sweepd.ledger;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a ledger database to the current schema with Flyway. The scripts live in {@code db/migration} on the
 * classpath, which in the shaded jar is a folder inside the jar; the class loader that loaded sweepd finds them
 * there. Never edit an applied script: Flyway refuses to start on a changed checksum. Add V2, V3, ... instead,
 * and name it in {@link #SHIPPED} too (LedgerH2Test fails until it is).
 */
final class Migrations {

    static final String LOCATION = "classpath:db/migration";

    /**
     * The scripts in {@link #LOCATION}, so that opening a ledger that already has every one of them applied costs one
     * query instead of Flyway's start-up (its classes, a scan of the jar's ~20,000 entries for scripts, validation):
     * about a third of a second of every {@code sweepd status} and daemon start. A database that lacks any of these
     * (a new one, or one a newer script has not reached) still goes through Flyway.
     */
    static final List<String> SHIPPED = List.of("V1__initial.sql", "V2__results.sql", "V3__settling.sql",
            "V4__schedules.sql", "V5__owners.sql", "V6__run_plans.sql",
            "V7__run_headlines.sql", "V8__plans_out_of_row.sql", "V9__run_comparison_rows.sql",
            "V10__run_counts.sql");

    private Migrations() {
    }

    static void apply(DataSource dataSource) {
        if (alreadyCurrent(dataSource)) {
            return;
        }
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                // An empty location would leave an empty database and fail later on the first query.
                .failOnMissingLocations(true)
                .placeholders(Map.of("plan_text", isH2(dataSource) ? "CHARACTER LARGE OBJECT" : "TEXT"))
                .load()
                .migrate();
    }

    private static boolean isH2(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return "H2".equals(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the ledger's database", e);
        }
    }

    /**
     * Whether Flyway's history says exactly the shipped scripts were applied, all successfully. Anything else (no
     * history table yet, a failed or missing script, one this jar does not know) is left to Flyway to migrate or
     * to refuse, as it would without this check.
     */
    static boolean alreadyCurrent(DataSource dataSource) {
        // Flyway quotes its names on H2 (lower case there); PostgreSQL folds them the same way.
        String query = "SELECT \"script\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            Set<String> applied = new HashSet<>();
            while (rows.next()) {
                if (!rows.getBoolean("success")) {
                    return false;
                }
                applied.add(rows.getString("script"));
            }
            return applied.equals(Set.copyOf(SHIPPED));
        } catch (SQLException noHistoryYet) {
            return false;
        }
    }
}
