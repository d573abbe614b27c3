package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import io.sweepd.core.JobState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobStatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PENDING, PENDING",
            "CONFIGURING, PENDING",
            "RESV_DEL_HOLD, PENDING",
            "REQUEUED, REQUEUED",
            "REQUEUE_FED, REQUEUED",
            "REQUEUE_HOLD, REQUEUED",
            "RUNNING, RUNNING",
            "COMPLETING, RUNNING",
            "SUSPENDED, RUNNING",
            "STOPPED, RUNNING",
            "SIGNALING, RUNNING",
            "STAGE_OUT, RUNNING",
            "RESIZING, RUNNING",
            "COMPLETED, COMPLETED",
            "FAILED, FAILED",
            "SPECIAL_EXIT, FAILED",
            "BOOT_FAIL, NODE_FAIL",
            "TIMEOUT, TIMEOUT",
            "DEADLINE, TIMEOUT",
            "CANCELLED, CANCELLED",
            "'CANCELLED by 0', CANCELLED",
            "'CANCELLED by 1000', CANCELLED",
            "REVOKED, CANCELLED",
            "NODE_FAIL, NODE_FAIL",
            "OUT_OF_MEMORY, OUT_OF_MEMORY",
            "PREEMPTED, PREEMPTED",
    })
    void everySlurmStateMapsOntoOneJobState(String slurm, JobState expected) {
        assertThat(JobStates.fromSlurm(slurm)).isEqualTo(expected);
        assertThat(JobStates.known(slurm)).isTrue();
    }

    @Test
    void slurmsOwnDeadlineIsATimeoutNotSweepdsDeadlineVerdict() {
        assertThat(JobStates.fromSlurm("DEADLINE")).isEqualTo(JobState.TIMEOUT).isNotEqualTo(JobState.DEADLINE);
    }

    @Test
    void completingIsStillLiveBecauseATimeLimitTurnsItIntoTimeout() {
        assertThat(JobStates.fromSlurm("COMPLETING").live()).isTrue();
    }

    @Test
    void noSlurmStateMapsToSweepdsOwnStates() {
        for (String s : new String[] {"PENDING", "CONFIGURING", "RESV_DEL_HOLD", "REQUEUED", "REQUEUE_FED",
                "REQUEUE_HOLD", "RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING",
                "COMPLETED", "FAILED", "SPECIAL_EXIT", "BOOT_FAIL", "TIMEOUT", "DEADLINE", "CANCELLED", "REVOKED",
                "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED"}) {
            assertThat(JobStates.fromSlurm(s)).isNotIn(JobState.PLANNED, JobState.SUBMITTING, JobState.SUBMIT_FAILED,
                    JobState.DEADLINE, JobState.LOST, JobState.INVALID);
        }
    }

    @Test
    void aStateListFromSlurm2311OnIsReducedToTheNameSlurmPrintsAFlagBeforeTheBaseState() {
        assertThat(JobStates.slurmState(List.of("RUNNING"))).isEqualTo("RUNNING");
        assertThat(JobStates.slurmState(List.of("TIMEOUT", "COMPLETING"))).isEqualTo("COMPLETING");
        assertThat(JobStates.slurmState(List.of("PENDING", "REQUEUED"))).isEqualTo("REQUEUED");
        assertThat(JobStates.slurmState(List.of("PENDING", "CONFIGURING", "POWER_UP_NODE"))).isEqualTo("CONFIGURING");
        // Flags Slurm's text output never prints leave the base state.
        assertThat(JobStates.slurmState(List.of("FAILED", "LAUNCH_FAILED"))).isEqualTo("FAILED");
        assertThat(JobStates.slurmState(List.of("LAUNCH_FAILED", "FAILED"))).isEqualTo("FAILED");
        assertThat(JobStates.slurmState(List.of("COMPLETED"))).isEqualTo("COMPLETED");
        assertThat(JobStates.slurmState(List.of())).isEmpty();
        assertThat(JobStates.slurmState(List.of("SOMETHING_NEW"))).isEqualTo("SOMETHING_NEW");
    }

    @Test
    void stateTextIsReadCaseInsensitivelyAndWithoutTrailingDetail() {
        assertThat(JobStates.fromSlurm(" completed ")).isEqualTo(JobState.COMPLETED);
        assertThat(JobStates.fromSlurm("RUNNING+")).isEqualTo(JobState.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SOMETHING_NEW"})
    void anUnknownStateStaysLiveInsteadOfBecomingAVerdict(String unknown) {
        assertThat(JobStates.fromSlurm(unknown)).isEqualTo(JobState.RUNNING);
        assertThat(JobStates.known(unknown)).isFalse();
    }

    @Test
    void nullIsUnknown() {
        assertThat(JobStates.fromSlurm(null)).isEqualTo(JobState.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PartitionNodeLimit", "PartitionConfig", "PartitionTimeLimit", "BadConstraints",
            "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS", "QOSMaxGRESPerJob", "QOSMaxNodePerJobLimit",
            "QOSMaxWallDurationPerJobLimit", "AssocMaxCpuPerJobLimit", "AssocMaxWallDurationPerJobLimit",
            "QOSMinGRES"})
    void reasonsThatNeverClearAreHopeless(String reason) {
        assertThat(JobStates.hopelessPendingReason(reason)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Resources", "Priority", "None", "ReqNodeNotAvail, UnavailableNodes:gpu-node1",
            "ReqNodeNotAvail", "Dependency", "BeginTime", "JobHeldUser", "JobHeldAdmin", "QOSMaxJobsPerUserLimit",
            "AssocGrpGRES", "QOSGrpNodeLimit", "NodeDown", "Reservation", ""})
    void reasonsThatClearWhenOtherJobsEndOrAnAdminActsAreNotHopeless(String reason) {
        assertThat(JobStates.hopelessPendingReason(reason)).isFalse();
    }

    @Test
    void aNullReasonIsNotHopeless() {
        assertThat(JobStates.hopelessPendingReason(null)).isFalse();
    }

    @Test
    void everyRecordedPendingReasonIsClassified() {
        // Recorded from squeue on 22.05: a too-large job shows PartitionConfig first, then PartitionNodeLimit; a job
        // waiting for busy GPUs shows None first, then Resources.
        assertThat(Arrays.stream(new String[] {"PartitionConfig", "PartitionNodeLimit"})
                .allMatch(JobStates::hopelessPendingReason)).isTrue();
        assertThat(Arrays.stream(new String[] {"None", "Resources"}).noneMatch(JobStates::hopelessPendingReason))
                .isTrue();
    }
}
