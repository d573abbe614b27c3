package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** What the deadlines read from a job's logs. */
class JobLogsTest {

    @TempDir
    Path root;

    private final JobLogs logs = new JobLogs();

    private JobDirectory dir() {
        return new JobDirectory(root);
    }

    private void append(String file, String text) throws IOException {
        Path path = root.resolve("logs").resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void noLogDirectoryMeansNothingLogged() {
        assertThat(logs.workloadLogged(dir())).isFalse();
        assertThat(logs.healthy(dir())).isFalse();
    }

    @Test
    void sweepdsOwnPreambleIsNotTheWorkloadsFirstLine() throws IOException {
        append("slurm-7.out", "sweepd: job k started on gpu-node1 at 2026-11-27T22:00:00+00:00 (slurm job 7)\n\n");

        assertThat(logs.workloadLogged(dir())).isFalse();

        append("slurm-7.out", "INFO starting server\n");
        assertThat(logs.workloadLogged(dir())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INFO:     Application startup complete.",
            "[2026-11-27 22:00:41] The server is fired up and ready to roll!",
            "orchestrator: Health check passed for decode-0", "frontend: server is healthy"})
    void eachEnginesReadyLineCountsAsHealthy(String line) throws IOException {
        append("nested/worker-0.log", line + "\n");

        assertThat(logs.healthy(dir())).isTrue();
    }

    @Test
    void forgettingAJobDirectoryReadsItsLogsAfreshNextTime() throws IOException {
        append("server-0.log", "INFO:     Application startup complete.\n");
        assertThat(logs.healthy(dir())).isTrue();

        logs.forget(dir());
        Files.delete(root.resolve("logs/server-0.log"));

        assertThat(logs.healthy(dir())).isFalse();
    }

    /**
     * readNew reads at most 8 MiB past the last offset and only up to the last newline in what it read; when those
     * 8 MiB hold no newline it returns nothing and does NOT advance the offset, so every later cycle re-reads the
     * same 8 MiB. One line longer than 8 MiB (a carriage-return progress bar that ran for long, a dumped blob) thus
     * hides every later line of that file for good: the healthy line is never seen and the job is cancelled as
     * DEADLINE although its server is up.
     */
    @Test
    void aLineLongerThanTheReadLimitDoesNotHideTheLinesAfterIt() throws IOException {
        append("server-0.log", "Loading: " + "#".repeat(9 << 20) + "\n");
        append("server-0.log", "INFO:     Application startup complete.\n");

        boolean seen = false;
        for (int cycle = 0; cycle < 5 && !seen; cycle++) {
            seen = logs.healthy(dir());
        }

        assertThat(seen).isTrue();
    }

    @Test
    void aReaderKeepsAtMostItsLimitOfJobsAndAForgottenOneAnswersTheSameAfterReadingItAgain() throws IOException {
        JobLogs bounded = new JobLogs(2);
        java.util.List<JobDirectory> dirs = new java.util.ArrayList<>();
        for (String name : java.util.List.of("a", "b", "c")) {
            Path log = root.resolve(name).resolve("logs/slurm-1.out");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "INFO:     Application startup complete.\n");
            dirs.add(new JobDirectory(root.resolve(name)));
        }

        assertThat(dirs).allMatch(bounded::healthy);
        assertThat(bounded.trackedJobs()).isEqualTo(2);
        assertThat(bounded.healthy(dirs.get(0))).as("forgotten, then read again from the start").isTrue();
        assertThat(bounded.workloadLogged(dirs.get(0))).isTrue();
        assertThat(bounded.trackedJobs()).isEqualTo(2);
    }
}
