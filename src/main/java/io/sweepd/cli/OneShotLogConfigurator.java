package io.sweepd.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.sweepd.app.LogIds;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Logging for a one-shot command started from {@link SweepdCli#main}: warnings and errors on stderr in logback.xml's
 * pattern, set up in code. Reading logback.xml (an XML parser, logback's configuration model) took about 0.15 s of
 * every {@code sweepd status}, to configure what a one-shot command mostly turns down to warnings anyway
 * ({@link OneShotLogging}). Found by logback as a service; it acts only when {@code main} asked for it
 * ({@value #PROPERTY}), which it does not for the daemon, for {@code SWEEPD_LOG_LEVEL} or for a
 * {@code logback.configurationFile} of the user's: those, and tests that run commands in-process, read logback.xml.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class OneShotLogConfigurator extends ContextAwareBase implements Configurator {

    /** The system property {@link SweepdCli#main} sets for a one-shot command. */
    static final String PROPERTY = "io.sweepd.cli.oneShotLogging";

    /** logback.xml's SWEEPD_PATTERN (a test holds the two the same), with its {@code %sweepdIds}. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%logger{0}%sweepdIds] %msg%n";

    /** Asks for this configuration, unless the daemon runs or the user chose a level or a configuration file. */
    static void askFor(String subcommand) {
        if (!"daemon".equals(subcommand) && System.getenv("SWEEPD_LOG_LEVEL") == null
                && System.getProperty("logback.configurationFile") == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback.xml
        }
        Map<String, Supplier<DynamicConverter<?>>> rules = new HashMap<>();
        rules.put("sweepdIds", LogIds::new);
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("CONSOLE");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
