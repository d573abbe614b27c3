package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.JobDetails;
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

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A profile's limits on the real ledger and the fake Slurm: jobs over a limit stay PLANNED with the reason, and go
 * as slots free, in plan order, oldest run first. The counts come from the ledger, so a new submitter (a restarted
 * daemon) respects them too.
 */
class JobSubmitterLimitsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");
    private static final String QUEUE_FULL = "waiting for a slot: 2 of 2 jobs queued on profile local";
    private static final String MINUTE_FULL =
            "waiting for a slot: 2 submissions in the last minute on profile local (limit 2)";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private final CommandRunner runner = new CommandRunner(fake);
    private Ledger ledger;
    private String older;
    private String newer;

    @BeforeEach
    void recordTwoRuns() {
        ledger = InMemoryLedger.open(clock);
        // The older run sorts after the newer by name, so only the recording time can put it first.
        older = Runs.record(ledger, home.resolve("outputs"), "weekly", T0, 2);
        clock.advance(Duration.ofSeconds(1));
        newer = Runs.record(ledger, home.resolve("outputs"), "nightly", clock.instant(), 3);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private JobSubmitter submitter(Integer maxQueued, Integer perMinute) {
        SlurmClient slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
        ClusterProfile.Limits limits = new ClusterProfile.Limits(maxQueued, perMinute);
        return new JobSubmitter(ledger.jobs(), slurm, clock,
                profile -> profile.equals("local") ? limits : ClusterProfile.Limits.UNLIMITED);
    }

    private List<JobRecord> allJobs() {
        return java.util.stream.Stream.concat(ledger.jobs().jobs(older).stream(), ledger.jobs().jobs(newer).stream())
                .toList();
    }

    private List<JobRecord> planned() {
        return allJobs().stream().filter(j -> j.state() == JobState.PLANNED).toList();
    }

    private long holdEvents() {
        return allJobs().stream().flatMap(j -> ledger.jobs().events(j.runId(), j.jobKey()).stream())
                .filter(e -> e.fromState() == JobState.PLANNED && e.toState() == JobState.PLANNED)
                .count();
    }

    private void end(JobRecord job) {
        ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PENDING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 0));
    }

    @Test
    void aLimitOfTwoQueuedSubmitsTwoOfFiveInPlanOrderAndTheRestWaitWithTheReason() {
        JobSubmitter submitter = submitter(2, null);

        List<JobRecord> submitted = submitter.submitDue();

        assertThat(submitted).extracting(JobRecord::runId, JobRecord::jobKey)
                .as("the older run's jobs first, in plan order")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(older, key(0)),
                        org.assertj.core.groups.Tuple.tuple(older, key(1)));
        assertThat(runner.invocations("sbatch")).isEqualTo(2);
        assertThat(planned()).hasSize(3).extracting(JobRecord::reason).containsOnly(QUEUE_FULL);
    }

    @Test
    void theWaitingReasonIsWrittenOnceNotEveryCycle() {
        JobSubmitter submitter = submitter(2, null);
        submitter.submitDue();
        assertThat(holdEvents()).isEqualTo(3);

        for (int cycle = 0; cycle < 5; cycle++) {
            clock.advance(Duration.ofSeconds(2));
            assertThat(submitter.submitDue()).isEmpty();
        }

        assertThat(holdEvents()).as("one event per held job, not one per cycle").isEqualTo(3);
        assertThat(runner.invocations("sbatch")).isEqualTo(2);
    }

    @Test
    void whenAQueuedJobEndsTheNextPlannedJobGoesAndItsReasonIsCleared() {
        JobSubmitter submitter = submitter(2, null);
        submitter.submitDue();

        end(job(ledger, older, key(0)));
        clock.advance(Duration.ofSeconds(2));
        List<JobRecord> next = submitter.submitDue();

        assertThat(next).extracting(JobRecord::runId, JobRecord::jobKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(newer, key(0)));
        JobRecord went = job(ledger, newer, key(0));
        assertThat(went.state()).isEqualTo(JobState.PENDING);
        assertThat(went.reason()).isNull();
        assertThat(planned()).hasSize(2).extracting(JobRecord::reason).containsOnly(QUEUE_FULL);
    }

    @Test
    void thePerMinuteLimitReleasesJobsAsTheMinutePasses() {
        JobSubmitter submitter = submitter(null, 2);

        assertThat(submitter.submitDue()).hasSize(2);
        assertThat(planned()).hasSize(3).extracting(JobRecord::reason).containsOnly(MINUTE_FULL);

        clock.advance(Duration.ofSeconds(59));
        assertThat(submitter.submitDue()).as("the first two were submitted under a minute ago").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).extracting(JobRecord::jobKey).containsExactly(key(0), key(1));
        assertThat(planned()).singleElement().extracting(JobRecord::reason).isEqualTo(MINUTE_FULL);

        clock.advance(Duration.ofSeconds(60));
        assertThat(submitter.submitDue()).extracting(JobRecord::jobKey).containsExactly(key(2));
        assertThat(runner.invocations("sbatch")).isEqualTo(5);
    }

    @Test
    void aRestartedSubmitterRespectsTheQueuedJobsOnRecord() {
        submitter(2, null).submitDue();

        JobSubmitter restarted = submitter(2, null);
        clock.advance(Duration.ofMinutes(5));

        assertThat(restarted.submitDue()).isEmpty();
        assertThat(runner.invocations("sbatch")).isEqualTo(2);
        assertThat(planned()).hasSize(3).extracting(JobRecord::reason).containsOnly(QUEUE_FULL);
    }

    @Test
    void aRestartedSubmitterRespectsTheSubmissionsOfTheLastMinuteOnRecord() {
        submitter(null, 2).submitDue();

        clock.advance(Duration.ofSeconds(30));
        JobSubmitter restarted = submitter(null, 2);
        assertThat(restarted.submitDue()).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(restarted.submitDue()).hasSize(2);
        assertThat(runner.invocations("sbatch")).isEqualTo(4);
    }

    @Test
    void aRefusedSubmissionCountsAgainstTheMinuteButFreesItsQueueSlot() {
        fake.sbatchFails(1, FakeSlurm.SBATCH_INVALID_PARTITION);
        JobSubmitter submitter = submitter(1, 2);

        List<JobRecord> submitted = submitter.submitDue();

        assertThat(job(ledger, older, key(0)).state()).isEqualTo(JobState.SUBMIT_FAILED);
        assertThat(submitted).extracting(JobRecord::jobKey).as("the refused job took no queue slot")
                .containsExactly(key(1));
        assertThat(planned()).hasSize(3).extracting(JobRecord::reason)
                .containsOnly("waiting for a slot: 1 of 1 jobs queued on profile local");
    }

    @Test
    void withoutLimitsEveryPlannedJobGoesAndNoneIsHeld() {
        assertThat(submitter(null, null).submitDue()).hasSize(5);
        assertThat(holdEvents()).isZero();
    }

    @Test
    void theRunSummaryCountsThePlannedJobsWaitingForASlot() {
        submitter(2, null).submitDue();
        SweepStatus status = new SweepStatus(ledger, clock);

        assertThat(status.summary(ledger.runs().run(older).orElseThrow()).waitingForSlot()).isZero();
        SweepStatus.RunSummary weekly = status.summary(ledger.runs().run(newer).orElseThrow());
        assertThat(weekly.waitingForSlot()).isEqualTo(3);
        assertThat(weekly.count(JobState.PLANNED)).isEqualTo(3);

        end(job(ledger, older, key(0)));
        submitter(2, null).submitDue();
        assertThat(status.summary(ledger.runs().run(newer).orElseThrow()).waitingForSlot()).isEqualTo(2);
    }

    @Test
    void aPlannedJobWithAnotherReasonIsNotCountedAsWaitingForASlot() {
        fake.sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN);
        submitter(null, null).submitDue();

        assertThat(job(ledger, older, key(0)).reason()).startsWith("sbatch refused for now");
        assertThat(new SweepStatus(ledger, clock).summary(ledger.runs().run(older).orElseThrow()).waitingForSlot())
                .isZero();
    }
}
