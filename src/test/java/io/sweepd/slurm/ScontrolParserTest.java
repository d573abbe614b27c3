package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;


import org.junit.jupiter.api.Test;

class ScontrolParserTest {

    @Test
    void readsEveryPairOfARecordedFailedJob() {
        Map<String, String> job = ScontrolParser.parse(Recordings.read("scontrol/failed.txt"));

        assertThat(job).containsEntry("JobId", "23")
                .containsEntry("JobName", "rec-fail")
                .containsEntry("JobState", "FAILED")
                .containsEntry("Reason", "NonZeroExitCode")
                .containsEntry("Dependency", "(null)")
                .containsEntry("ExitCode", "1:0")
                .containsEntry("AllocNode:Sid", "localhost:12177")
                .containsEntry("ReqB:S:C:T", "0:0:*:*")
                .containsEntry("Socks/Node", "*")
                .containsEntry("TRES", "cpu=1,node=1,billing=1,gres/gpu=1")
                .containsEntry("TresPerNode", "gres:gpu:h100:1")
                .containsEntry("Power", "")
                .containsEntry("StdIn", "/dev/null");
        assertThat(job.get("StdOut")).endsWith("/logs/rec-fail-23.out");
        assertThat(job).doesNotContainKey("cpu").doesNotContainKey("gres/gpu");
    }

    @Test
    void aReasonWithSpacesIsOneValueAndTheDependencyAfterItIsItsOwn() {
        // Shape of a pending job on a drained node (LOCAL-SLURM.md: "ReqNodeNotAvail, UnavailableNodes:...").
        Map<String, String> job = ScontrolParser.parse("""
                JobId=41 JobName=my sweep job
                   JobState=PENDING Reason=ReqNodeNotAvail, UnavailableNodes:gpu-node[1-2] Dependency=(null)
                   Command=/data/my runs/job.sbatch --flag=x y=z
                   WorkDir=/data/my runs
                   Comment=note: a=b c=d
                """);

        assertThat(job).containsEntry("JobName", "my sweep job")
                .containsEntry("Reason", "ReqNodeNotAvail, UnavailableNodes:gpu-node[1-2]")
                .containsEntry("Dependency", "(null)")
                .containsEntry("Command", "/data/my runs/job.sbatch --flag=x y=z")
                .containsEntry("WorkDir", "/data/my runs")
                .containsEntry("Comment", "note: a=b c=d");
        assertThat(job).doesNotContainKeys("y", "a", "c");
    }

    @Test
    void severalRecordsAreSeparatedByBlankLines() {
        assertThat(ScontrolParser.parseAll("JobId=1 JobName=a\n   JobState=RUNNING\n\nJobId=2 JobName=b\n"))
                .extracting(m -> m.get("JobId")).containsExactly("1", "2");
    }

    @Test
    void aFinishedTimeoutBecomesJobInfo() {
        SlurmJobInfo info = ScontrolParser.toJobInfo(ScontrolParser.parse(Recordings.read("scontrol/timeout.txt")),
                ZoneOffset.UTC).orElseThrow();

        assertThat(info.jobId()).isEqualTo("26");
        assertThat(info.state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(info.reason()).isEqualTo("TimeLimit");
        assertThat(info.exitCode()).isEqualTo("0:9");
        assertThat(info.elapsed()).isEqualTo(Duration.ofSeconds(76));
        assertThat(info.end()).isEqualTo(Instant.parse("2026-11-27T22:55:43Z"));
    }

    @Test
    void aCancelledJobEndsBySignal15() {
        SlurmJobInfo info = ScontrolParser.toJobInfo(ScontrolParser.parse(Recordings.read("scontrol/cancelled.txt")),
                ZoneOffset.UTC).orElseThrow();

        assertThat(info.state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(info.signal()).hasValue(15);
    }

    @Test
    void aRunningJobsExpectedEndIsNotAnEnd() {
        SlurmJobInfo info = ScontrolParser.toJobInfo(ScontrolParser.parse(Recordings.read("scontrol/running.txt")),
                ZoneOffset.UTC).orElseThrow();

        assertThat(info.state()).isEqualTo(SlurmState.RUNNING);
        assertThat(info.start()).isNotNull();
        assertThat(info.end()).isNull();
    }

    @Test
    void aTwoNodeJobListsBothNodes() {
        Map<String, String> job = ScontrolParser.parse(Recordings.read("scontrol/completed-two-node.txt"));

        assertThat(job).containsEntry("NodeList", "gpu-node[1-2]").containsEntry("NumNodes", "2")
                .containsEntry("JobState", "COMPLETED");
    }

    @Test
    void aPendingTooLargeJobHasNoNodesAndAHopelessReason() {
        SlurmJobInfo info = ScontrolParser.toJobInfo(
                ScontrolParser.parse(Recordings.read("scontrol/pending-partition-node-limit.txt")), ZoneOffset.UTC)
                .orElseThrow();

        assertThat(info.state()).isEqualTo(SlurmState.PENDING);
        assertThat(info.nodeList()).isEmpty();
        assertThat(info.start()).isNull();
        assertThat(SlurmStates.hopelessPendingReason(info.reason())).isTrue();
    }

    @Test
    void emptyTextIsNoJob() {
        assertThat(ScontrolParser.parse("")).isEmpty();
        assertThat(ScontrolParser.toJobInfo(Map.of(), ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void scontrolStaysTextBecause2205HasNoJsonOption() {
        assertThat(Recordings.read("json/scontrol/json-option.stderr"))
                .startsWith("scontrol: unrecognized option '--json'");
    }
}
