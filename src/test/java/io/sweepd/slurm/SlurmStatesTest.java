package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmStatesTest {

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
    void everySlurmStateNameReducesToOneState(String slurm, SlurmState expected) {
        assertThat(SlurmStates.fromSlurm(slurm)).isEqualTo(expected);
        assertThat(SlurmStates.known(slurm)).isTrue();
    }

    @Test
    void slurmsOwnDeadlineIsATimeout() {
        assertThat(SlurmStates.fromSlurm("DEADLINE")).isEqualTo(SlurmState.TIMEOUT);
    }

    @Test
    void completingHasNotEndedBecauseATimeLimitTurnsItIntoTimeout() {
        assertThat(SlurmStates.fromSlurm("COMPLETING").ended()).isFalse();
        assertThat(SlurmStates.fromSlurm("COMPLETING").started()).isTrue();
    }

    @Test
    void onlyOutcomesHaveEndedAndOnlyWaitingStatesHaveNotStarted() {
        assertThat(Arrays.stream(SlurmState.values()).filter(SlurmState::ended)).containsExactlyInAnyOrder(
                SlurmState.COMPLETED, SlurmState.FAILED, SlurmState.TIMEOUT, SlurmState.CANCELLED, SlurmState.NODE_FAIL,
                SlurmState.OUT_OF_MEMORY, SlurmState.PREEMPTED);
        assertThat(Arrays.stream(SlurmState.values()).filter(state -> !state.started()))
                .containsExactlyInAnyOrder(SlurmState.PENDING, SlurmState.REQUEUED);
    }

    @Test
    void aStateListFromSlurm2311OnIsReducedToTheNameSlurmPrintsAFlagBeforeTheBaseState() {
        assertThat(SlurmStates.slurmState(List.of("RUNNING"))).isEqualTo("RUNNING");
        assertThat(SlurmStates.slurmState(List.of("TIMEOUT", "COMPLETING"))).isEqualTo("COMPLETING");
        assertThat(SlurmStates.slurmState(List.of("PENDING", "REQUEUED"))).isEqualTo("REQUEUED");
        assertThat(SlurmStates.slurmState(List.of("PENDING", "CONFIGURING", "POWER_UP_NODE"))).isEqualTo("CONFIGURING");
        // Flags Slurm's text output never prints leave the base state.
        assertThat(SlurmStates.slurmState(List.of("FAILED", "LAUNCH_FAILED"))).isEqualTo("FAILED");
        assertThat(SlurmStates.slurmState(List.of("LAUNCH_FAILED", "FAILED"))).isEqualTo("FAILED");
        assertThat(SlurmStates.slurmState(List.of("COMPLETED"))).isEqualTo("COMPLETED");
        assertThat(SlurmStates.slurmState(List.of())).isEmpty();
        assertThat(SlurmStates.slurmState(List.of("SOMETHING_NEW"))).isEqualTo("SOMETHING_NEW");
    }

    @Test
    void stateTextIsReadCaseInsensitivelyAndWithoutTrailingDetail() {
        assertThat(SlurmStates.fromSlurm(" completed ")).isEqualTo(SlurmState.COMPLETED);
        assertThat(SlurmStates.fromSlurm("RUNNING+")).isEqualTo(SlurmState.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SOMETHING_NEW"})
    void anUnknownStateIsNotAnOutcome(String unknown) {
        assertThat(SlurmStates.fromSlurm(unknown)).isEqualTo(SlurmState.UNKNOWN);
        assertThat(SlurmStates.fromSlurm(unknown).ended()).isFalse();
        assertThat(SlurmStates.known(unknown)).isFalse();
    }

    @Test
    void nullIsUnknown() {
        assertThat(SlurmStates.fromSlurm(null)).isEqualTo(SlurmState.UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PartitionNodeLimit", "PartitionConfig", "PartitionTimeLimit", "BadConstraints",
            "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS", "QOSMaxGRESPerJob", "QOSMaxNodePerJobLimit",
            "QOSMaxWallDurationPerJobLimit", "AssocMaxCpuPerJobLimit", "AssocMaxWallDurationPerJobLimit",
            "QOSMinGRES"})
    void reasonsThatNeverClearAreHopeless(String reason) {
        assertThat(SlurmStates.hopelessPendingReason(reason)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Resources", "Priority", "None", "ReqNodeNotAvail, UnavailableNodes:gpu-node1",
            "ReqNodeNotAvail", "Dependency", "BeginTime", "JobHeldUser", "JobHeldAdmin", "QOSMaxJobsPerUserLimit",
            "AssocGrpGRES", "QOSGrpNodeLimit", "NodeDown", "Reservation", ""})
    void reasonsThatClearWhenOtherJobsEndOrAnAdminActsAreNotHopeless(String reason) {
        assertThat(SlurmStates.hopelessPendingReason(reason)).isFalse();
    }

    @Test
    void aNullReasonIsNotHopeless() {
        assertThat(SlurmStates.hopelessPendingReason(null)).isFalse();
    }

    @Test
    void everyRecordedPendingReasonIsClassified() {
        // Recorded from squeue on 22.05: a too-large job shows PartitionConfig first, then PartitionNodeLimit; a job
        // waiting for busy GPUs shows None first, then Resources.
        assertThat(Arrays.stream(new String[] {"PartitionConfig", "PartitionNodeLimit"})
                .allMatch(SlurmStates::hopelessPendingReason)).isTrue();
        assertThat(Arrays.stream(new String[] {"None", "Resources"}).noneMatch(SlurmStates::hopelessPendingReason))
                .isTrue();
    }
}
