package io.sweepd.ledger;

import io.sweepd.MutableClock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger contract on the default store, an H2 file under the state directory, plus what is H2's alone (that a
 * killed daemon loses no commit: {@link LedgerKillIT}).
 */
class LedgerH2Test extends LedgerContract {

    @TempDir
    Path home;

    private Path stateDir() {
        return home.resolve("state");
    }

    @Override
    protected Ledger open(MutableClock clock) {
        return Ledger.embedded(stateDir(), clock);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(Ledger.embeddedUrl(stateDir()), "sa", "");
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
                        org.assertj.core.groups.Tuple.tuple("2", MigrationState.SUCCESS));
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V1__initial.sql")).isNotNull();
        assertThat(Ledger.class.getClassLoader().getResource("db/migration/V2__results.sql")).isNotNull();
    }
}
