package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobNames;
import io.sweepd.ledger.EventKind;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged daemons on one home against the real local Slurm: the second refuses to start while the first runs,
 * or with {@code --standby} takes over when the first is killed; either way every job of the sweep reaches Slurm
 * exactly once.
 */
class OneDaemonPerHomeIT {

    private static final Path QUICKSTART = Path.of("examples/quickstart.yaml").toAbsolutePath();
    /** Six jobs, two at a time, on a loaded machine. */
    private static final java.time.Duration SWEEP_TIME = java.time.Duration.ofMinutes(10);

    /** Kept when a test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    /** The environment {@link Daemon} gives its process, for a second daemon started by hand. */
    private static Map<String, String> daemonEnvironment() {
        return Map.of("SLURM_CONF", LocalSlurm.conf(), "SWEEPD_POLL_INTERVAL_MS", "2000");
    }

    /** The local profile with at most two jobs in Slurm's queue, so the sweep's six jobs go in waves. */
    private void writeLimitedProfile() throws IOException {
        Daemon.writeProfile(home, "local-limited", Map.of(), "\nretry:\n", "\nlimits:\n  max-queued-jobs: 2\nretry:\n");
    }

    private Process secondDaemon(Path log, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("daemon", "--home", home.toString()));
        args.addAll(List.of(extra));
        return PackagedApp.command(home, daemonEnvironment(), args.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aSecondDaemonOnTheSameHomeExitsCannotStartNamingTheFirstAndNoJobIsSubmittedTwice() throws Exception {
        writeLimitedProfile();
        try (Daemon first = new Daemon(home, Map.of()).start()) {
            first.submit(QUICKSTART, "local-limited");
            await().atMost(Daemon.GENEROUS).until(() -> first.status("quickstart").toString()
                    .contains("waiting for a slot: 2 of 2 jobs queued on profile local-limited"));

            Path log = home.resolve("second-daemon.log");
            Process second = secondDaemon(log);
            assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("the second daemon ends by itself").isTrue();

            assertThat(second.exitValue()).as("the daemon cannot start").isEqualTo(10);
            assertThat(Files.readAllLines(log)).filteredOn(line -> line.startsWith("sweepd daemon cannot start"))
                    .singleElement().asString()
                    .startsWith("sweepd daemon cannot start: another sweepd daemon runs on this home: pid "
                            + first.process().pid() + " on host ")
                    .contains("(it holds " + home.resolve("state/daemon.lock") + ")");
            assertThat(first.process().isAlive()).isTrue();

            JsonNode status = first.awaitStates(SWEEP_TIME, "quickstart", "COMPLETED");
            first.stop();
            assertEachJobReachedSlurmOnce(status);
        }
    }

    @Test
    void aStandbyDaemonTakesOverWhenTheFirstIsKilledAndNoJobIsSubmittedTwice() throws Exception {
        writeLimitedProfile();
        try (Daemon first = new Daemon(home, Map.of()).start()) {
            Path log = home.resolve("standby-daemon.log");
            Process standby = secondDaemon(log, "--standby");
            try {
                await().atMost(Daemon.GENEROUS).until(() -> Files.readString(log)
                        .contains("standby: another sweepd daemon runs on this home (pid " + first.process().pid()));
                first.submit(QUICKSTART, "local-limited");
                // Killed with jobs in Slurm and jobs still waiting for a slot: the standby tracks the ones and
                // submits the others.
                await().atMost(Daemon.GENEROUS).until(() -> first.status("quickstart").toString()
                        .contains("waiting for a slot"));

                first.kill();

                await().atMost(Daemon.GENEROUS).until(() -> Files.readString(log).contains("sweepd daemon running"));
                assertThat(Files.readString(log)).contains("stopped; taking over");
                JsonNode status = first.awaitStates(SWEEP_TIME, "quickstart", "COMPLETED");
                standby.destroy();
                assertThat(standby.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertEachJobReachedSlurmOnce(status);
            } finally {
                standby.destroyForcibly();
            }
        }
    }

    /** sacct knows exactly one Slurm job per job of the run, and the ledger one submission and no duplicate. */
    private void assertEachJobReachedSlurmOnce(JsonNode status) throws Exception {
        String runId = status.get(0).get("sweep").asText();
        try (Ledger ledger = Ledger.embedded(home.resolve("state"))) {
            List<JobRecord> jobs = ledger.jobs().jobs(runId);
            assertThat(jobs).isNotEmpty().allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.COMPLETED));
            for (JobRecord job : jobs) {
                String attempt1 = JobNames.attempt(runId, job.jobKey(), 1);
                String stem = attempt1.substring(0, attempt1.length() - "a1".length());
                assertThat(LocalSlurm.accountedJobsNamed(stem)).as("Slurm jobs of %s", job.jobKey()).hasSize(1);
                List<EventRecord> events = ledger.jobs().events(runId, job.jobKey());
                assertThat(events).as("submissions of %s", job.jobKey())
                        .filteredOn(e -> e.kind() == EventKind.STATE && e.fromState() == JobState.SUBMITTING)
                        .hasSize(1);
                assertThat(events).extracting(EventRecord::kind).doesNotContain(EventKind.DUPLICATE_SUBMISSION);
            }
        }
    }
}
