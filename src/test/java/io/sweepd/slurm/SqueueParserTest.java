package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.sweepd.jobs.JobState;

import org.junit.jupiter.api.Test;

class SqueueParserTest {

    private final SqueueParser parser = new SqueueParser(ZoneOffset.UTC);

    private Map<String, SlurmJobInfo> byName(String recording) {
        return parser.parse(Recordings.read(recording)).stream()
                .collect(Collectors.toMap(SlurmJobInfo::jobName, Function.identity()));
    }

    @Test
    void readsEveryRowOfARecordedQueueWithMappedStates() {
        Map<String, SlurmJobInfo> jobs = byName("squeue/after-cancel.txt");

        assertThat(jobs).hasSize(10);
        assertThat(jobs.get("rec-ok").state()).isEqualTo(JobState.COMPLETED);
        assertThat(jobs.get("rec-twonode").nodeList()).isEqualTo("gpu-node[1-2]");
        assertThat(jobs.get("rec-fail").state()).isEqualTo(JobState.FAILED);
        assertThat(jobs.get("rec-fail").reason()).isEqualTo("NonZeroExitCode");
        assertThat(jobs.get("rec-sleeper").state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.get("rec-waits").state()).isEqualTo(JobState.PENDING);
        assertThat(jobs.get("rec-waits").reason()).isEqualTo("Resources");
        assertThat(jobs.get("rec-hog").state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aRejectedSubmissionStillLeavesAFailedJobWithBadConstraints() {
        SlurmJobInfo refused = byName("squeue/after-cancel.txt").get("rec-toomanygpus");

        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(refused.reason()).isEqualTo("BadConstraints");
        assertThat(refused.nodeList()).isEmpty();
    }

    @Test
    void aJobTooLargeForItsPartitionPendsWithAHopelessReason() {
        SlurmJobInfo tooLarge = byName("squeue/after-cancel.txt").get("rec-toomanynodes");

        assertThat(tooLarge.state()).isEqualTo(JobState.PENDING);
        assertThat(tooLarge.reason()).isEqualTo("PartitionNodeLimit");
        assertThat(JobStates.hopelessPendingReason(tooLarge.reason())).isTrue();
        assertThat(tooLarge.start()).isNull();
        assertThat(tooLarge.end()).isNull();
    }

    @Test
    void aLiveJobHasAStartButNoEndEvenThoughSqueuePrintsItsExpectedEnd() {
        SlurmJobInfo running = byName("squeue/mixed-states.txt").get("rec-tlimit");

        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.start()).isEqualTo(Instant.parse("2026-11-27T22:54:27Z"));
        assertThat(running.end()).isNull();
        assertThat(running.elapsed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aJobPastItsTimeLimitIsCompletingAndStillLiveThenTimeout() {
        SlurmJobInfo completing = parser.parse(Recordings.read("squeue/completing-time-limit.txt")).get(0);
        SlurmJobInfo timedOut = parser.parse(Recordings.read("squeue/timeout.txt")).get(0);

        assertThat(completing.slurmState()).isEqualTo("COMPLETING");
        assertThat(completing.reason()).isEqualTo("TimeLimit");
        assertThat(completing.state()).isEqualTo(JobState.RUNNING);
        assertThat(completing.state().live()).isTrue();
        assertThat(timedOut.state()).isEqualTo(JobState.TIMEOUT);
        assertThat(timedOut.reason()).isEqualTo("TimeLimit");
        assertThat(timedOut.elapsed()).isEqualTo(Duration.ofSeconds(76));
        assertThat(timedOut.end()).isEqualTo(Instant.parse("2026-11-27T22:55:43Z"));
        assertThat(timedOut.exitCode()).as("squeue does not report exit codes").isEmpty();
    }

    @Test
    void timesAreReadInTheGivenZoneBecauseSlurmPrintsThemWithoutOne() {
        SqueueParser paris = new SqueueParser(ZoneId.of("Europe/Paris"));

        SlurmJobInfo ok = paris.parse(Recordings.read("squeue/mixed-states.txt")).get(0);

        assertThat(ok.start()).isEqualTo(Instant.parse("2026-11-27T21:54:27Z"));
    }

    @Test
    void aNameContainingTheSeparatorIsKeptWhole() {
        List<SlurmJobInfo> jobs = parser.parse("7|RUNNING|None|gpu-node1|1-02:03:04|2026-11-27T22:54:27|N/A|odd|name\n");

        assertThat(jobs).singleElement().satisfies(j -> {
            assertThat(j.jobName()).isEqualTo("odd|name");
            assertThat(j.elapsed()).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4));
        });
    }

    @Test
    void anUnreadableRowIsSkippedAndTheOthersKept() {
        List<SlurmJobInfo> jobs = parser.parse("garbage\n\n22|COMPLETED|None|gpu-node1|0:00|N/A|N/A|rec-ok\n");

        assertThat(jobs).extracting(SlurmJobInfo::jobId).containsExactly("22");
    }

    @Test
    void emptyOutputIsAnEmptyQueue() {
        assertThat(parser.parse("")).isEmpty();
    }
}
