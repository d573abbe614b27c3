package io.sweepd.render;

import io.sweepd.core.JobDirectory;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.sim.StandInInstall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rendered jobs on the real single-host Slurm (scripts/local-slurm.sh): the directory layout, the #SBATCH lines,
 * the single-node harness and the exit marker as Slurm runs them, with the engine stand-in
 * (scripts/engine-stand-in.sh) where vllm's server and client would run.
 * Skipped when no local Slurm is configured (SLURM_CONF unset).
 */
class JobRendererSlurmIT {

    @TempDir
    static Path home;

    private static Plan gptoss;

    @TempDir
    Path out;

    @BeforeAll
    static void setUp() {
        String conf = System.getenv("SLURM_CONF");
        assumeTrue(conf != null && Files.isRegularFile(Path.of(conf)), "no local Slurm (SLURM_CONF unset)");
        // Only under failsafe, which names the jar it just packaged: a jar left in target/ may be stale.
        String packaged = System.getProperty("sweepd.jar");
        assumeTrue(packaged != null && Files.isRegularFile(Path.of(packaged)), "runs under mvn verify only");
        StandInInstall.ensure();
        gptoss = RenderFixtures.planResource("gptoss-single-node.yaml", "local", home);
    }

    private RenderedJob render(Map<String, String> env, Path dir) {
        PlannedJob job = gptoss.jobs().get(0);
        ClusterProfile profile = RenderFixtures.withEnvironment(RenderFixtures.profile("local"), env);
        return new JobRenderer().render(new RenderRequest(RenderFixtures.RUN_ID, gptoss.sweep().name(), job,
                gptoss.pointsOf(job), profile, dir));
    }

    @Test
    void aSingleNodeJobRunsItsHarnessUnderSlurmAndLeavesResultsLogsAndItsExitMarker() throws Exception {
        RenderedJob rendered = render(Map.of("SWEEPD_SIM_TIME_SCALE", "0.0005"), out.resolve("ok"));

        String jobId = sbatch(rendered);
        JobDirectory dir = rendered.directory();
        waitFor(() -> dir.exitCode().isPresent(), 120);

        assertThat(dir.exitCode()).hasValue(0);
        assertThat(dir.started()).isTrue();
        assertThat(Files.readString(dir.startedMarker())).contains("job_id=" + jobId);
        String slurmLog = Files.readString(dir.slurmOutput(jobId));
        assertThat(slurmLog).startsWith("sweepd: job " + rendered.jobKey() + " started on ")
                .contains("sweepd: server healthy after").contains("sweepd: stopping the server");
        try (Stream<Path> results = Files.list(dir.results())) {
            assertThat(results.filter(p -> p.getFileName().toString().startsWith("results_concurrency_"))).hasSize(5);
        }
        assertThat(Files.readString(dir.logs().resolve("server.log"))).contains("Application startup complete")
                .contains("sweepd-sim: DEV/TEST engine stand-in");
        assertThat(dir.logs().resolve("bench-001-c4.log")).isRegularFile();
    }

    @Test
    void aCancelledHangingJobRecordsTheSignalInItsExitMarker() throws Exception {
        RenderedJob rendered = render(Map.of("SWEEPD_SIM_BEHAVIOUR", "hang"), out.resolve("hang"));

        String jobId = sbatch(rendered);
        JobDirectory dir = rendered.directory();
        waitFor(() -> logged(dir, "SWEEPD_SIM_BEHAVIOUR=hang"), 60);
        run("scancel", jobId);
        waitFor(() -> dir.exitCode().isPresent(), 60);

        assertThat(dir.exitCode()).hasValue(143);
        assertThat(Files.readString(dir.logs().resolve("server.log"))).doesNotContain("Application startup complete");
    }

    private static boolean logged(JobDirectory dir, String text) {
        try (Stream<Path> logs = Files.list(dir.logs())) {
            for (Path log : logs.toList()) {
                if (Files.readString(log).contains(text)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static String sbatch(RenderedJob rendered) throws Exception {
        return run("sbatch", "--parsable", rendered.script().toString()).strip().split(";")[0];
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + output).isZero();
        return output;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, int seconds) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(seconds))
                .pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                    try {
                        return condition.holds();
                    } catch (Exception e) {
                        return false;
                    }
                });
    }
}
