package io.sweepd.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.core.JobState;
import io.sweepd.slurm.SlurmState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where Slurm's vocabulary meets sweepd's: the tracker's one mapping from a Slurm state to a job state. */
class SlurmStateMappingTest {

    @ParameterizedTest
    @EnumSource(SlurmState.class)
    void aSlurmStateIsAnOutcomeForSweepdExactlyWhenSlurmSaysTheJobEnded(SlurmState state) {
        assertThat(JobTracker.tracked(state).terminal()).isEqualTo(state.ended());
        assertThat(JobTracker.tracked(state).live()).isEqualTo(!state.ended());
    }

    @ParameterizedTest
    @EnumSource(SlurmState.class)
    void noSlurmStateBecomesOneOfSweepdsOwnVerdicts(SlurmState state) {
        assertThat(JobTracker.tracked(state)).isNotIn(JobState.PLANNED, JobState.SUBMITTING, JobState.SUBMIT_FAILED,
                JobState.DEADLINE, JobState.LOST, JobState.INVALID);
    }

    @Test
    void aStateThisSlurmClientDoesNotKnowKeepsTheJobRunningUnderTheDeadlines() {
        assertThat(JobTracker.tracked(SlurmState.UNKNOWN)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void slurmsOutcomesKeepTheirNames() {
        for (SlurmState state : SlurmState.values()) {
            if (state != SlurmState.UNKNOWN) {
                assertThat(JobTracker.tracked(state).name()).isEqualTo(state.name());
            }
        }
    }
}
