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
    void theMigrationsAreFoundAsClasspathResources() {
        List<MigrationInfo> migrations = List.of(Flyway.configure(Ledger.class.getClassLoader())
                .dataSource(Ledger.embeddedUrl(stateDir()), "sa", "")
                .locations(Migrations.LOCATION)
                .load().info().all());
        assertThat(migrations).extracting(m -> m.getVersion().toString(), MigrationInfo::getState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("2", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("4", MigrationState.SUCCESS));
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V1__initial.sql")).isNotNull();
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V2__results.sql")).isNotNull();
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V4__schedules.sql")).isNotNull();
    }
}
