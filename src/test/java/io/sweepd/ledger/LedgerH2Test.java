package io.sweepd.ledger;

import io.sweepd.MutableClock;
import io.sweepd.jobs.JobState;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger contract on the default store, an H2 file under the state directory, plus what is H2's alone. */
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

    @Test
    void everyCommittedChangeSurvivesKillDashNine() throws Exception {
        ledger.close();
        ledger = null;
        Path crashed = home.resolve("crashed");
        Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                LedgerWriter.class.getName(), crashed.toString(), "wait")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();   // skips the child's log lines
            } while (line != null && !line.equals(LedgerWriter.COMMITTED));
            assertThat(line).as("the child reported its commits").isEqualTo(LedgerWriter.COMMITTED);
            child.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no close, no last write
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);

        try (Ledger reopened = Ledger.embedded(crashed)) {
            assertThat(reopened.job("r1", "a")).get().satisfies(a -> {
                assertThat(a.state()).isEqualTo(JobState.PENDING);
                assertThat(a.slurmJobId()).isEqualTo("4242");
            });
            assertThat(reopened.liveJobs()).extracting(JobRecord::jobKey, JobRecord::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", JobState.PENDING),
                    org.assertj.core.groups.Tuple.tuple("b", JobState.SUBMITTING));
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theTestClasspathIsUsableByAChildJvm() {
        // Guards the kill -9 test: surefire must expose the real classpath, not only its booter jar.
        String classpath = System.getProperty("java.class.path");
        assertThat(classpath.split(File.pathSeparator))
                .anySatisfy(entry -> assertThat(Files.isDirectory(Path.of(entry))).isTrue());
    }
}
