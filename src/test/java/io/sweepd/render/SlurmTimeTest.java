package io.sweepd.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmTimeTest {

    @Test
    void readsEverySlurmForm() {
        assertThat(SlurmTime.seconds("90")).isEqualTo(5400);
        assertThat(SlurmTime.seconds("10:30")).isEqualTo(630);
        assertThat(SlurmTime.seconds("06:00:00")).isEqualTo(21600);
        assertThat(SlurmTime.seconds("1-2")).isEqualTo(93600);
        assertThat(SlurmTime.seconds("1-02:30")).isEqualTo(95400);
        assertThat(SlurmTime.seconds("2-00:00:10")).isEqualTo(172810);
        assertThat(SlurmTime.seconds("UNLIMITED")).isZero();
        assertThatThrownBy(() -> SlurmTime.seconds("6h")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobLimitIsTheProfilesLimitCappedAtTheDeadlineRoundedUpToMinutes() {
        assertThat(SlurmTime.jobLimit("00:15:00", 600)).isEqualTo("00:10:00");
        assertThat(SlurmTime.jobLimit("06:00:00", 21600)).isEqualTo("06:00:00");
        assertThat(SlurmTime.jobLimit("06:00:00", 601)).isEqualTo("00:11:00");
        assertThat(SlurmTime.jobLimit("00:05:00", 600)).isEqualTo("00:05:00");
        assertThat(SlurmTime.jobLimit(null, 3 * 86400 + 1)).isEqualTo("3-00:01:00");
        assertThat(SlurmTime.jobLimit("infinite", 28800)).isEqualTo("08:00:00");
    }
}
