package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as it ships: the shaded jar alone (plus the small writer program from the test classes) creates
 * and migrates a ledger. This is what proves Flyway finds {@code db/migration} inside the jar and that the
 * merged service files still register H2 with Flyway and JDBC; the unit tests read the migrations from a folder.
 */
class LedgerFatJarIT {

    @TempDir
    Path home;

    @Test
    void theShadedJarMigratesAndWritesALedger() throws Exception {
        String jarProperty = System.getProperty("sweepd.jar");
        // Failsafe sets it after packaging; a unit-test run (surefire) might only find a stale jar, or none.
        Assumptions.assumeTrue(jarProperty != null,
                "sweepd.jar is not set: this test runs under failsafe (mvn verify), against the jar just packaged");
        Path jar = Path.of(jarProperty).toAbsolutePath();
        assertThat(jar).as("the shaded jar is built in the package phase").isRegularFile();
        try (JarFile contents = new JarFile(jar.toFile())) {
            assertThat(contents.getEntry("db/migration/V1__initial.sql")).isNotNull();
        }
        Path testClasses = Path.of(LedgerWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path stateDir = home.resolve("state");
        Path output = home.resolve("writer.log");

        Process writer = new ProcessBuilder(LedgerWriter.javaBinary(),
                "-cp", jar + File.pathSeparator + testClasses,
                LedgerWriter.class.getName(), stateDir.toString(), "exit")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(writer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(writer.exitValue()).as(log).isZero();
        assertThat(log).contains(LedgerWriter.COMMITTED);

        try (Ledger ledger = Ledger.embedded(stateDir)) {
            assertThat(ledger.jobs().job("r1", "a")).get().extracting(JobRecord::state, JobRecord::slurmJobId)
                    .containsExactly(JobState.PENDING, "4242");
            assertThat(ledger.jobs().job("r1", "b")).get().extracting(JobRecord::state).isEqualTo(JobState.SUBMITTING);
        }
    }
}
