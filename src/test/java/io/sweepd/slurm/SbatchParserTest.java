package io.sweepd.slurm;

import static io.sweepd.slurm.Recordings.read;
import static io.sweepd.slurm.Recordings.result;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SbatchParserTest {

    private static SubmitOutcome refused(int exit, String stderr) {
        return SbatchParser.parse(result(exit, "", stderr, "sbatch", "--parsable", "/x/job.sbatch"));
    }

    @Test
    void theParsableJobIdIsTheSubmittedJob() {
        SubmitOutcome outcome = SbatchParser.parse(result(0, read("sbatch/submitted.stdout"), "", "sbatch"));

        assertThat(outcome).isEqualTo(new SubmitOutcome.Submitted("22", null));
        assertThat(outcome.kind()).isEqualTo(SubmitOutcome.Kind.SUBMITTED);
    }

    @Test
    void aClusterSuffixIsSplitOff() {
        assertThat(SbatchParser.parse(result(0, "12345;gpu-east\n", "", "sbatch")))
                .isEqualTo(new SubmitOutcome.Submitted("12345", "gpu-east"));
    }

    @Test
    void warningsOnStderrDoNotHideTheJobId() {
        assertThat(SbatchParser.parse(result(0, "77\n", "sbatch: warning: some warning\n", "sbatch")))
                .isEqualTo(new SubmitOutcome.Submitted("77", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sbatch/invalid-partition.stderr, 1, sbatch: error: Batch job submission failed: Invalid partition name specified",
            "sbatch/too-many-gpus.stderr, 1, sbatch: error: Batch job submission failed: Requested node configuration is not available",
            "sbatch/wrong-gpu-type.stderr, 1, sbatch: error: Batch job submission failed: Requested node configuration is not available",
            "sbatch/invalid-time.stderr, 255, sbatch: error: Invalid --time specification",
    })
    void recordedRefusalsArePermanentWithSlurmsOwnLine(String recording, int exit, String line) {
        assertThat(refused(exit, read(recording))).isEqualTo(new SubmitOutcome.Permanent(line));
    }

    @Test
    void aMissingScriptIsPermanent() {
        SubmitOutcome outcome = refused(1, read("sbatch/unable-to-open.stderr"));

        assertThat(outcome.kind()).isEqualTo(SubmitOutcome.Kind.PERMANENT);
        assertThat(((SubmitOutcome.Permanent) outcome).message()).contains("Unable to open file");
    }

    @Test
    void anUnreachableControllerIsTransientAndCreatedNoJob() {
        assertThat(refused(1, read("sbatch/controller-down.stderr"))).isEqualTo(new SubmitOutcome.Transient(
                "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
                false));
    }

    /** Messages Slurm prints for submit limits and a busy controller; not reproducible on the local cluster. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sbatch: error: QOSMaxSubmitJobPerUserLimit\nsbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)",
            "sbatch: error: AssocMaxSubmitJobLimit\nsbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)",
            "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)",
            "sbatch: error: MaxSubmitJobs limit reached",
            "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying\nsbatch: error: Batch job submission failed: Resource temporarily unavailable",
            // Seen here when SLURM_CONF was unset: the client could not fetch its configuration.
            "sbatch: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host\nsbatch: error: fetch_config: DNS SRV lookup failed\nsbatch: error: _establish_config_source: failed to fetch config\nsbatch: fatal: Could not establish a configuration source",
    })
    void submitLimitsAndABusyControllerAreTransient(String stderr) {
        assertThat(refused(1, stderr)).isInstanceOfSatisfying(SubmitOutcome.Transient.class,
                t -> assertThat(t.mayHaveSubmitted()).isFalse());
    }

    @Test
    void aSocketTimeoutIsTransientAndTheJobMayExist() {
        assertThat(refused(1, "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n"))
                .isEqualTo(new SubmitOutcome.Transient(
                        "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation", true));
    }

    @Test
    void aTimedOutSbatchIsTransientAndTheJobMayExist() {
        SubmitOutcome outcome = SbatchParser.parse(Recordings.timedOut("sbatch", "--parsable", "/x/job.sbatch"));

        assertThat(outcome).isInstanceOfSatisfying(SubmitOutcome.Transient.class, t -> {
            assertThat(t.mayHaveSubmitted()).isTrue();
            assertThat(t.message()).contains("sbatch timed out after 30 s");
        });
    }

    @Test
    void anSbatchKilledByASignalIsUnknownNotRefused() {
        // SIGTERM (143) or SIGKILL (137) before it answered: the controller may have created the job.
        for (int exit : new int[]{143, 137}) {
            assertThat(SbatchParser.parse(result(exit, "", "", "sbatch", "--parsable", "/x/job.sbatch")))
                    .isInstanceOfSatisfying(SubmitOutcome.Transient.class, t -> {
                        assertThat(t.mayHaveSubmitted()).isTrue();
                        assertThat(t.message()).contains("killed (exit " + exit + ")");
                    });
        }
    }

    @Test
    void successWithoutAJobIdIsNotTreatedAsARefusal() {
        assertThat(SbatchParser.parse(result(0, "Submitted batch job 5\n", "", "sbatch")))
                .isInstanceOfSatisfying(SubmitOutcome.Transient.class, t -> assertThat(t.mayHaveSubmitted()).isTrue());
    }
}
