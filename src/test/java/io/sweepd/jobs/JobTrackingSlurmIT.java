package io.sweepd.jobs;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.Planner;
import io.sweepd.sim.StandInInstall;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Submission and tracking against the real local Slurm (scripts/local-slurm.sh): two sweeps planned on the
 * {@code local} profile, recorded, submitted and polled to their end, with the one-squeue-per-poll promise
 * checked on every cycle. The jobs run sweepd's engine simulator from the packaged jar.
 */
class JobTrackingSlurmIT {

    /** Seven jobs on a 16-GPU cluster that other test runs may share: some wait for GPUs. */
    private static final Duration GENEROUS = Duration.ofMinutes(10);

    private static final String HEADER = """
            gptoss-fp4-h100-vllm:
              image: vllm/vllm-openai:v0.18.0
              model: openai/gpt-oss-120b
              model-prefix: gptoss
              runner: h100
              precision: fp4
              framework: vllm
              multinode: false
              seq-len-configs:
            """;

    private static final String ONE_JOB = "sweep:\n  name: track-one\n" + HEADER + """
              - isl: 1024
                osl: 1024
                search-space:
                - {tp: 2, conc-list: [4]}
            """;

    /** Single-node points with different tp (and sequence lengths): six server configurations, six jobs. */
    private static final String SIX_JOBS = "sweep:\n  name: track-six\n" + HEADER + """
              - isl: 1024
                osl: 1024
                search-space:
                - {tp: 1, conc-list: [4]}
                - {tp: 2, conc-list: [4]}
                - {tp: 4, conc-list: [4]}
              - isl: 1024
                osl: 8192
                search-space:
                - {tp: 1, conc-list: [4]}
                - {tp: 2, conc-list: [4]}
                - {tp: 4, conc-list: [4]}
            """;

    /** One poll cycle: whether it had jobs with a Slurm id to track, and how many squeue calls it made. */
    private record Poll(int tracked, int submitting, long squeueCalls) {
    }

    @TempDir
    Path home;

    @Test
    void sweepsOfOneAndSixJobsRunToCompletedWithOneSqueuePerPoll() throws Exception {
        String slurmConf = System.getenv("SLURM_CONF");
        assumeTrue(slurmConf != null && !slurmConf.isBlank(),
                "SLURM_CONF is not set: start the local cluster with scripts/local-slurm.sh and "
                        + "eval \"$(scripts/local-slurm.sh env)\"");
        StandInInstall.ensure();

        SweepdSettings settings = SweepdSettings.load(null, Map.of(),
                Map.of("sweepd.home", home.toString(), "sweepd.profile", "local"));
        Planner planner = PlannerFactory.create(settings);
        Path oneFile = sweepFile("track-one.yaml", ONE_JOB);
        Path sixFile = sweepFile("track-six.yaml", SIX_JOBS);
        Plan one = planner.plan(oneFile);
        Plan six = planner.plan(sixFile);
        assertThat(one.jobs()).hasSize(1);
        assertThat(six.jobs()).hasSize(6);
        assertThat(one.refusedPoints()).isEmpty();
        assertThat(six.refusedPoints()).isEmpty();

        CommandRunner runner = new CommandRunner(Map.of("SLURM_CONF", slurmConf));
        // Slurm prints zone-less local times: read them in this JVM's zone, which the commands inherit.
        Clock clock = Clock.systemDefaultZone();
        try (Ledger ledger = Ledger.embedded(settings.state(), clock)) {
            SlurmClient slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), System.getProperty("user.name"),
                    clock);
            RunRecorder recorder = new RunRecorder(ledger, PlannerFactory.profiles(settings), settings.outputs());
            String runOne = recorder.record(one, new SweepOrigin(oneFile.toString(), home.toString(), "local"),
                    clock.instant());
            String runSix = recorder.record(six, new SweepOrigin(sixFile.toString(), home.toString(), "local"),
                    clock.instant());
            JobSubmitter submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
            JobTracker tracker = new JobTracker(ledger.jobs(), slurm, submitter, clock);

            assertThat(submitter.submitDue()).hasSize(7);
            assertThat(jobs(ledger, runOne, runSix)).allSatisfy(job -> {
                assertThat(job.state()).isEqualTo(JobState.PENDING);
                assertThat(job.slurmJobId()).matches("\\d+");
            });

            List<Poll> polls = Collections.synchronizedList(new ArrayList<>());
            await().atMost(GENEROUS).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                submitter.submitDue(); // only transient refusals would leave anything to submit
                List<JobRecord> live = ledger.jobs().liveJobs();
                int tracked = (int) live.stream()
                        .filter(j -> j.slurmJobId() != null && j.state() != JobState.SUBMITTING).count();
                int submitting = (int) live.stream().filter(j -> j.state() == JobState.SUBMITTING).count();
                long before = runner.invocations("squeue");
                tracker.poll().ended();
                polls.add(new Poll(tracked, submitting, runner.invocations("squeue") - before));
                return jobs(ledger, runOne, runSix).stream().allMatch(j -> j.state().terminal());
            });

            assertThat(polls).as("no submission was left unclear, so no poll looked a job up by name")
                    .allSatisfy(p -> assertThat(p.submitting()).isZero());
            assertThat(polls).filteredOn(p -> p.tracked() > 0).as("polls with tracked jobs").isNotEmpty()
                    .allSatisfy(p -> assertThat(p.squeueCalls()).as("squeue calls in a poll of %d jobs", p.tracked())
                            .isEqualTo(1));
            assertThat(polls).filteredOn(p -> p.tracked() == 0)
                    .allSatisfy(p -> assertThat(p.squeueCalls()).isZero());
            assertThat(polls).as("a poll saw all seven jobs at once").anyMatch(p -> p.tracked() == 7);

            assertCompletedWithResults(ledger, runOne, one);
            assertCompletedWithResults(ledger, runSix, six);
        }
    }

    private Path sweepFile(String name, String yaml) throws IOException {
        Path file = home.resolve("sweeps").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private static List<JobRecord> jobs(Ledger ledger, String... runIds) {
        return Stream.of(runIds).flatMap(run -> ledger.jobs().jobs(run).stream()).toList();
    }

    private static void assertCompletedWithResults(Ledger ledger, String runId, Plan plan) throws IOException {
        for (PlannedJob planned : plan.jobs()) {
            JobRecord job = ledger.jobs().job(runId, planned.jobKey()).orElseThrow();
            assertThat(job.state()).as("job %s (Slurm %s): %s", job.jobKey(), job.slurmJobId(), job.reason())
                    .isEqualTo(JobState.COMPLETED);
            assertThat(job.exitCode()).isZero();
            assertThat(job.startedAt()).isNotNull();
            assertThat(job.endedAt()).isAfterOrEqualTo(job.startedAt());
            JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
            assertThat(dir.root().resolve("slurm.json")).isRegularFile();
            assertThat(dir.exitCode()).hasValue(0);
            try (Stream<Path> files = Files.list(dir.results())) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                for (int concurrency : planned.concurrencies()) {
                    assertThat(names).as("results of job %s", job.jobKey()).contains("results_concurrency_"
                            + concurrency + "_gpus_" + planned.topology().totalGpus() + ".json");
                }
            }
        }
    }
}
