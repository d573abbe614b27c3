package io.sweepd.jobs;

import io.sweepd.json.Json;
import io.sweepd.triage.TriageFile;
import io.sweepd.triage.TriageResult;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import io.sweepd.triage.Triage;
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
import java.util.Map;
import java.util.Optional;

import static io.sweepd.jobs.Runs.job;
import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/** Triage, archive and automatic retry of a failed job, with the real triage, the real archiver and the local profile. */
class FailureHandlerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A bootstrap flake: the shipped signatures call it retryable. */
    static final String NCCL_FLAKE = "sweepd: job started\n"
            + "gpu-node3:1234:1290 [0] NCCL INFO Bootstrap : Using eth0:10.1.0.3<0>\n"
            + "gpu-node3:1234:1290 [0] NCCL WARN socketStartConnect: Connect to 10.1.0.4<41523> failed : Connection refused\n";
    /** Seed case 3: deterministic, and the shipped signatures name the rule that fixes it. */
    static final String API_SERVER_FLAGS = "[prefill-0] usage: python3 -m dynamo.vllm [-h] [--model MODEL]\n"
            + "[prefill-0] python3 -m dynamo.vllm: error: unrecognized arguments: --enable-auto-tool-choice"
            + " --tool-call-parser deepseek_v4\n";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeSlurm fake = new FakeSlurm();
    private Ledger ledger;
    private JobSubmitter submitter;
    private FailureHandler handler;
    private String runId;
    private Path dir;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(clock);
        SlurmClient slurm = new SlurmClient(new CommandRunner(fake), SlurmTimeouts.defaults(), "root", clock);
        submitter = new JobSubmitter(ledger.jobs(), slurm, clock);
        ProfileCatalog profiles = PlannerFactory.profiles(
                SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString())));
        handler = new FailureHandler(ledger.jobs(), Triage.shipped(), new FailureArchiver(),
                new JobRetries(ledger.jobs()), submitter, profiles::byName);
        runId = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
        dir = home.resolve("outputs").resolve(runId).resolve(key(0));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** Submits the planned job and lets it fail on {@code node} with {@code log} as its Slurm output. */
    private JobRecord failOnce(String log, String node) throws IOException {
        List<JobRecord> submitted = submitter.submitDue();
        assertThat(submitted).as("the job is due for submission").hasSize(1);
        JobRecord pending = job(ledger, runId, key(0));
        Files.writeString(dir.resolve("logs").resolve("slurm-" + pending.slurmJobId() + ".out"), log);
        Files.writeString(dir.resolve("slurm.json"), "{\"slurm-job-id\":\"" + pending.slurmJobId() + "\","
                + "\"final\":{\"jobId\":\"" + pending.slurmJobId() + "\",\"state\":\"FAILED\",\"nodeList\":\""
                + node + "\"},\"sacct\":{\"jobId\":\"" + pending.slurmJobId() + "\",\"state\":\"FAILED\","
                + "\"exitCode\":\"1:0\",\"nodeList\":\"" + node + "\"}}");
        Files.writeString(dir.resolve("exit-code"), "1\n");
        assertThat(ledger.jobs().transition(runId, key(0), JobState.PENDING, JobState.FAILED, "Slurm: FAILED, exit 1",
                Map.of(JobDetails.ENDED_AT, clock.instant(), JobDetails.EXIT_CODE, 1))).isTrue();
        return job(ledger, runId, key(0));
    }

    /** What the job-failure route does around the handler: triage, triage.json, then settle. */
    private static JobRecord handle(FailureHandler handler, JobRecord job) throws IOException {
        TriageResult result = handler.triage(job);
        Files.writeString(Path.of(job.jobDir()).resolve(TriageFile.FILE),
                Json.PRETTY.writeValueAsString(TriageFile.fields(result)));
        return handler.settle(job, result);
    }

    @Test
    void aTransientFailureIsTriagedArchivedAndPlannedAgainAvoidingTheNodeItFailedOn() throws IOException {
        JobRecord failed = failOnce(NCCL_FLAKE, "gpu-node3");

        JobRecord after = handle(handler, failed);

        assertThat(after.state()).isEqualTo(JobState.PLANNED);
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(after.reason()).startsWith("retry 2 of 3 after communication-bootstrap");
        Path attempt1 = dir.resolve("attempts/attempt-1");
        assertThat(attempt1.resolve(FailureArchiver.ARCHIVE)).isRegularFile();
        assertThat(attempt1.resolve("logs/slurm-100.out")).hasContent(NCCL_FLAKE);
        JsonNode triage = JSON.readTree(attempt1.resolve("triage.json").toFile());
        assertThat(triage.toString()).contains("communication-bootstrap").contains("nccl-connection-failed");
        assertThat(dir.resolve("logs")).isEmptyDirectory();
        assertThat(JobRetries.excludedNodes(new io.sweepd.core.JobDirectory(dir))).contains("gpu-node3");

        List<EventRecord> events = ledger.jobs().events(runId, key(0));
        EventRecord diagnosis = events.stream().filter(e -> e.message() != null && e.message().contains("diagnosis:"))
                .findFirst().orElseThrow();
        assertThat(diagnosis.fromState()).isEqualTo(JobState.FAILED);
        assertThat(diagnosis.toState()).isEqualTo(JobState.FAILED);
        assertThat(diagnosis.message()).startsWith("Slurm: FAILED, exit 1; diagnosis: NCCL could not connect");
        JsonNode details = JSON.readTree(diagnosis.detailsJson());
        assertThat(details.path("category").asText()).isEqualTo("communication-bootstrap");
        assertThat(details.path("retryable").asBoolean()).isTrue();
        assertThat(details.path("evidence").asText()).contains("Connection refused");
    }

    @Test
    void theRetryWaitsForTheProfilesBackoffAndIsSubmittedWithTheFailedNodeExcluded() throws IOException {
        handle(handler, failOnce(NCCL_FLAKE, "gpu-node3"));

        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).as("the local profile's backoff is 2 s").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).hasSize(1);
        List<String> argv = fake.argvs("sbatch").get(1);
        assertThat(argv).contains("--exclude=gpu-node3", "--job-name=" + JobNames.attempt(runId, key(0), 2));
        assertThat(job(ledger, runId, key(0)).attempt()).isEqualTo(2);
    }

    @Test
    void aTransientFailureIsRetriedUpToTheProfilesMaxAttemptsThenLeftFailedWithEveryAttemptsEvidence()
            throws IOException {
        JobRecord last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            last = handle(handler, failOnce(NCCL_FLAKE + "attempt " + attempt + "\n", "gpu-node" + attempt));
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.attempt()).isEqualTo(3);
        assertThat(submitter.submitDue()).isEmpty();
        assertThat(fake.submissions()).hasSize(3);
        assertThat(fake.argvs("sbatch").get(2)).contains("--exclude=gpu-node1,gpu-node2");
        assertThat(dir.resolve("attempts/attempt-1/logs/slurm-100.out")).content().contains("attempt 1");
        assertThat(dir.resolve("attempts/attempt-2/logs/slurm-101.out")).content().contains("attempt 2");
        // the last attempt stays in place for a person to read, archived and triaged
        assertThat(dir.resolve("logs/slurm-102.out")).content().contains("attempt 3");
        assertThat(dir.resolve(FailureArchiver.ARCHIVE)).isRegularFile();
        assertThat(dir.resolve("triage.json")).content().contains("communication-bootstrap");
        assertThat(dir.resolve("attempts/attempt-3")).doesNotExist();
    }

    @Test
    void aDeterministicFailureIsNotRetriedAndItsDiagnosisNamesTheWorkaroundThatFixesIt() throws IOException {
        JobRecord failed = failOnce(API_SERVER_FLAGS, "gpu-node1");

        JobRecord after = handle(handler, failed);

        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.reason()).contains("diagnosis: ")
                .endsWith("(fix: workaround dynamo-vllm-no-frontend-flags-on-workers)");
        JsonNode triage = JSON.readTree(dir.resolve("triage.json").toFile());
        assertThat(triage.toString()).contains("unsupported-argument")
                .contains("dynamo-vllm-no-frontend-flags-on-workers");
        assertThat(dir.resolve(FailureArchiver.ARCHIVE)).isRegularFile();
        assertThat(dir.resolve("attempts")).doesNotExist();
        assertThat(dir.resolve(JobRetries.RETRY_FILE)).doesNotExist();
        clock.advance(Duration.ofHours(1));
        assertThat(submitter.submitDue()).isEmpty();
    }

    @Test
    void aJobOfAnUnknownProfileIsRetriedPerTheDefaultPolicy() throws IOException {
        FailureHandler noProfiles = new FailureHandler(ledger.jobs(), Triage.shipped(),
                new FailureArchiver(), new JobRetries(ledger.jobs()), submitter,
                name -> Optional.empty());

        JobRecord after = handle(noProfiles, failOnce(NCCL_FLAKE, "gpu-node3"));

        assertThat(after.state()).isEqualTo(JobState.PLANNED);
        assertThat(after.reason()).startsWith("retry 2 of 3 ");
        clock.advance(Duration.ofSeconds(59));
        assertThat(submitter.submitDue()).as("the default backoff is 60 s").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(submitter.submitDue()).hasSize(1);
    }
}
