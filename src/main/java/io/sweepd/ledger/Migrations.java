package io.sweepd.ledger;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Brings a ledger database to the current schema with Flyway. The scripts live in {@code db/migration} on the
 * classpath, which in the shaded jar is a folder inside the jar; the class loader that loaded sweepd finds them
 * there. Never edit an applied script: Flyway refuses to start on a changed checksum. Add V2, V3, ... instead.
 */
final class Migrations {

    static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    static void apply(DataSource dataSource) {
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                // An empty location would leave an empty database and fail later on the first query.
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
