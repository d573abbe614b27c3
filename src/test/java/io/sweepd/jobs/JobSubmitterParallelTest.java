package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.profiles.ClusterProfile;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The submitter running sbatch calls side by side (FakeSlurm counts how many run at once): never more than the
 * parallelism, never more than a profile's limits allow, every job claimed in the ledger before its sbatch, every
 * accepted job recorded with its own id, and a transient refusal stopping the cycle with the jobs not yet handed to
 * sbatch left as they were.
 */
class JobSubmitterParallelTest {

    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private final CommandRunner runner = new CommandRunner(fake);
    private Ledger ledger;
    private SlurmClient slurm;

    @BeforeEach
    void openLedger() {
        ledger = InMemoryLedger.open(clock);
        slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private JobSubmitter submitter(int parallelism, ClusterProfile.Limits limits) {
        return new JobSubmitter(ledger.jobs(), slurm, clock, profile -> limits, parallelism);
    }

    private String record(int jobs) {
        return Runs.record(ledger, home.resolve("outputs"), "nightly", T0, jobs);
    }

    /** The job sbatch was called for, from the attempt's name the call carries. */
    private JobRecord jobOf(String runId, CommandSpec sbatch) {
        String name = sbatch.argv().stream().filter(a -> a.startsWith("--job-name=")).findFirst().orElseThrow()
                .substring("--job-name=".length());
        return ledger.jobs().jobs(runId).stream().filter(j -> name.equals(j.jobName())).findFirst()
                .orElseThrow(() -> new AssertionError("no job named " + name + " in the ledger during its sbatch"));
    }

    /**
     * sbatch calls after the first wait at a gate until the test opens it, so calls pile up as far as the submitter
     * lets them (the first goes through: a cycle waits for Slurm's first answer before it widens).
     */
    private static final class Gate implements Consumer<CommandSpec> {
        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void accept(CommandSpec spec) {
            if (calls.incrementAndGet() == 1) {
                return;
            }
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void open() {
            open.countDown();
        }
    }

    @Test
    void atMostParallelismSbatchCallsRunAtOnceAndAllOfThemAreUsed() {
        String runId = record(30);
        Gate gate = new Gate();
        fake.duringSbatch(gate);
        JobSubmitter submitter = submitter(3, ClusterProfile.Limits.UNLIMITED);

        CompletableFuture<List<JobRecord>> cycle = CompletableFuture.supplyAsync(submitter::submitDue);
        await().atMost(Duration.ofSeconds(30)).until(() -> fake.sbatchRunning() == 3);
        gate.open();
        List<JobRecord> submitted = cycle.join();

        assertThat(submitted).hasSize(30);
        assertThat(fake.mostSbatchAtOnce()).isEqualTo(3);
        assertThat(submitted).extracting(JobRecord::jobKey).as("returned in plan order")
                .containsExactlyElementsOf(ledger.jobs().jobs(runId).stream().map(JobRecord::jobKey).toList());
    }

    @Test
    void everyAcceptedJobIsPendingWithTheIdSbatchGaveItsOwnName() {
        String runId = record(50);

        assertThat(submitter(4, ClusterProfile.Limits.UNLIMITED).submitDue()).hasSize(50);

        Map<String, String> idByName = fake.submissions().stream()
                .collect(Collectors.toMap(FakeSlurm.Submission::jobName, FakeSlurm.Submission::jobId));
        assertThat(idByName).hasSize(50);
        for (JobRecord job : ledger.jobs().jobs(runId)) {
            assertThat(job.state()).isEqualTo(JobState.PENDING);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.slurmJobId()).as(job.jobKey()).isEqualTo(idByName.get(job.jobName()));
            assertThat(ledger.jobs().events(runId, job.jobKey())).extracting(EventRecord::toState)
                    .containsExactly(JobState.PLANNED, JobState.SUBMITTING, JobState.PENDING);
        }
        assertThat(runner.invocations("sbatch")).isEqualTo(50);
    }

    @Test
    void everyJobIsSubmittingInTheLedgerUnderItsAttemptsNameAndInFlightWhileItsSbatchRuns() {
        String runId = record(24);
        JobSubmitter submitter = submitter(4, ClusterProfile.Limits.UNLIMITED);
        Map<String, JobRecord> seen = new ConcurrentHashMap<>();
        Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
        fake.duringSbatch(spec -> {
            JobRecord job = jobOf(runId, spec);
            seen.put(job.jobKey(), job);
            inFlight.put(job.jobKey(), submitter.inFlight(job));
        });

        submitter.submitDue();

        assertThat(seen).hasSize(24);
        assertThat(seen.values()).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUBMITTING);
            assertThat(job.jobName()).isEqualTo(JobNames.attempt(runId, job.jobKey(), 1));
            assertThat(job.slurmJobId()).isNull();
        });
        assertThat(inFlight).as("the tracker must leave them alone").containsOnlyKeys(seen.keySet())
                .doesNotContainValue(false);
        assertThat(ledger.jobs().jobs(runId)).noneMatch(submitter::inFlight);
    }

    @Test
    void aQueueLimitIsExactWhileCallsRunSideBySide() {
        String runId = record(20);
        Gate gate = new Gate();
        fake.duringSbatch(gate);
        JobSubmitter submitter = submitter(4, new ClusterProfile.Limits(5, null));

        CompletableFuture<List<JobRecord>> cycle = CompletableFuture.supplyAsync(submitter::submitDue);
        await().atMost(Duration.ofSeconds(30)).until(() -> fake.sbatchRunning() == 4);
        gate.open();

        assertThat(cycle.join()).hasSize(5);
        assertThat(runner.invocations("sbatch")).isEqualTo(5);
        assertThat(fake.mostSbatchAtOnce()).isEqualTo(4);
        assertThat(ledger.jobs().jobs(runId)).filteredOn(j -> j.state() == JobState.PLANNED).hasSize(15)
                .extracting(JobRecord::reason).containsOnly("waiting for a slot: 5 of 5 jobs queued on profile local");
        assertThat(ledger.jobs().jobs(runId)).filteredOn(j -> j.state() == JobState.PLANNED)
                .extracting(JobRecord::jobKey).as("the first five in plan order went")
                .doesNotContain(Runs.key(0), Runs.key(1), Runs.key(2), Runs.key(3), Runs.key(4));
    }

    @Test
    void aPerMinuteLimitIsExactWhileCallsRunSideBySide() {
        record(20);
        JobSubmitter submitter = submitter(4, new ClusterProfile.Limits(null, 6));

        assertThat(submitter.submitDue()).hasSize(6);
        clock.advance(Duration.ofSeconds(30));
        assertThat(submitter.submitDue()).isEmpty();

        assertThat(runner.invocations("sbatch")).isEqualTo(6);
        clock.advance(Duration.ofSeconds(31));
        assertThat(submitter.submitDue()).hasSize(6);
        assertThat(runner.invocations("sbatch")).isEqualTo(12);
    }

    @Test
    void aTransientRefusalMidBatchStartsNoFurtherSbatchAndLeavesTheJobsNotHandedToSbatchAsTheyWere() {
        String runId = record(40);
        AtomicInteger calls = new AtomicInteger();
        fake.duringSbatch(spec -> {
            if (calls.incrementAndGet() >= 6) {
                fake.controllerDown(true);
            }
        });
        JobSubmitter submitter = submitter(2, ClusterProfile.Limits.UNLIMITED);

        List<JobRecord> submitted = submitter.submitDue();

        int sbatchCalls = (int) runner.invocations("sbatch");
        assertThat(sbatchCalls).as("the refused call and at most one running beside it after five accepted")
                .isBetween(6, 7);
        assertThat(submitted).hasSize(5);
        List<JobRecord> all = ledger.jobs().jobs(runId);
        assertThat(all).noneMatch(j -> j.state() == JobState.SUBMITTING).noneMatch(submitter::inFlight);
        assertThat(all).filteredOn(j -> j.state() == JobState.PENDING).hasSize(5);
        assertThat(all).filteredOn(j -> j.state() == JobState.PLANNED && j.attempt() == 1)
                .as("refused for now, with the backoff").hasSize(sbatchCalls - 5)
                .allSatisfy(j -> assertThat(j.reason()).startsWith("sbatch refused for now").contains("retrying in 5 s"));
        List<JobRecord> untouched = all.stream().filter(j -> j.state() == JobState.PLANNED && j.attempt() == 0)
                .toList();
        assertThat(untouched).hasSize(40 - sbatchCalls).allSatisfy(j -> {
            assertThat(j.jobName()).isNull();
            assertThat(j.reason()).isNull();
            assertThat(j.submitStartedAt()).isNull();
        });
        assertThat(ledger.jobs().submissionsStartedAfter(T0.minusSeconds(1)))
                .as("only the calls sbatch received count against a profile's minute").containsEntry("local", sbatchCalls);

        fake.duringSbatch(spec -> { }).controllerDown(false);
        clock.advance(Duration.ofSeconds(5));
        assertThat(submitter.submitDue()).as("the rest go once sbatch answers again").hasSize(40 - 5);
        assertThat(ledger.jobs().jobs(runId)).allMatch(j -> j.state() == JobState.PENDING);
    }

    @Test
    void aParallelismBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> submitter(0, ClusterProfile.Limits.UNLIMITED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
