package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.sweepd.jobs.Runs.key;
import static org.assertj.core.api.Assertions.assertThat;

/** A job's phase from the ledger and its job directory, as the status page shows it. */
class JobPhasesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private Ledger ledger;
    private JobPhases phases;
    private String run;

    @BeforeEach
    void wire() {
        ledger = InMemoryLedger.open();
        phases = new JobPhases(ledger.results());
        run = Runs.record(ledger, home.resolve("outputs"), "nightly", T0, 1);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private JobPhase phase() {
        return phases.phase(Runs.job(ledger, run, key(0)));
    }

    private String describe() {
        return JobPhases.describe(phase(), Runs.job(ledger, run, key(0)));
    }

    private Path logs() {
        return Path.of(Runs.job(ledger, run, key(0)).jobDir()).resolve("logs");
    }

    private void log(String file, String text) throws IOException {
        Files.writeString(logs().resolve(file), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aPlannedJobWaitsToBeSubmittedAndAQueuedOneSaysWhy() {
        assertThat(phase()).isEqualTo(JobPhase.WAITING_TO_SUBMIT);

        Runs.submitted(ledger, run, key(0), "100");
        assertThat(describe()).isEqualTo("queued");

        ledger.jobs().transition(run, key(0), JobState.PENDING, JobState.PENDING, "Priority", Map.of());
        assertThat(phase()).isEqualTo(JobPhase.QUEUED);
        assertThat(describe()).isEqualTo("queued (Priority)");
    }

    @Test
    void aRunningJobGoesFromStartingToServerStartingToBenchmarkingToFinishingAsItsDirectorySays()
            throws IOException {
        Runs.running(ledger, run, key(0), "100", T0);
        log("slurm-100.out", "sweepd: job 100 on node1\n");
        assertThat(phase()).as("sweepd's own preamble is not the workload").isEqualTo(JobPhase.STARTING);

        log("server.log", "INFO 11-27 22:01:02 loading weights\n");
        assertThat(phase()).isEqualTo(JobPhase.SERVER_STARTING);

        log("server.log", "INFO:     Application startup complete.\n");
        assertThat(phase()).isEqualTo(JobPhase.BENCHMARKING);
        assertThat(describe()).isEqualTo("server healthy, benchmarking");

        Files.writeString(logs().getParent().resolve("exit-code"), "0\n");
        assertThat(phase()).isEqualTo(JobPhase.FINISHING);
    }

    @Test
    void aCompletedJobIsCollectingUntilItsResultsAreInTheLedger() {
        Runs.completed(ledger, run, key(0), "100", T0, T0.plusSeconds(600));
        assertThat(phase()).isEqualTo(JobPhase.COLLECTING);

        ledger.results().recordResults(run, key(0), List.of(ResultRecord.of(run, key(0) + "-c4", 4, key(0),
                ResultState.COMPLETED, null, "{}", null, "results_concurrency_4_gpus_8.json")));
        assertThat(phase()).isEqualTo(JobPhase.SETTLED);
    }

    @Test
    void everyOtherEndIsSettled() {
        Runs.running(ledger, run, key(0), "100", T0);
        ledger.jobs().transition(run, key(0), JobState.RUNNING, JobState.FAILED, "exit code 3",
                Map.of(JobDetails.ENDED_AT, T0.plusSeconds(60), JobDetails.EXIT_CODE, 3));

        assertThat(phase()).isEqualTo(JobPhase.SETTLED);
        assertThat(describe()).isEqualTo("settled");
    }
}
