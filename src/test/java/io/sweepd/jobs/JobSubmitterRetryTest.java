package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/** What the submitter does for a retried job: --exclude from retry.json, and the retry's backoff. */
class JobSubmitterRetryTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private Ledger ledger;
    private JobSubmitter submitter;
    private String runId;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(clock);
        SlurmClient slurm = new SlurmClient(new CommandRunner(fake), SlurmTimeouts.defaults(), "root", clock);
        submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 2);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private Path dir(int index) {
        return home.resolve("outputs").resolve(runId).resolve(key(index));
    }

    @Test
    void nodesInRetryJsonBecomeOneExcludeOptionBeforeTheScript() throws IOException {
        Files.writeString(dir(0).resolve(JobRetries.RETRY_FILE), "{\"exclude\":\"gpu-node[1-2],gpu-node7\"}");

        submitter.submitDue();

        List<String> withExclude = fake.argvs("sbatch").stream()
                .filter(argv -> argv.get(argv.size() - 1).startsWith(dir(0).toString())).findFirst().orElseThrow();
        assertThat(withExclude).containsExactly("sbatch", "--parsable",
                "--job-name=" + JobNames.attempt(runId, key(0), 1), "--exclude=gpu-node[1-2],gpu-node7",
                dir(0).resolve("job.sbatch").toString());
        List<String> without = fake.argvs("sbatch").stream()
                .filter(argv -> argv.get(argv.size() - 1).startsWith(dir(1).toString())).findFirst().orElseThrow();
        assertThat(without).noneMatch(a -> a.startsWith("--exclude"));
    }

    @Test
    void anExcludeValueThatIsNotAHostListIsNotPassedToSbatch() throws IOException {
        Files.writeString(dir(0).resolve(JobRetries.RETRY_FILE), "{\"exclude\":\"gpu-node1 --uid=0\"}");

        submitter.submitDue();

        assertThat(fake.argvs("sbatch")).hasSize(2).allSatisfy(argv ->
                assertThat(argv).noneMatch(a -> a.startsWith("--exclude") || a.startsWith("--uid")));
    }

    @Test
    void aDelayedJobIsHeldBackUntilItsBackoffPassedWhileOthersAreSubmitted() {
        submitter.delay(job(ledger, runId, key(0)), Duration.ofSeconds(30));

        assertThat(submitter.submitDue()).extracting(j -> j.jobKey()).containsExactly(key(1));
        clock.advance(Duration.ofSeconds(29));
        assertThat(submitter.submitDue()).isEmpty();
        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.PLANNED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).extracting(j -> j.jobKey()).containsExactly(key(0));
        assertThat(job(ledger, runId, key(0)).state()).isEqualTo(JobState.PENDING);
    }
}
