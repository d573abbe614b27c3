package io.sweepd.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's logback.xml as the daemon turns its file on: the rolling file in the configured directory. */
class DaemonLogFileTest {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(DaemonLogFileTest.class);

    @TempDir
    Path home;

    @Test
    void theDaemonsLinesGoToSweepdLogInTheConfiguredDirectoryWithTheirIds() throws Exception {
        Path logs = home.resolve("var/logs"); // not there yet: logback creates it
        try (DaemonLogFile ignored = DaemonLogFile.open(logs)) {
            MDC.put(LogContext.RUN, "seed-20261201-101500");
            MDC.put(LogContext.JOB, "dsr1_1k1k-3fa2c1d0e4");
            MDC.put(LogContext.SLURM_JOB, "4711");
            try {
                LOG.info("a line while the file is on");
            } finally {
                MDC.clear();
            }
            LOG.info("a line about nothing in particular");
            LOG.debug("below the default level");
        }
        LOG.info("a line after the daemon closed its file");

        List<String> lines = Files.readAllLines(logs.resolve("sweepd.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  "
                + "\\[DaemonLogFileTest run=seed-20261201-101500 job=dsr1_1k1k-3fa2c1d0e4 slurm=4711\\] "
                + "a line while the file is on");
        assertThat(lines.get(1)).endsWith(" INFO  [DaemonLogFileTest] a line about nothing in particular");
    }

    @Test
    void theFileRollsDailyAndBySizeWithinAHistoryAndATotalCap() {
        try (DaemonLogFile ignored = DaemonLogFile.open(home)) {
            RollingFileAppender<?> file = (RollingFileAppender<?>) rootAppenders().stream()
                    .filter(a -> a instanceof RollingFileAppender).findFirst().orElseThrow();
            assertThat(Path.of(file.getFile())).isEqualTo(home.resolve("sweepd.log"));
            assertThat(file.getRollingPolicy()).isInstanceOfSatisfying(SizeAndTimeBasedRollingPolicy.class, policy -> {
                assertThat(policy.getFileNamePattern()).isEqualTo(home + "/sweepd.%d{yyyy-MM-dd}.%i.log");
                assertThat(policy.getMaxHistory()).isEqualTo(30);
            });
            assertThat(rootAppenders()).extracting(Appender::getName).containsExactlyInAnyOrder("CONSOLE", "FILE");
        }
        assertThat(rootAppenders()).as("closed: the console only").extracting(Appender::getName)
                .containsExactly("CONSOLE");
    }

    @Test
    void withoutTheDaemonThereIsNoFileAppender() {
        // What a one-shot command gets: the configuration the JVM started with, whose directory property is unset.
        assertThat(rootAppenders()).extracting(Appender::getName).containsExactly("CONSOLE");
    }

    private static List<Appender<?>> rootAppenders() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<?>> appenders = new ArrayList<>();
        for (Iterator<? extends Appender<?>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            appenders.add(it.next());
        }
        return appenders;
    }
}
