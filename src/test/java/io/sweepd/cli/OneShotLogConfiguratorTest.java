package io.sweepd.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import io.sweepd.app.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OneShotLogConfiguratorTest {

    @AfterEach
    void clearTheRequest() {
        System.clearProperty(OneShotLogConfigurator.PROPERTY);
        MDC.clear();
    }

    @Test
    void itsPatternIsLogbackXmlsPattern() throws Exception {
        String xml = Files.readString(Path.of("src/main/resources/logback.xml"));
        Matcher pattern = Pattern.compile("<property name=\"SWEEPD_PATTERN\" value=\"([^\"]+)\"/>").matcher(xml);
        assertThat(pattern.find()).as("logback.xml defines SWEEPD_PATTERN").isTrue();
        assertThat(OneShotLogConfigurator.PATTERN).isEqualTo(pattern.group(1));
    }

    @Test
    void aOneShotCommandLogsWarningsToStderrWithTheIdsOfItsLine() {
        System.setProperty(OneShotLogConfigurator.PROPERTY, "true");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // as logback's own start gives the context it configures
        OneShotLogConfigurator configurator = new OneShotLogConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);

        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            MDC.put(LogContext.RUN, "quickstart-20261203-120000");
            context.getLogger("io.sweepd.Some").info("not shown");
            context.getLogger("io.sweepd.Some").warn("shown");
        } finally {
            System.setErr(stderr);
            context.stop();
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[Some run=quickstart-20261203-120000]"
                        + " shown\\R");
    }

    @Test
    void withoutTheRequestLogbackXmlConfiguresAsBefore() {
        LoggerContext context = new LoggerContext();
        OneShotLogConfigurator configurator = new OneShotLogConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void theDaemonAndAChosenLevelAreNotOneShotLogging() {
        assumeTrue(System.getenv("SWEEPD_LOG_LEVEL") == null && System.getProperty("logback.configurationFile") == null,
                "the environment chose a level or a configuration");
        OneShotLogConfigurator.askFor("daemon");
        assertThat(System.getProperty(OneShotLogConfigurator.PROPERTY)).isNull();
        OneShotLogConfigurator.askFor("status");
        assertThat(System.getProperty(OneShotLogConfigurator.PROPERTY)).isEqualTo("true");
    }
}
