package io.sweepd.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SweepCountsTest {

    @Test
    void configurationsAreJobKeysPointsAreConcurrenciesAndAConfigurationIsRefusedOnlyWhenNoneOfItRuns() {
        SweepCounts counts = SweepCounts.tally()
                .add("a", 1, false).add("a", 1, false)   // single-node: one entry per concurrency
                .add("b", 4, false)                      // multinode: one entry, four concurrencies
                .add("c", 5, true).add("d", 6, true)     // refused whole
                .add("e", 1, false).add("e", 1, true)    // one concurrency of a running configuration refused
                .counts();

        assertThat(counts).isEqualTo(new SweepCounts(5, 3, 19, 2, 12));
        assertThat(counts.describe())
                .isEqualTo("5 configurations → 3 jobs, 19 points; refused: 2 configurations (12 points)");
    }

    @Test
    void theWordsAgreeInNumber() {
        assertThat(SweepCounts.tally().add("a", 1, false).counts().describe())
                .isEqualTo("1 configuration → 1 job, 1 point");
        assertThat(SweepCounts.tally().add("a", 1, false).add("a", 1, true).counts().describe())
                .isEqualTo("1 configuration → 1 job, 2 points; refused: 1 point");
    }
}
