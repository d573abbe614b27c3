package io.sweepd.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogIdsTest {

    private static String ids(Map<String, String> context) {
        LoggerContext logback = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", logback.getLogger("test"), Level.INFO, "message", null, null);
        event.setMDCPropertyMap(context);
        return new LogIds().convert(event);
    }

    @Test
    void nothingWhenNoIdIsKnown() {
        assertThat(ids(Map.of())).isEmpty();
        assertThat(ids(Map.of("camel.exchangeId", "ABC-1"))).as("Camel's own keys are not ours").isEmpty();
    }

    @Test
    void theSweepUntilItsRunIsKnownThenTheRunWhichStartsWithIt() {
        assertThat(ids(Map.of(LogContext.SWEEP, "seed"))).isEqualTo(" sweep=seed");
        assertThat(ids(Map.of(LogContext.SWEEP, "seed", LogContext.RUN, "seed-20261201-101500")))
                .isEqualTo(" run=seed-20261201-101500");
    }

    @Test
    void aJobsRunKeyAndSlurmIdAndNothingForAnEmptyOne() {
        assertThat(ids(Map.of(LogContext.RUN, "seed-1", LogContext.JOB, "dsr1_1k1k-3fa2c1d0e4",
                LogContext.SLURM_JOB, "4711"))).isEqualTo(" run=seed-1 job=dsr1_1k1k-3fa2c1d0e4 slurm=4711");
        assertThat(ids(Map.of(LogContext.RUN, "seed-1", LogContext.JOB, "dsr1_1k1k-3fa2c1d0e4",
                LogContext.SLURM_JOB, ""))).isEqualTo(" run=seed-1 job=dsr1_1k1k-3fa2c1d0e4");
    }
}
