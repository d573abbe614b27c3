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
