package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once against a ledger that lost writes: before sbatch, the submitter asks Slurm (one squeue, then one sacct)
 * whether a job of the name it would give already exists, and tracks that job instead of submitting again.
 */
class JobSubmitterAdoptionTest {

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
    void recordThreeJobs() {
        ledger = InMemoryLedger.open(clock);
        SlurmClient slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
        submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 3);
        clock.advance(Duration.ofMinutes(1));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private String firstAttempt(int index) {
        return JobNames.attempt(runId, key(index), 1);
    }

    @Test
    void aJobSqueueHoldsUnderTheNameOfTheNextAttemptIsTrackedNotSubmittedAgain() {
        // The ledger lost the claim and the answer: the job is PLANNED here, but Slurm runs it.
        fake.running("4242", firstAttempt(1), T0.plusSeconds(5));

        List<JobRecord> submitted = submitter.submitDue();

        assertThat(submitted).extracting(JobRecord::jobKey).containsExactlyInAnyOrder(key(0), key(1), key(2));
        assertThat(fake.submissions()).extracting(FakeSlurm.Submission::jobName)
                .containsExactlyInAnyOrder(firstAttempt(0), firstAttempt(2));
        JobRecord adopted = job(ledger, runId, key(1));
        assertThat(adopted.state()).isEqualTo(JobState.PENDING);
        assertThat(adopted.slurmJobId()).isEqualTo("4242");
        assertThat(adopted.jobName()).isEqualTo(firstAttempt(1));
        assertThat(runner.invocations("squeue")).as("one squeue for all three names").isEqualTo(1);
        assertThat(fake.argvs("squeue").get(0)).contains("--name=" + firstAttempt(0) + "," + firstAttempt(1) + ","
                + firstAttempt(2));
        assertThat(fake.argvs("sacct")).as("one sacct for the names squeue does not hold").singleElement()
                .satisfies(argv -> assertThat(argv).contains("--name=" + firstAttempt(0) + "," + firstAttempt(2))
                        .anySatisfy(arg -> assertThat(arg).startsWith("--starttime=2026-11-27T21:5")));
    }

    @Test
    void aJobOnlyAccountingRemembersIsTrackedNotSubmittedAgain() {
        // Long finished and purged from slurmctld: only sacct knows it. The ledger was restored from an old backup.
        fake.accounted("777", firstAttempt(0), "COMPLETED", "0:0", T0.plusSeconds(5), T0.plusSeconds(50));

        submitter.submitDue();

        JobRecord adopted = job(ledger, runId, key(0));
        assertThat(adopted.state()).isEqualTo(JobState.PENDING);
        assertThat(adopted.slurmJobId()).as("the tracker finds it ended through sacct").isEqualTo("777");
        assertThat(fake.submissions()).extracting(FakeSlurm.Submission::jobName)
                .containsExactlyInAnyOrder(firstAttempt(1), firstAttempt(2));
        assertThat(ledger.jobs().events(runId, key(0))).last().satisfies(event ->
                assertThat(event.message()).contains("777"));
    }

    @Test
    void withNoJobOfTheNameEveryJobIsSubmittedAfterOneSqueueAndOneSacct() {
        submitter.submitDue();

        assertThat(fake.submissions()).hasSize(3);
        assertThat(runner.invocations("squeue")).isEqualTo(1);
        assertThat(runner.invocations("sacct")).isEqualTo(1);
        assertThat(ledger.jobs().jobs(runId)).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.PENDING);
            assertThat(job.attempt()).isEqualTo(1);
        });
        assertThat(fake.calls().get(fake.calls().size() - 1).executableName()).isEqualTo("sbatch");
    }

    @Test
    void aJobWhoseSbatchAnswerWasLostIsFoundUnderItsLastAttemptsName() {
        // sbatch timed out (no answer); the tracker found nothing and planned it again, then the controller created
        // the job it had been sent after all.
        fake.sbatchTimesOut();
        submitter.submitDue();
        JobRecord unclear = job(ledger, runId, key(0));
        assertThat(unclear.state()).isEqualTo(JobState.SUBMITTING);
        ledger.jobs().backToPlanned(runId, key(0), "no Slurm job named " + unclear.jobName());
        fake.pending("900", firstAttempt(0), "Priority");

        submitter.submitDue();

        JobRecord adopted = job(ledger, runId, key(0));
        assertThat(adopted.state()).isEqualTo(JobState.PENDING);
        assertThat(adopted.slurmJobId()).isEqualTo("900");
        assertThat(fake.submissions()).extracting(FakeSlurm.Submission::jobName)
                .doesNotContain(firstAttempt(0), JobNames.attempt(runId, key(0), 2));
    }

    @Test
    void aStopStartsNoFurtherSbatchAndWaitsForTheCallsRunning() throws Exception {
        CountDownLatch inSbatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fake.duringSbatch(spec -> {
            inSbatch.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread cycle = new Thread(submitter::submitDue);
        cycle.start();
        assertThat(inSbatch.await(30, TimeUnit.SECONDS)).isTrue();

        submitter.stop(Duration.ofSeconds(30));
        release.countDown();
        cycle.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(cycle.isAlive()).isFalse();
        assertThat(fake.submissions()).as("the call running answered; no other started").hasSize(1);
        assertThat(ledger.jobs().jobs(runId)).filteredOn(j -> j.state() == JobState.PENDING).singleElement()
                .satisfies(j -> assertThat(j.slurmJobId()).isEqualTo("100"));
        assertThat(ledger.jobs().jobs(runId)).filteredOn(j -> j.state() == JobState.PLANNED).hasSize(2);
        assertThat(submitter.submitDue()).as("a stopped submitter submits nothing").isEmpty();
    }

    @Test
    void aStopWhoseWaitEndsLeavesTheRunningCallsJobSubmittingForTheNextStart() throws Exception {
        CountDownLatch inSbatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fake.duringSbatch(spec -> {
            inSbatch.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread cycle = new Thread(submitter::submitDue);
        cycle.start();
        assertThat(inSbatch.await(30, TimeUnit.SECONDS)).isTrue();

        submitter.stop(Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> !cycle.isAlive());
        release.countDown();

        JobRecord left = ledger.jobs().jobs(runId).stream().filter(j -> j.state() == JobState.SUBMITTING)
                .findFirst().orElseThrow();
        assertThat(submitter.inFlight(left)).as("no longer in flight: the tracker reconciles it by name").isFalse();
        assertThat(left.jobName()).isEqualTo(JobNames.attempt(runId, left.jobKey(), 1));
        assertThat(ledger.jobs().jobsInState(JobState.SUBMITTING)).hasSize(1);
    }
}
