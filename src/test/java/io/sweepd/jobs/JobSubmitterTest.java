package io.sweepd.jobs;

import ch.qos.logback.classic.Level;
import io.sweepd.InMemoryLedger;
import io.sweepd.LogLines;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

class JobSubmitterTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private final CommandRunner runner = new CommandRunner(fake);
    private Ledger ledger;
    private JobSubmitter submitter;
    private String runId;

    @BeforeEach
    void recordOneJob() {
        ledger = InMemoryLedger.open(clock);
        SlurmClient slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
        submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    @Test
    void aPlannedJobIsSubmittingWhileSbatchRunsAndPendingWithItsSlurmIdAfter() {
        List<JobRecord> duringSbatch = new ArrayList<>();
        fake.duringSbatch(spec -> duringSbatch.add(job(ledger, runId, key(0))));

        List<JobRecord> submitted = submitter.submitDue();

        assertThat(submitted).extracting(JobRecord::jobKey).containsExactly(key(0));
        assertThat(duringSbatch).singleElement().satisfies(j -> {
            assertThat(j.state()).isEqualTo(JobState.SUBMITTING);
            assertThat(j.jobName()).isEqualTo(JobNames.attempt(runId, key(0), 1));
            assertThat(j.slurmJobId()).isNull();
        });
        JobRecord after = job(ledger, runId, key(0));
        assertThat(after.state()).isEqualTo(JobState.PENDING);
        assertThat(after.slurmJobId()).isEqualTo("100");
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(after.submittedAt()).isEqualTo(T0);
        assertThat(ledger.jobs().events(runId, key(0))).extracting(EventRecord::toState)
                .containsExactly(JobState.PLANNED, JobState.SUBMITTING, JobState.PENDING);
    }

    @Test
    void sbatchIsGivenTheAttemptsNameAndTheRenderedScript() {
        submitter.submitDue();

        Path script = home.resolve("outputs").resolve(runId).resolve(key(0)).resolve("job.sbatch");
        assertThat(fake.argvs("sbatch")).containsExactly(List.of("sbatch", "--parsable",
                "--job-name=" + JobNames.attempt(runId, key(0), 1), script.toString()));
        assertThat(JobNames.attempt(runId, key(0), 1)).startsWith(JobNames.PREFIX + key(0) + "-").endsWith("-a1");
    }

    @Test
    void aSubmittedJobIsNotSubmittedAgain() {
        submitter.submitDue();
        clock.advance(Duration.ofHours(1));

        assertThat(submitter.submitDue()).isEmpty();

        assertThat(runner.invocations("sbatch")).isEqualTo(1);
    }

    @Test
    void aTransientRefusalGoesBackToPlannedAndIsRetriedOnlyOnceItsBackoffPassed() {
        fake.sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN);

        assertThat(submitter.submitDue()).isEmpty();

        JobRecord refused = job(ledger, runId, key(0));
        assertThat(refused.state()).isEqualTo(JobState.PLANNED);
        assertThat(refused.reason()).contains("Unable to contact slurm controller").contains("retrying in 5 s");
        assertThat(JobSubmitter.backoff(1)).isEqualTo(Duration.ofSeconds(5));

        submitter.submitDue();
        clock.advance(Duration.ofSeconds(4));
        submitter.submitDue();
        assertThat(runner.invocations("sbatch")).as("sbatch runs again before the backoff passed").isEqualTo(1);
        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.PLANNED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).hasSize(1);

        assertThat(runner.invocations("sbatch")).isEqualTo(2);
        JobRecord retried = job(ledger, runId, key(0));
        assertThat(retried.state()).isEqualTo(JobState.PENDING);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.jobName()).isEqualTo(JobNames.attempt(runId, key(0), 2));
        assertThat(fake.argvs("sbatch").get(1)).contains("--job-name=" + JobNames.attempt(runId, key(0), 2));
    }

    @Test
    void aPermanentRefusalEndsSubmitFailedWithSlurmsMessageAndIsNeverRetried() {
        fake.sbatchFails(1, FakeSlurm.SBATCH_INVALID_PARTITION);

        submitter.submitDue();

        JobRecord failed = job(ledger, runId, key(0));
        assertThat(failed.state()).isEqualTo(JobState.SUBMIT_FAILED);
        assertThat(failed.reason())
                .contains("sbatch: error: Batch job submission failed: Invalid partition name specified");
        clock.advance(Duration.ofHours(2));
        submitter.submitDue();
        assertThat(runner.invocations("sbatch")).isEqualTo(1);
    }

    @Test
    void aTransientAnswerThatMayHaveCreatedTheJobStaysSubmittingAndIsNotSubmittedAgain() {
        fake.sbatchFails(1, FakeSlurm.SBATCH_SOCKET_TIMEOUT);

        submitter.submitDue();

        JobRecord unclear = job(ledger, runId, key(0));
        assertThat(unclear.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(unclear.jobName()).isEqualTo(JobNames.attempt(runId, key(0), 1));
        assertThat(submitter.inFlight(unclear)).as("sbatch has answered: no longer in flight").isFalse();
        clock.advance(Duration.ofHours(1));
        submitter.submitDue();
        assertThat(runner.invocations("sbatch")).isEqualTo(1);
    }

    @Test
    void anSbatchThatTimedOutStaysSubmitting() {
        fake.sbatchTimesOut();

        submitter.submitDue();

        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.SUBMITTING);
    }

    @Test
    void afterMaxTransientAttemptsTheJobIsGivenUp() {
        for (int i = 0; i < JobSubmitter.MAX_TRANSIENT_ATTEMPTS; i++) {
            fake.sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN);
        }

        for (int attempt = 1; attempt <= JobSubmitter.MAX_TRANSIENT_ATTEMPTS; attempt++) {
            assertThat(job(ledger, runId, key(0)).state()).as("before attempt %d", attempt).isEqualTo(JobState.PLANNED);
            submitter.submitDue();
            assertThat(runner.invocations("sbatch")).isEqualTo(attempt);
            clock.advance(JobSubmitter.backoff(attempt));
        }

        JobRecord gaveUp = job(ledger, runId, key(0));
        assertThat(gaveUp.state()).isEqualTo(JobState.SUBMIT_FAILED);
        assertThat(gaveUp.attempt()).isEqualTo(JobSubmitter.MAX_TRANSIENT_ATTEMPTS);
        assertThat(gaveUp.reason()).contains("gave up after " + JobSubmitter.MAX_TRANSIENT_ATTEMPTS
                + " transient sbatch refusals").contains("Unable to contact slurm controller");
        clock.advance(Duration.ofDays(1));
        submitter.submitDue();
        assertThat(runner.invocations("sbatch")).isEqualTo(JobSubmitter.MAX_TRANSIENT_ATTEMPTS);
    }

    @Test
    void theBackoffDoublesUpToTenMinutes() {
        assertThat(List.of(1, 2, 3, 4, 8, 11, 40)).extracting(JobSubmitter::backoff).containsExactly(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofSeconds(600), Duration.ofSeconds(600), Duration.ofSeconds(600));
    }

    @Test
    void anUnreachableControllerCostsOneSqueueAndNoSbatchPerCycle() {
        String second = Runs.record(ledger, home.resolve("outputs"), "weekly", T0.plusSeconds(1), 4);
        fake.controllerDown(true);

        try (LogLines log = LogLines.of(JobSubmitter.class)) {
            assertThat(submitter.submitDue()).isEmpty();

            assertThat(runner.invocations("squeue")).isEqualTo(1);
            assertThat(runner.invocations("sbatch")).as("whether the jobs exist is unknown: none is submitted")
                    .isZero();
            assertThat(log.at(Level.WARN)).singleElement().asString()
                    .contains("Slurm cannot say whether jobs of 5 planned job(s) already exist");
        }
        assertThat(ledger.jobs().jobs(second)).extracting(JobRecord::state, JobRecord::attempt)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(JobState.PLANNED, 0));

        fake.controllerDown(false);
        assertThat(submitter.submitDue()).as("all five, once Slurm answers again").hasSize(5);
        assertThat(runner.invocations("sbatch")).isEqualTo(5);
    }

    @Test
    void aControllerThatRefusesSbatchCostsOneSbatchPerCycleNotOnePerPlannedJob() {
        String second = Runs.record(ledger, home.resolve("outputs"), "weekly", T0.plusSeconds(1), 4);
        fake.sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN).sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN);

        try (LogLines log = LogLines.of(JobSubmitter.class)) {
            assertThat(submitter.submitDue()).isEmpty();

            assertThat(runner.invocations("sbatch")).isEqualTo(1);
            assertThat(log.at(Level.WARN)).singleElement().asString()
                    .contains("sbatch refused for now (sbatch: error: Batch job submission failed: Unable to contact"
                            + " slurm controller (connect failure)); retrying in 5 s")
                    .endsWith("; 4 more planned job(s) wait for the next cycle");
        }
        assertThat(ledger.jobs().jobs(second)).extracting(JobRecord::state, JobRecord::attempt)
                .as("jobs not offered keep their state and attempt count")
                .containsOnly(org.assertj.core.groups.Tuple.tuple(JobState.PLANNED, 0));

        submitter.submitDue(); // the first job backs off; the next one due is offered, alone
        assertThat(runner.invocations("sbatch")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(5));
        assertThat(submitter.submitDue()).as("all five, once sbatch answers again").hasSize(5);
    }

    @Test
    void aFailureOfSweepdsOwnWhileSubmittingIsLoggedWithTheJobsIdsAndEndsTheCycle() {
        String second = Runs.record(ledger, home.resolve("outputs"), "other", T0.plusSeconds(1), 1);
        fake.duringSbatch(spec -> {
            throw new IllegalStateException("simulated failure around sbatch");
        });

        try (LogLines log = LogLines.of(JobSubmitter.class)) {
            assertThat(submitter.submitDue()).isEmpty();
            assertThat(log.at(Level.WARN)).anySatisfy(line -> assertThat(line).contains(runId).contains(key(0))
                    .contains("simulated failure around sbatch").contains("2 job(s) wait for the next cycle"));
        }
        // The claimed job is the tracker's to reconcile by name; the other was not touched.
        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(ledger, second, key(0)).state()).isEqualTo(JobState.PLANNED);

        fake.duringSbatch(spec -> { });
        assertThat(submitter.submitDue()).extracting(JobRecord::runId).containsExactly(second);
    }
}
