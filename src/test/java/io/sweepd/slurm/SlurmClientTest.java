package io.sweepd.slurm;

import static io.sweepd.slurm.Recordings.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;

import org.junit.jupiter.api.Test;

class SlurmClientTest {

    private static final String SACCT_FIELDS = "--format=" + SacctParser.FIELDS;
    private static final List<String> SQUEUE = List.of("squeue", "--json", "--states=all", "--me");
    private static final Instant NOW = Instant.parse("2026-11-27T23:00:00Z");

    private final ScriptedLauncher slurm = new ScriptedLauncher();
    private final CommandRunner runner = new CommandRunner(slurm);
    private final SlurmClient client = new SlurmClient(runner, SlurmTimeouts.defaults(), "root",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void submitRunsSbatchParsableOnTheScriptInItsOwnDirectory() {
        slurm.on(0, "22\n", "", "sbatch");

        SubmitOutcome outcome = client.submit(Path.of("/data/out/sweep1/job-ab12/job.sbatch"));

        assertThat(outcome).isEqualTo(new SubmitOutcome.Submitted("22", null));
        CommandSpec call = slurm.calls().get(0);
        assertThat(call.argv()).containsExactly("sbatch", "--parsable", "/data/out/sweep1/job-ab12/job.sbatch");
        assertThat(call.workingDir()).isEqualTo(Path.of("/data/out/sweep1/job-ab12"));
        assertThat(call.timeout()).isEqualTo(SlurmTimeouts.defaults().submit());
    }

    @Test
    void submitWithANameOverridesTheScriptsJobNameForThisAttempt() {
        slurm.on(0, "23\n", "", "sbatch");

        client.submit(Path.of("/data/out/sweep1/job-ab12/job.sbatch"), "sweepd-job-ab12-a2");

        assertThat(slurm.calls().get(0).argv()).containsExactly("sbatch", "--parsable", "--job-name=sweepd-job-ab12-a2",
                "/data/out/sweep1/job-ab12/job.sbatch");
    }

    @Test
    void aJobNameThatCouldBeReadAsAnotherOptionOrListIsRejected() {
        assertThatThrownBy(() -> client.submit(Path.of("/x/job.sbatch"), "a,b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.submit(Path.of("/x/job.sbatch"), "--wrap=id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedSubmissionIsPermanentWithSlurmsReason() {
        slurm.on(1, "", read("sbatch/invalid-partition.stderr"), "sbatch");

        assertThat(client.submit(Path.of("/x/job.sbatch"))).isEqualTo(new SubmitOutcome.Permanent(
                "sbatch: error: Batch job submission failed: Invalid partition name specified"));
    }

    @Test
    void queueAsksSqueueOnceForAllJobsAndKeepsOnlyThisDaemonsNames() {
        slurm.on(0, read("json/squeue/live.json"), "", "squeue");

        QueueSnapshot snapshot = client.queue("sjson-rec-toobig");

        assertThat(runner.invocations("squeue")).isEqualTo(1);
        assertThat(slurm.calls().get(0).argv()).isEqualTo(SQUEUE);
        assertThat(snapshot.ok()).isTrue();
        assertThat(snapshot.takenAt()).isEqualTo(NOW);
        assertThat(snapshot.jobs().keySet()).containsExactly("157", "162");
        assertThat(snapshot.job("162")).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(SlurmState.PENDING));
    }

    @Test
    void theSnapshotTellsWhichLiveJobsLeftTheQueue() {
        slurm.on(0, read("json/squeue/timeout.json"), "", "squeue");

        QueueSnapshot snapshot = client.queue("sjson-rec-");

        assertThat(snapshot.absent(List.of("158", "161", "162", "17"))).containsExactly("158", "17");
    }

    @Test
    void anUnreachableControllerIsATransientFailedSnapshotNotAnException() {
        // 22.05: exit 0, nothing on stderr, an errors entry and no jobs.
        slurm.on(0, read("json/squeue/controller-down.json"), "", "squeue");

        QueueSnapshot snapshot = client.queue("sjson-rec-");

        assertThat(snapshot.ok()).isFalse();
        assertThat(snapshot.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(snapshot.jobs()).isEmpty();
        assertThatThrownBy(() -> snapshot.absent(List.of("158"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSqueueThatExitsNonZeroIsAFailedSnapshotWithSlurmsMessage() {
        slurm.on(1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", "squeue");

        assertThat(client.queue("sjson-rec-").failure()).isEqualTo(new SlurmFailure(FailureKind.TRANSIENT,
                "slurm_load_jobs error: Unable to contact slurm controller (connect failure)"));
    }

    @Test
    void aMungeHiccupWhileTheClusterRestartsIsTransient() {
        // Seen on the local cluster while munged restarted under a running poller.
        slurm.on(1, "", "slurm_load_jobs error: Protocol authentication error\n", "squeue");

        assertThat(client.queue("rec-").failure().kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void aTimedOutSqueueIsATransientFailedSnapshot() {
        slurm.timeoutOn("squeue");

        assertThat(client.queue("rec-").failure().kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void accountingAsksTheDatabaseOnceWhenItKnowsTheFinishedJob() {
        slurm.on(0, "23|FAILED|1:0|00:00:00|2026-11-27T22:54:27|2026-11-27T22:54:27|gpu-node1|None|rec-fail\n", "",
                "sacct", "--jobs=23");

        SlurmJobInfo job = client.accounting("23").orElseThrow();

        assertThat(job.state()).isEqualTo(SlurmState.FAILED);
        assertThat(job.exitCode()).isEqualTo("1:0");
        assertThat(runner.invocations("sacct")).isEqualTo(1);
        assertThat(slurm.calls().get(0).argv()).containsExactly("sacct", "--jobs=23", "--allocations", "--noheader",
                "--parsable2", SACCT_FIELDS);
    }

    @Test
    void accountingFallsBackToTheJobcompFileWhenTheDatabaseIsDown() {
        slurm.on(0, read("sacct/jobcomp.txt"), "", "sacct", "--completion")
                .on(1, "", read("sacct/database-down.stderr"), "sacct");

        SlurmJobInfo job = client.accounting("26").orElseThrow();

        assertThat(job.state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(slurm.calls()).extracting(CommandSpec::argv).last().asList()
                .containsExactly("sacct", "--completion", "--jobs=26", "--allocations", "--noheader", "--parsable2",
                        SACCT_FIELDS);
    }

    @Test
    void accountingPrefersTheJobcompFilesOutcomeWhenTheDatabaseStillShowsTheJobLive() {
        slurm.on(0, "26|TIMEOUT|0:0|00:01:16|2026-11-27T22:54:27|2026-11-27T22:55:43|gpu-node1||rec-tlimit\n", "",
                        "sacct", "--completion")
                .on(0, "26|RUNNING|0:0|00:01:15|2026-11-27T22:54:27|Unknown|gpu-node1|None|rec-tlimit\n", "", "sacct");

        assertThat(client.accounting("26")).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(SlurmState.TIMEOUT));
    }

    @Test
    void accountingIsEmptyWhenNothingKnowsTheJob() {
        slurm.on(0, "", "", "sacct");

        assertThat(client.accounting("999999")).isEmpty();
    }

    @Test
    void accountingThrowsWhenNoSourceCouldBeAskedBecauseEmptyWouldBeALie() {
        slurm.on(1, "", "sacct: error: cannot open /var/spool/jobcomp.txt", "sacct", "--completion")
                .on(1, "", read("sacct/database-down.stderr"), "sacct");

        assertThatThrownBy(() -> client.accounting("22")).isInstanceOfSatisfying(SlurmUnavailableException.class,
                e -> assertThat(e.failure()).isEqualTo(new SlurmFailure(FailureKind.TRANSIENT,
                        "sacct: error: Problem talking to the database: Connection refused")));
    }

    @Test
    void showJobReturnsTheRawTextAsEvidence() {
        slurm.on(0, read("scontrol/failed.txt"), "", "scontrol");

        assertThat(client.showJob("23")).hasValue(read("scontrol/failed.txt"));
        assertThat(client.showJobInfo("23")).hasValueSatisfying(j -> assertThat(j.reason()).isEqualTo("NonZeroExitCode"));
        assertThat(slurm.calls().get(0).argv()).containsExactly("scontrol", "show", "job", "23");
    }

    @Test
    void showJobIsEmptyForAJobTheControllerNoLongerKnows() {
        slurm.on(1, "", read("scontrol/invalid-job-id.stderr"), "scontrol");

        assertThat(client.showJob("5")).isEmpty();
    }

    @Test
    void showJobThrowsWhenTheControllerIsDown() {
        slurm.on(1, "", read("scontrol/controller-down.stderr"), "scontrol");

        assertThatThrownBy(() -> client.showJob("5")).isInstanceOf(SlurmUnavailableException.class);
    }

    @Test
    void findByNameMergesSqueueAndSacctByIdWithSqueueWinning() {
        // 22.05 ignores --name: the whole queue comes back and the name is matched here.
        slurm.on(0, read("json/squeue/completing-time-limit.json"), "", "squeue")
                .on(0, "6|TIMEOUT|0:0|00:01:05|2026-11-26T22:50:38|2026-11-26T22:51:43|gpu-node1|None|sjson-rec-tlimit\n"
                        + "161|RUNNING|0:0|00:01:05|2026-12-02T12:38:37|Unknown|gpu-node1|None|sjson-rec-tlimit\n", "",
                        "sacct");

        List<SlurmJobInfo> jobs = client.findByName("sjson-rec-tlimit");

        assertThat(jobs).extracting(SlurmJobInfo::jobId).containsExactly("6", "161");
        assertThat(jobs.get(1).slurmState()).isEqualTo("COMPLETING");
        List<String> squeueByName = new ArrayList<>(SQUEUE);
        squeueByName.add("--name=sjson-rec-tlimit");
        assertThat(slurm.calls()).extracting(CommandSpec::argv).containsExactly(squeueByName,
                List.of("sacct", "--name=sjson-rec-tlimit", "--user=root", "--starttime=now-7days", "--allocations",
                        "--noheader", "--parsable2", SACCT_FIELDS));
    }

    @Test
    void findByNameFiltersTheJobcompFileByNameItselfBecauseSacctCIgnoresName() {
        slurm.on(0, read("json/squeue/purged.json"), "", "squeue")
                .on(0, read("sacct/jobcomp.txt"), "", "sacct", "--completion")
                .on(1, "", read("sacct/database-down.stderr"), "sacct");

        assertThat(client.findByName("rec-fail")).extracting(SlurmJobInfo::jobId).containsExactly("23");
    }

    @Test
    void findByNameThrowsWhenSqueueCannotBeAsked() {
        slurm.on(0, read("json/squeue/controller-down.json"), "", "squeue");

        assertThatThrownBy(() -> client.findByName("rec-ok")).isInstanceOf(SlurmUnavailableException.class);
    }

    @Test
    void cancelRunsScancelOnTheJob() {
        slurm.on(0, "", "", "scancel");

        assertThat(client.cancel("24").succeeded()).isTrue();
        assertThat(slurm.calls().get(0).argv()).containsExactly("scancel", "24");
    }

    @Test
    void manyJobsAreCancelledInOneScancelCallEachIdOnce() {
        slurm.on(0, "", "", "scancel");

        List<CommandResult> results = client.cancel(List.of("24", "25", "24", "26_3", "27+1"));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
        assertThat(slurm.calls()).singleElement().extracting(CommandSpec::argv)
                .isEqualTo(List.of("scancel", "24", "25", "26_3", "27+1"));
    }

    @Test
    void aVeryLargeCancelIsSplitIntoCallsOfAtMostTheLimit() {
        slurm.on(0, "", "", "scancel");
        List<String> ids = java.util.stream.IntStream.range(0, SlurmClient.CANCEL_IDS_PER_CALL * 2 + 1)
                .mapToObj(i -> String.valueOf(1000 + i)).toList();

        assertThat(client.cancel(ids)).hasSize(3);

        assertThat(slurm.calls()).extracting(c -> c.argv().size() - 1)
                .containsExactly(SlurmClient.CANCEL_IDS_PER_CALL, SlurmClient.CANCEL_IDS_PER_CALL, 1);
        assertThat(slurm.calls().stream().flatMap(c -> c.argv().stream().skip(1)).toList()).isEqualTo(ids);
    }

    @Test
    void oneBadIdAmongManyStopsTheWholeCancelBeforeAnyCommand() {
        assertThatThrownBy(() -> client.cancel(List.of("24", "--signal=KILL", "25")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(slurm.calls()).isEmpty();
    }

    @Test
    void somethingThatIsNotAJobIdNeverReachesACommand() {
        for (String bad : new String[] {"--help", "", "12;rm", "abc", " 12"}) {
            assertThatThrownBy(() -> client.accounting(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.cancel(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.showJob(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> client.findByName("a,b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(slurm.calls()).isEmpty();
    }
}
