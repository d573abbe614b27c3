package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.Fixtures;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobNames;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is submitted twice: a daemon killed (kill -9) while its sbatch call is under way, after Slurm created the
 * job and before the answer reached the ledger, tracks that job after a restart, found by its attempt's name; and a
 * ledger that then loses the submission again (the job PLANNED, as in a file cut short) adopts it again by name
 * instead of calling sbatch. Slurm has exactly one job of the name at the end.
 *
 * <p>The window is made wide, for real: the daemon's PATH starts with an {@code sbatch} wrapper that runs the real
 * sbatch, records its answer, and then waits for the test before printing it. The jobs are submitted held, so they
 * take nothing from the local cluster, and are cancelled by id at the end.
 */
class SubmitAfterKillIT {

    /** Kept when the test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void aDaemonKilledInsideSbatchTracksTheJobSlurmCreatedAfterRestartAndNeverSubmitsItAgain() throws Exception {
        Daemon.writeProfile(home, "local-held", Map.of(), "segment: false",
                "segment: false\n  extra-directives: [\"--hold\"]");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path calls = home.resolve("sbatch-calls");
        Path answers = home.resolve("sbatch-answers");
        Path release = home.resolve("sbatch-release");
        String realSbatch = LocalSlurm.run("sh", "-c", "command -v sbatch").strip();
        assertThat(realSbatch).as("sbatch on the test's PATH").startsWith("/");
        Path wrapper = bin.resolve("sbatch");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "out=$('" + realSbatch + "' \"$@\") || exit $?\n"
                + "echo \"$out\" >> '" + answers + "'\n"
                + "n=0; while [ ! -e '" + release + "' ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n+1)); done\n"
                + "echo \"$out\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));

        List<String> created = new ArrayList<>();
        try (Daemon daemon = new Daemon(home, env).start()) {
            Path sweeps = Files.createDirectories(home.resolve("sweeps"));
            daemon.submit(Files.writeString(sweeps.resolve("submitkill.yaml"), Fixtures.oneJobSweep()), "local-held");

            await("the real sbatch answered inside the wrapper").atMost(Daemon.GENEROUS)
                    .until(() -> Files.isRegularFile(answers) || !daemon.process().isAlive());
            created.add(Files.readString(answers).strip().split(";")[0]);
            daemon.kill();
            assertThat(daemon.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
            Files.createFile(release); // the orphaned wrapper ends; its answer goes nowhere

            String runId;
            String jobKey;
            try (Ledger left = Ledger.embedded(home.resolve("state"))) {
                List<io.sweepd.ledger.JobRecord> job = left.jobs().jobsInState(JobState.SUBMITTING);
                assertThat(job).as("what the kill left: claimed, no answer").hasSize(1);
                runId = job.get(0).runId();
                jobKey = job.get(0).jobKey();
                assertThat(job.get(0).slurmJobId()).isNull();
            }

            daemon.start();

            JsonNode tracked = daemon.awaitStates("submitkill", "PENDING").get(0);
            assertThat(tracked.get("slurm-job-id").asText()).isEqualTo(created.get(0));
            daemon.stop();

            // The ledger loses the submission (as one cut short would): the job is PLANNED at attempt 0 again.
            try (var connection = java.sql.DriverManager.getConnection(Ledger.embeddedUrl(home.resolve("state")),
                    "sa", "");
                 var update = connection.prepareStatement("UPDATE jobs SET state = 'PLANNED', attempt = 0, "
                         + "slurm_job_id = NULL, job_name = NULL WHERE run_id = ? AND job_key = ?")) {
                update.setString(1, runId);
                update.setString(2, jobKey);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }

            daemon.start();

            JsonNode adopted = daemon.awaitStates("submitkill", "PENDING").get(0);
            assertThat(adopted.get("slurm-job-id").asText()).isEqualTo(created.get(0));
            assertThat(Files.readAllLines(calls)).as("sbatch ran once, for the first daemon").hasSize(1);
            String name = JobNames.attempt(runId, jobKey, 1);
            assertThat(LocalSlurm.run("squeue", "--noheader", "--states=all", "--name=" + name, "--format=%i")
                    .lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                    .as("Slurm has one job of the name").containsExactly(created.get(0));
            daemon.stop();
        } finally {
            if (!Files.exists(release)) {
                Files.createFile(release);
            }
            for (String id : created) {
                LocalSlurm.run("scancel", id);
            }
        }
    }
}
