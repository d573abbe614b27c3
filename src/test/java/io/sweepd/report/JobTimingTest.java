package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Queue wait, run time and GPU-hours of a job, from its times and GPUs. */
class JobTimingTest {

    private static final Instant SUBMIT = Instant.parse("2026-11-02T10:00:00Z");

    private static JobTiming job(int gpus, int points, Instant submitted, Instant started, Instant ended,
                                 String reusedFrom) {
        return new JobTiming("k", "cfg tp8", "4242", 1, "COMPLETED", "gpu-node[1-2]", gpus, points, submitted, started,
                ended, null, null, reusedFrom, null, null, null, null);
    }

    @Test
    void queueWaitIsSubmitToStartAndRunTimeIsStartToEnd() {
        JobTiming j = job(16, 4, SUBMIT, SUBMIT.plusSeconds(754), SUBMIT.plusSeconds(754 + 5400), null);

        assertThat(j.queueWait()).isEqualTo(Duration.ofSeconds(754));
        assertThat(j.runTime()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void gpuHoursAreGpusTimesRunTimeAndEachPointCarriesItsShare() {
        // 16 GPUs for 90 minutes: 24 GPU-hours, whatever the queue wait was; four concurrencies share them.
        JobTiming j = job(16, 4, SUBMIT, SUBMIT.plusSeconds(3600), SUBMIT.plusSeconds(3600 + 5400), null);

        assertThat(j.gpuHours()).isCloseTo(24.0, within(1e-9));
        assertThat(j.gpuHoursPerPoint()).isCloseTo(6.0, within(1e-9));
    }

    @Test
    void aRunsGpuHoursAreTheSumOfItsJobsThatRanAndNeitherQueuedNorReusedJobsCount() {
        JobTiming ran = job(8, 2, SUBMIT, SUBMIT.plusSeconds(60), SUBMIT.plusSeconds(60 + 1800), null); // 4 GPU-h
        JobTiming alsoRan = job(16, 1, SUBMIT, SUBMIT, SUBMIT.plusSeconds(900), null);                   // 4 GPU-h
        JobTiming queued = job(8, 1, SUBMIT, null, null, null);
        JobTiming running = job(8, 1, SUBMIT, SUBMIT.plusSeconds(5), null, null);
        JobTiming reused = job(8, 1, SUBMIT, SUBMIT.plusSeconds(60), SUBMIT.plusSeconds(3660), "nightly-20261101");

        assertThat(queued.queueWait()).isNull();
        assertThat(queued.gpuHours()).isNull();
        assertThat(running.queueWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(running.runTime()).isNull();
        assertThat(reused.gpuHours()).as("an earlier run paid for it").isNull();
        assertThat(JobTiming.totalGpuHours(List.of(ran, alsoRan, queued, running, reused))).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void clockSkewBetweenSlurmAndTheLedgerNeverShowsAsNegativeTime() {
        JobTiming j = job(8, 1, SUBMIT, SUBMIT.minusSeconds(2), SUBMIT.plusSeconds(60), null);

        assertThat(j.queueWait()).isEqualTo(Duration.ZERO);
    }

    @Test
    void unknownGpusGiveNoGpuHours() {
        assertThat(job(0, 1, SUBMIT, SUBMIT, SUBMIT.plusSeconds(60), null).gpuHours()).isNull();
        assertThat(job(8, 0, SUBMIT, SUBMIT, SUBMIT.plusSeconds(3600), null).gpuHoursPerPoint()).isNull();
    }
}
