package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** squeue --json as Slurm 22.05 printed it (recorded) and as 24.05 prints it (written from its source). */
class SqueueParserTest {

    /** 1796215117 is when the recorded jobs started; the snapshots were taken within the next two minutes. */
    private static final Instant STARTED = Instant.ofEpochSecond(1796215117L);
    private static final Instant TAKEN = STARTED.plusSeconds(20);

    private static QueueSnapshot parse(String recording) {
        return SqueueParser.parse(Recordings.read("json/squeue/" + recording), "root", TAKEN);
    }

    private static Map<String, SlurmJobInfo> byName(String recording) {
        return parse(recording).jobs().values().stream()
                .collect(Collectors.toMap(SlurmJobInfo::jobName, Function.identity(), (older, newer) -> newer));
    }

    @Test
    void readsEveryJobOfARecordedQueueWithMappedStates() {
        QueueSnapshot live = parse("live.json");

        assertThat(live.ok()).isTrue();
        assertThat(live.takenAt()).isEqualTo(TAKEN);
        assertThat(live.jobs().keySet()).containsExactly("157", "158", "159", "160", "161", "162");
        assertThat(live.job("158")).hasValueSatisfying(ok -> {
            assertThat(ok.jobName()).isEqualTo("sjson-rec-ok");
            assertThat(ok.state()).isEqualTo(SlurmState.RUNNING);
            assertThat(ok.slurmState()).isEqualTo("RUNNING");
            assertThat(ok.nodeList()).isEqualTo("gpu-node1");
            assertThat(ok.reason()).as("None is no reason").isEmpty();
        });
        assertThat(byName("after-cancel.json").get("sjson-rec-cancel").state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(byName("completed.json").get("sjson-rec-ok").state()).isEqualTo(SlurmState.COMPLETED);
    }

    @Test
    void anAnswerReadFromAFileAsAStreamGivesTheSameJobs(@TempDir Path dir) throws Exception {
        for (String recording : List.of("live.json", "completed.json", "controller-down.json",
                "slurm-24.05-written-from-source.json")) {
            Path file = Files.writeString(dir.resolve(recording), Recordings.read("json/squeue/" + recording));

            QueueSnapshot streamed = SqueueParser.parse(file, "root", TAKEN);

            assertThat(streamed).as(recording).isEqualTo(parse(recording));
        }
    }

    @Test
    void aTruncatedAnswerIsAFailedSnapshotNotAShorterQueue(@TempDir Path dir) throws Exception {
        String live = Recordings.read("json/squeue/live.json");
        Path cut = Files.writeString(dir.resolve("cut.json"), live.substring(0, live.length() / 2));

        QueueSnapshot snapshot = SqueueParser.parse(cut, "root", TAKEN);

        assertThat(snapshot.ok()).isFalse();
        assertThat(snapshot.failure().message()).startsWith("squeue --json printed something that is not JSON");
    }

    @Test
    void aFailedJobCarriesItsExitCodeDecodedFromTheWaitStatus() {
        SlurmJobInfo failed = parse("live.json").job("159").orElseThrow();

        assertThat(failed.state()).isEqualTo(SlurmState.FAILED);
        assertThat(failed.reason()).isEqualTo("NonZeroExitCode");
        assertThat(failed.exitCode()).as("raw 768").isEqualTo("3:0");
        assertThat(failed.exitStatus()).hasValue(3);
        assertThat(failed.start()).isEqualTo(STARTED);
        assertThat(failed.end()).isEqualTo(STARTED);
    }

    @Test
    void aCancelledJobWasEndedBySignal15() {
        SlurmJobInfo cancelled = parse("after-cancel.json").job("160").orElseThrow();

        assertThat(cancelled.state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(cancelled.exitCode()).isEqualTo("0:15");
        assertThat(cancelled.signal()).hasValue(15);
        assertThat(cancelled.end()).isEqualTo(STARTED.plusSeconds(2));
        assertThat(cancelled.elapsed()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aLiveJobHasAStartButNoEndOrExitCodeEvenThoughSqueueGivesItsExpectedEnd() {
        SlurmJobInfo running = parse("live.json").job("161").orElseThrow();

        assertThat(running.state()).isEqualTo(SlurmState.RUNNING);
        assertThat(running.start()).isEqualTo(STARTED);
        assertThat(running.end()).isNull();
        assertThat(running.exitCode()).isEmpty();
        assertThat(running.elapsed()).as("up to the snapshot").isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aJobTooLargeForItsPartitionPendsWithAHopelessReasonAndNoTimes() {
        SlurmJobInfo tooLarge = parse("live.json").job("162").orElseThrow();

        assertThat(tooLarge.state()).isEqualTo(SlurmState.PENDING);
        assertThat(tooLarge.reason()).isEqualTo("PartitionNodeLimit");
        assertThat(SlurmStates.hopelessPendingReason(tooLarge.reason())).isTrue();
        assertThat(tooLarge.start()).isNull();
        assertThat(tooLarge.end()).isNull();
        assertThat(tooLarge.nodeList()).isEmpty();
        assertThat(tooLarge.elapsed()).isZero();
    }

    @Test
    void aJobPastItsTimeLimitIsCompletingAndStillLiveThenTimeout() {
        SlurmJobInfo completing = parse("completing-time-limit.json").job("161").orElseThrow();
        SlurmJobInfo timedOut = parse("timeout.json").job("161").orElseThrow();

        assertThat(completing.slurmState()).isEqualTo("COMPLETING");
        assertThat(completing.reason()).isEqualTo("TimeLimit");
        assertThat(completing.state()).isEqualTo(SlurmState.RUNNING);
        assertThat(completing.state().ended()).isFalse();
        assertThat(timedOut.state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(timedOut.reason()).isEqualTo("TimeLimit");
        assertThat(timedOut.exitCode()).as("it ignored SIGTERM: SIGKILL ended it").isEqualTo("0:9");
        assertThat(timedOut.end()).isEqualTo(STARTED.plusSeconds(65));
        assertThat(timedOut.elapsed()).isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void aJobSlurmctldPurgedIsSimplyNotListed() {
        QueueSnapshot purged = parse("purged.json");

        assertThat(purged.ok()).isTrue();
        assertThat(purged.absent(List.of("158", "159", "161"))).containsExactly("158", "159", "161");
        assertThat(parse("timeout.json").absent(List.of("158", "161"))).containsExactly("158");
    }

    @Test
    void anUnreachableControllerIsAFailedSnapshotAlthoughSqueueExitedZeroWithAnEmptyList() {
        QueueSnapshot down = parse("controller-down.json");

        assertThat(Recordings.read("json/squeue/controller-down.exit")).isEqualTo("exit 0\n");
        assertThat(down.ok()).isFalse();
        assertThat(down.failure()).isEqualTo(new SlurmFailure(FailureKind.TRANSIENT,
                "slurm_load_jobs: Failed while looking for jobs (Unspecified error)"));
    }

    @Test
    void otherUsersJobsAreLeftOutBecause2205IgnoresMe() {
        String json = """
                {"errors": [], "jobs": [
                  {"job_id": 7, "name": "sweepd-x", "user_name": "alice", "job_state": "RUNNING"},
                  {"job_id": 8, "name": "sweepd-x", "user_name": "root", "job_state": "RUNNING"},
                  {"job_id": 9, "name": "sweepd-y", "job_state": "PENDING"}]}
                """;

        assertThat(SqueueParser.parse(json, "root", TAKEN).jobs().keySet()).containsExactly("8", "9");
    }

    @Test
    void readsSlurm2405sShapeFlagListsSetNumberObjectsAndVerboseExitCodes() {
        Map<String, SlurmJobInfo> jobs = SqueueParser.parse(
                Recordings.read("json/squeue/slurm-24.05-written-from-source.json"), "root", TAKEN).jobs();

        assertThat(jobs.keySet()).as("bob's job 309 left out")
                .containsExactly("301", "302", "303", "304", "305", "306", "307", "308");
        assertThat(jobs.get("301")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.RUNNING);
            assertThat(j.start()).isEqualTo(STARTED);
            assertThat(j.end()).isNull();
            assertThat(j.exitCode()).isEmpty();
        });
        assertThat(jobs.get("302")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.PENDING);
            assertThat(j.reason()).isEqualTo("PartitionNodeLimit");
            assertThat(j.start()).isNull();
        });
        assertThat(jobs.get("303")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.FAILED);
            assertThat(j.exitCode()).isEqualTo("3:0");
        });
        assertThat(jobs.get("304").exitCode()).isEqualTo("0:15");
        assertThat(jobs.get("305")).satisfies(j -> {
            assertThat(j.slurmState()).as("TIMEOUT with COMPLETING set prints as COMPLETING").isEqualTo("COMPLETING");
            assertThat(!j.state().ended()).isTrue();
        });
        assertThat(jobs.get("306")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.TIMEOUT);
            assertThat(j.exitCode()).isEqualTo("0:15");
            assertThat(j.end()).isEqualTo(STARTED.plusSeconds(61));
        });
        assertThat(jobs.get("307")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.COMPLETED);
            assertThat(j.exitCode()).isEqualTo("0:0");
            assertThat(j.nodeList()).isEqualTo("gpu-node[1-2]");
        });
        assertThat(jobs.get("308").state()).isEqualTo(SlurmState.REQUEUED);
    }

    @Test
    void readsSlurm2302sShapeANameAndPlainTimesWithTheWaitStatusInASetNumberObject() {
        // data_parser v0.0.39 (23.02): job_state JOB_STATE as one name, times UINT64, exit_code UINT32_NO_VAL.
        String json = """
                {"errors": [], "jobs": [{"job_id": 41, "name": "sweepd-x", "user_name": "root",
                  "job_state": "FAILED", "state_reason": "NonZeroExitCode", "nodes": "gpu-node2",
                  "start_time": 1796215117, "end_time": 1796215120,
                  "exit_code": {"set": true, "infinite": false, "number": 256}}]}
                """;

        SlurmJobInfo failed = SqueueParser.parse(json, "root", TAKEN).job("41").orElseThrow();

        assertThat(failed.state()).isEqualTo(SlurmState.FAILED);
        assertThat(failed.exitCode()).isEqualTo("1:0");
        assertThat(failed.elapsed()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aStatusListAsLaterDataParsersPrintItIsReadToo() {
        // From data_parser v0.0.43 (25.05) exit_code.status is a flag list.
        String json = """
                {"errors": [], "jobs": [{"job_id": 42, "name": "sweepd-x", "user_name": "root",
                  "job_state": ["FAILED"], "exit_code": {"status": ["ERROR"],
                  "return_code": {"set": true, "infinite": false, "number": 2},
                  "signal": {"id": {"set": false, "infinite": false, "number": 0}, "name": ""}}}]}
                """;

        assertThat(SqueueParser.parse(json, "root", TAKEN).job("42").orElseThrow().exitCode()).isEqualTo("2:0");
    }

    @Test
    void somethingThatIsNotSqueuesJsonIsAFailedSnapshotNotAnEmptyQueue() {
        assertThat(SqueueParser.parse("slurm_load_jobs error: boom\n", "root", TAKEN).ok()).isFalse();
        assertThat(SqueueParser.parse("", "root", TAKEN).ok()).isFalse();
        assertThat(SqueueParser.parse("{\"meta\": {}}", "root", TAKEN).ok()).isFalse();
    }

    @Test
    void anEmptyJobListIsAnEmptyQueue() {
        QueueSnapshot empty = SqueueParser.parse("{\"errors\": [], \"jobs\": []}", "root", TAKEN);

        assertThat(empty.ok()).isTrue();
        assertThat(empty.jobs()).isEmpty();
    }
}
