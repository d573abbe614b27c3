package io.sweepd.ledger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link LedgerContract} on the default database, the H2 file under the state directory, opened as the daemon
 * opens it ({@link Ledger#embedded}), plus what is the file's alone (that a killed daemon loses no commit:
 * {@link LedgerKillIT}). The stores' contracts run on in-memory H2, which is the same engine without the file.
 */
class LedgerH2Test extends LedgerContract {

    @TempDir
    Path home;

    private Path stateDir() {
        return home.resolve("state");
    }

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2File(stateDir());
    }

    @Test
    void theEmbeddedLedgerIsOneFileUnderTheStateDirectory() {
        assertThat(stateDir().resolve("ledger.mv.db")).isRegularFile();
        assertThat(Ledger.embeddedUrl(stateDir())).startsWith("jdbc:h2:file:" + stateDir().toAbsolutePath())
                .contains(";AUTO_SERVER=TRUE").contains(";WRITE_DELAY=0");
    }

    @Test
    void aOneShotCommandLeavesTheFileAsItIsAndTheDaemonCompactsIt() throws Exception {
        Path state = home.resolve("compaction");
        Path file = state.resolve("ledger.mv.db");
        try (Ledger ledger = Ledger.embedded(state, java.time.Clock.systemUTC(), null, Ledger.Closing.AS_IS);
             var connection = ledger.dataSource().getConnection(); var statement = connection.createStatement()) {
            // Space the file no longer needs once the table is gone: what compaction gives back.
            statement.execute("CREATE TABLE scratch(id INT PRIMARY KEY, body VARCHAR)");
            statement.execute("INSERT INTO scratch SELECT x, REPEAT('x', 4000) FROM SYSTEM_RANGE(1, 2000)");
            statement.execute("DROP TABLE scratch");
        }
        long leftAsItIs = java.nio.file.Files.size(file);
        assertThat(leftAsItIs).as("the dropped rows' space is still in the file").isGreaterThan(4_000_000);

        Ledger.embedded(state, java.time.Clock.systemUTC(), null, Ledger.Closing.AS_IS).close();
        assertThat(java.nio.file.Files.size(file)).as("a one-shot open and close does not shrink the file")
                .isGreaterThanOrEqualTo(leftAsItIs);

        Ledger.embedded(state, java.time.Clock.systemUTC(), null, Ledger.Closing.COMPACT).close();
        assertThat(java.nio.file.Files.size(file)).as("the daemon's close compacts it").isLessThan(leftAsItIs / 2);
    }

    @Test
    void theShippedMigrationListNamesEveryScript() throws Exception {
        try (var scripts = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(Migrations.SHIPPED).as("Migrations.SHIPPED: add the new script's file name")
                    .containsExactlyInAnyOrderElementsOf(scripts.map(p -> p.getFileName().toString())
                            .filter(name -> name.matches("V\\d+__.*\\.sql")).toList());
        }
    }

    @Test
    void theMigrationsAreFoundAsClasspathResources() {
        List<MigrationInfo> migrations = List.of(Flyway.configure(Ledger.class.getClassLoader())
                .dataSource(Ledger.embeddedUrl(stateDir()), "sa", "")
                .locations(Migrations.LOCATION)
                .load().info().all());
        assertThat(migrations).extracting(m -> m.getVersion().toString()).containsExactlyElementsOf(
                LedgerContract.shippedVersions());
        assertThat(migrations).extracting(MigrationInfo::getState).containsOnly(MigrationState.SUCCESS);
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V1__initial.sql")).isNotNull();
    }
}
