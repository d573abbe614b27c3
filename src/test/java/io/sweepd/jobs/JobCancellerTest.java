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

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobCancellerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private final CommandRunner runner = new CommandRunner(fake);
    private Ledger ledger;
    private SlurmClient slurm;
    private JobCanceller canceller;

    @BeforeEach
    void wire() {
        ledger = InMemoryLedger.open(clock);
        slurm = new SlurmClient(runner, SlurmTimeouts.defaults(), "root", clock);
        canceller = new JobCanceller(ledger, slurm);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private String record(String sweep, int jobs) {
        String runId = Runs.record(ledger, home.resolve("outputs"), sweep, clock.instant(), jobs);
        clock.advance(Duration.ofMinutes(1));
        return runId;
    }

    @Test
    void aPlannedJobIsCancelledInTheLedgerWithoutScancel() {
        String run = record("nightly", 1);

        List<String> done = canceller.cancel(run, "alice");

        assertThat(done).containsExactly(run + " " + key(0) + ": cancelled before submission");
        assertThat(job(ledger, run, key(0)).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job(ledger, run, key(0)).reason()).isEqualTo("cancelled by alice before submission");
        assertThat(runner.invocations("scancel")).isZero();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aCancelledPlannedJobIsNeverSubmitted() {
        String run = record("nightly", 1);
        canceller.cancel(run, "alice");

        new JobSubmitter(ledger.jobs(), slurm, clock).submitDue();

        assertThat(runner.invocations("sbatch")).isZero();
    }

    @Test
    void aRunningJobGetsScancelWithItsSlurmIdAndEndsCancelledWhenSlurmSaysSo() {
        String run = record("nightly", 1);
        Runs.running(ledger, run, key(0), "4242", T0);

        List<String> done = canceller.cancel(run, "alice");

        assertThat(done).containsExactly(run + " " + key(0) + ": scancel 4242");
        assertThat(fake.argvs("scancel")).containsExactly(List.of("scancel", "4242"));
        assertThat(job(ledger, run, key(0)).state()).as("the tracker records what Slurm reports")
                .isEqualTo(JobState.RUNNING);

        String name = JobNames.attempt(run, key(0), 1);
        fake.ended("4242", name, "CANCELLED", "None", T0, T0.plusSeconds(70))
                .accounted("4242", name, "CANCELLED by 0", "0:15", T0, T0.plusSeconds(70));
        JobSubmitter submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        new JobTracker(ledger.jobs(), slurm, submitter, clock).poll();
        assertThat(job(ledger, run, key(0)).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void byRunIdEveryUnfinishedJobOfTheRunIsCancelledAndFinishedOnesAreLeftAlone() {
        String run = record("nightly", 4);
        Runs.submitted(ledger, run, key(1), "101");
        Runs.running(ledger, run, key(2), "102", T0);
        Runs.completed(ledger, run, key(3), "103", T0, T0.plusSeconds(30));
        String other = record("weekly", 1);
        Runs.running(ledger, other, key(0), "200", T0);

        List<String> done = canceller.cancel(run, "alice");

        assertThat(done).hasSize(3);
        assertThat(fake.cancelled()).containsExactlyInAnyOrder("101", "102");
        assertThat(job(ledger, run, key(0)).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job(ledger, run, key(3)).state()).isEqualTo(JobState.COMPLETED);
        assertThat(job(ledger, other, key(0)).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aRunsSubmittedJobsAreCancelledInOneScancelCallAndEachEndsCancelledAsSlurmReportsIt() {
        int count = 40;
        String run = record("nightly", count);
        for (int i = 0; i < count; i++) {
            Runs.running(ledger, run, key(i), String.valueOf(7000 + i), T0);
        }

        List<String> done = canceller.cancel(run, "alice");

        assertThat(fake.argvs("scancel")).as("one call for all of them").hasSize(1);
        assertThat(fake.cancelled()).hasSize(count).doesNotHaveDuplicates();
        assertThat(done).hasSize(count).contains(run + " " + key(0) + ": scancel 7000",
                run + " " + key(count - 1) + ": scancel " + (7000 + count - 1));
        assertThat(ledger.jobs().jobs(run)).extracting(JobRecord::state).as("the tracker records what Slurm reports")
                .containsOnly(JobState.RUNNING);

        for (int i = 0; i < count; i++) {
            String name = JobNames.attempt(run, key(i), 1);
            String id = String.valueOf(7000 + i);
            fake.ended(id, name, "CANCELLED", "None", T0, T0.plusSeconds(70))
                    .accounted(id, name, "CANCELLED by 0", "0:15", T0, T0.plusSeconds(70));
        }
        new JobTracker(ledger.jobs(), slurm, new JobSubmitter(ledger.jobs(), slurm, clock), clock).poll();
        assertThat(ledger.jobs().jobs(run)).extracting(JobRecord::state).containsOnly(JobState.CANCELLED);
    }

    @Test
    void aScancelThatFailedIsSaidForEachJobItNamed() {
        String run = record("nightly", 2);
        Runs.running(ledger, run, key(0), "800", T0);
        Runs.running(ledger, run, key(1), "801", T0);
        fake.scancelFails("scancel: error: Unable to contact slurm controller (connect failure)\n");

        List<String> done = canceller.cancel(run, "alice");

        assertThat(done).containsExactly(
                run + " " + key(0) + ": scancel 800 failed (scancel: error: Unable to contact slurm controller"
                        + " (connect failure))",
                run + " " + key(1) + ": scancel 801 failed (scancel: error: Unable to contact slurm controller"
                        + " (connect failure))");
    }

    @Test
    void bySweepNameOnlyTheLatestRunIsCancelled() {
        String older = record("nightly", 1);
        Runs.running(ledger, older, key(0), "300", T0);
        String latest = record("nightly", 2);
        Runs.running(ledger, latest, key(1), "301", T0);

        List<String> done = canceller.cancel("nightly", "bob");

        assertThat(done).containsExactlyInAnyOrder(latest + " " + key(0) + ": cancelled before submission",
                latest + " " + key(1) + ": scancel 301");
        assertThat(fake.cancelled()).containsExactly("301");
        assertThat(job(ledger, older, key(0)).state()).isEqualTo(JobState.RUNNING);
        assertThat(job(ledger, latest, key(0)).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aJobKeyThatTwoRunsHaveIsRefusedAloneAndCancelsOnlyTheNamedRunsJob() {
        String run = record("nightly", 2);
        Runs.running(ledger, run, key(0), "400", T0);
        Runs.running(ledger, run, key(1), "401", T0);
        String other = record("weekly", 1);

        assertThatThrownBy(() -> canceller.cancel(key(0), "carol"))
                .isInstanceOf(JobCanceller.AmbiguousTarget.class)
                .hasMessageContaining(run).hasMessageContaining(other).hasMessageContaining("name the run");
        assertThat(fake.calls()).as("nothing cancelled anywhere").isEmpty();
        assertThat(job(ledger, other, key(0)).state()).isEqualTo(JobState.PLANNED);

        List<String> done = canceller.cancel(other, key(0), "carol");

        assertThat(done).containsExactly(other + " " + key(0) + ": cancelled before submission");
        assertThat(job(ledger, run, key(0)).state()).as("the other run's job of the same key")
                .isEqualTo(JobState.RUNNING);
        assertThat(fake.cancelled()).isEmpty();

        assertThat(canceller.cancel(run, key(0), "carol")).containsExactly(run + " " + key(0) + ": scancel 400");
        assertThat(fake.cancelled()).containsExactly("400");
        assertThat(job(ledger, run, key(1)).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aJobKeyOnlyOneRunHasUnfinishedIsCancelledThere() {
        String run = record("nightly", 1);
        Runs.running(ledger, run, key(0), "410", T0);

        assertThat(canceller.cancel(key(0), "carol")).containsExactly(run + " " + key(0) + ": scancel 410");
    }

    @Test
    void aPointOfARunNamesItsJob() {
        String run = record("nightly", 2);
        String point = ledger.runs().points(run).stream().filter(p -> p.jobKey().equals(key(1))).findFirst()
                .orElseThrow().pointId();

        assertThat(canceller.cancel(run, point, "carol")).containsExactly(run + " " + key(1)
                + ": cancelled before submission");
        assertThat(job(ledger, run, key(0)).state()).isEqualTo(JobState.PLANNED);
    }

    @Test
    void aSlurmIdOfAnotherRunCancelsNothingInThisOne() {
        String run = record("nightly", 1);
        String other = record("weekly", 1);
        Runs.running(ledger, other, key(0), "420", T0);

        assertThat(canceller.cancel(run, "420", "carol")).isEmpty();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aJobCancelledWhileItsSbatchRunsIsCancelledInSlurmOnceSbatchAnswers() {
        String run = record("nightly", 1);
        JobSubmitter submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        JobTracker tracker = new JobTracker(ledger.jobs(), slurm, submitter, clock);
        java.util.concurrent.atomic.AtomicReference<List<String>> whileSbatch =
                new java.util.concurrent.atomic.AtomicReference<>();
        fake.duringSbatch(spec -> whileSbatch.set(canceller.cancel(run, "alice")));

        submitter.submitDue();

        assertThat(whileSbatch.get()).containsExactly(run + " " + key(0)
                + ": sbatch is running; cancelled as soon as it answers");
        JobRecord submitted = job(ledger, run, key(0));
        assertThat(submitted.slurmJobId()).isEqualTo("100");
        assertThat(submitted.reason()).startsWith("cancel requested by alice");
        String name = JobNames.attempt(run, key(0), 1);
        fake.pending("100", name, "Priority");

        tracker.poll();

        assertThat(fake.cancelled()).as("scancel as soon as the id is known").containsExactly("100");
        fake.ended("100", name, "CANCELLED", "None", T0, T0.plusSeconds(1));
        tracker.poll();
        assertThat(job(ledger, run, key(0)).state()).isEqualTo(JobState.CANCELLED);
        assertThat(fake.cancelled()).hasSize(1);
    }

    @Test
    void aJobCancelledWhileItsSbatchRunsEndsCancelledWhenSbatchRefusesIt() {
        String run = record("nightly", 1);
        JobSubmitter submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        fake.sbatchFails(1, FakeSlurm.SBATCH_CONTROLLER_DOWN)
                .duringSbatch(spec -> canceller.cancel(run, "alice"));

        submitter.submitDue();
        clock.advance(Duration.ofHours(1));
        fake.duringSbatch(spec -> { });
        submitter.submitDue();

        assertThat(job(ledger, run, key(0)).state()).as("not planned again").isEqualTo(JobState.CANCELLED);
        assertThat(fake.submissions()).isEmpty();
    }

    @Test
    void aJobCancelledWhileSbatchRanBeforeACrashIsFoundByNameAndCancelledAtTheNextStart() {
        String run = record("nightly", 1);
        JobRecord planned = job(ledger, run, key(0));
        String name = JobNames.attempt(run, key(0), 1);
        // The daemon claimed it, sbatch created the job, the cancel was asked for, and the daemon died.
        ledger.jobs().beginSubmits(List.of(new io.sweepd.ledger.JobStore.Claim(planned, name)));
        canceller.cancel(run, "alice");
        fake.pending("555", name, "Priority");

        JobSubmitter restarted = new JobSubmitter(ledger.jobs(), slurm, clock);
        new JobTracker(ledger.jobs(), slurm, restarted, clock).poll();

        assertThat(fake.cancelled()).containsExactly("555");
        assertThat(job(ledger, run, key(0)).slurmJobId()).isEqualTo("555");
    }

    @Test
    void bySlurmIdThatOneJobGetsScancel() {
        String run = record("nightly", 2);
        Runs.running(ledger, run, key(0), "500", T0);
        Runs.running(ledger, run, key(1), "501", T0);

        List<String> done = canceller.cancel("501", "dave");

        assertThat(done).containsExactly(run + " " + key(1) + ": scancel 501");
        assertThat(fake.argvs("scancel")).containsExactly(List.of("scancel", "501"));
    }

    @Test
    void aNameThatMeansNothingCancelsNothing() {
        String run = record("nightly", 1);
        Runs.running(ledger, run, key(0), "600", T0);

        assertThat(canceller.cancel("no-such-sweep", "erin")).isEmpty();
        assertThat(canceller.cancel("999", "erin")).isEmpty();

        assertThat(fake.calls()).isEmpty();
    }
}
