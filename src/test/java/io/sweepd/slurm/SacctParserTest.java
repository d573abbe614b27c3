package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;

class SacctParserTest {

    private final SacctParser parser = new SacctParser(ZoneOffset.UTC);

    private Map<String, SlurmJobInfo> byName(String recording) {
        return parser.parse(Recordings.read(recording)).stream()
                .collect(Collectors.toMap(SlurmJobInfo::jobName, Function.identity()));
    }

    @Test
    void readsTheDatabasesRecordOfFinishedJobs() {
        Map<String, SlurmJobInfo> jobs = byName("sacct/finished.txt");

        assertThat(jobs.get("rec-ok")).satisfies(j -> {
            assertThat(j.jobId()).isEqualTo("22");
            assertThat(j.state()).isEqualTo(SlurmState.COMPLETED);
            assertThat(j.exitCode()).isEqualTo("0:0");
            assertThat(j.nodeList()).isEqualTo("gpu-node1");
            assertThat(j.end()).isEqualTo(Instant.parse("2026-11-27T22:54:27Z"));
        });
        assertThat(jobs.get("rec-fail")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.FAILED);
            assertThat(j.exitStatus()).hasValue(1);
            assertThat(j.signal()).hasValue(0);
        });
        assertThat(jobs.get("rec-twonode").nodeList()).isEqualTo("gpu-node[1-2]");
        assertThat(jobs.get("rec-tlimit")).satisfies(j -> {
            assertThat(j.state()).isEqualTo(SlurmState.TIMEOUT);
            assertThat(j.elapsed()).isEqualTo(Duration.ofSeconds(76));
        });
    }

    @Test
    void cancelledByAUidIsCancelledAndKeepsSlurmsText() {
        SlurmJobInfo cancelled = byName("sacct/finished.txt").get("rec-sleeper");

        assertThat(cancelled.state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(cancelled.slurmState()).isEqualTo("CANCELLED by 0");
    }

    @Test
    void aJobCancelledWhilePendingHasNoStartAndNoNodes() {
        SlurmJobInfo neverRan = byName("sacct/finished.txt").get("rec-waits");

        assertThat(neverRan.state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(neverRan.start()).isNull();
        assertThat(neverRan.nodeList()).isEmpty();
        assertThat(neverRan.end()).isNotNull();
    }

    @Test
    void theJobcompFileGivesTheSameFieldsWithoutReasonOrUid() {
        Map<String, SlurmJobInfo> jobs = byName("sacct/jobcomp.txt");

        assertThat(jobs.get("rec-sleeper").slurmState()).isEqualTo("CANCELLED");
        assertThat(jobs.get("rec-sleeper").state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(jobs.get("rec-tlimit").state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(jobs.get("rec-fail").exitCode()).isEqualTo("1:0");
        assertThat(jobs.values()).allSatisfy(j -> assertThat(j.reason()).isEmpty());
    }

    @Test
    void theJobcompFilesNullNodeListIsNoNodes() {
        // Recorded on the same cluster: a refused submission as `sacct -c` prints it.
        SlurmJobInfo refused = parser.parse("8|FAILED|0:1|00:00:00|2026-11-27T22:44:40|2026-11-27T22:44:40|(null)||"
                + "sweepd-rec-toomany\n").get(0);

        assertThat(refused.nodeList()).isEmpty();
        assertThat(refused.state()).isEqualTo(SlurmState.FAILED);
    }

    @Test
    void stepRowsAreSkipped() {
        assertThat(parser.parse(Recordings.read("sacct/with-steps.txt")))
                .extracting(SlurmJobInfo::jobId).containsExactly("22", "23");
    }

    @Test
    void aLiveJobHasNoEnd() {
        // Recorded on the same cluster while the job ran: sacct prints End=Unknown.
        SlurmJobInfo running = parser.parse("10|RUNNING|0:0|00:00:03|2026-11-27T22:44:43|Unknown|gpu-node[3-4]|None|"
                + "sweepd-rec-pendres\n").get(0);

        assertThat(running.state()).isEqualTo(SlurmState.RUNNING);
        assertThat(running.start()).isNotNull();
        assertThat(running.end()).isNull();
    }

    @Test
    void anUnknownJobIsNoRows() {
        assertThat(parser.parse(Recordings.read("sacct/unknown-job.txt"))).isEmpty();
    }

    @Test
    void sacctStaysTextBecauseItsJsonOn2205SaysSuccessForAJobThatExited3() {
        String json = Recordings.read("json/sacct/failed-exit-3.json");

        assertThat(Recordings.read("json/sacct/failed-exit-3.txt")).isEqualTo("159|FAILED|3:0\n");
        assertThat(json).contains("\"current\": \"FAILED\"")
                .contains("\"exit_code\": {\n        \"status\": \"SUCCESS\",\n        \"return_code\": 0\n");
        // The jobcomp fallback (sacct -c) cannot be read as JSON at all.
        assertThat(Recordings.read("json/sacct/jobcomp.json")).contains("Failed connecting to slurmdbd");
    }
}
