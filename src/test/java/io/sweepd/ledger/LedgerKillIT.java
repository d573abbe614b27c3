package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded H2 ledger ({@link LedgerH2Test}) keeps every committed change of a daemon killed with SIGKILL. An
 * integration test (failsafe, {@code mvn verify}) because it starts and kills a second JVM.
 */
class LedgerKillIT {

    @TempDir
    Path home;

    @Test
    void everyCommittedChangeSurvivesKillDashNine() throws Exception {
        Path crashed = home.resolve("crashed");
        Process child = new ProcessBuilder(LedgerWriter.javaBinary(), "-cp", System.getProperty("java.class.path"),
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
            assertThat(reopened.jobs().job("r1", "a")).get().satisfies(a -> {
                assertThat(a.state()).isEqualTo(JobState.PENDING);
                assertThat(a.slurmJobId()).isEqualTo("4242");
            });
            assertThat(reopened.jobs().liveJobs()).extracting(JobRecord::jobKey, JobRecord::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", JobState.PENDING),
                    org.assertj.core.groups.Tuple.tuple("b", JobState.SUBMITTING));
        }
    }

    @Test
    void theTestClasspathIsUsableByAChildJvm() {
        // Guards the kill -9 test: the test runner must expose the real classpath, not only its booter jar.
        String classpath = System.getProperty("java.class.path");
        assertThat(classpath.split(File.pathSeparator))
                .anySatisfy(entry -> assertThat(Files.isDirectory(Path.of(entry))).isTrue());
    }
}
