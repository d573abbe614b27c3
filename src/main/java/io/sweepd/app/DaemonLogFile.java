package io.sweepd.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Turns on the daemon's log file: logback.xml adds its rolling file appender only when the property
 * {@value #PROPERTY} names a directory, so the daemon sets it (from {@link SweepdSettings#logDir()}) and has logback
 * read its configuration again. One-shot commands never do, so they never create log files. Logback may already have
 * been configured by then (any class that logs sets it up on first use), which is why this reconfigures rather than
 * relying on the property being there before logback starts. Closing returns to the configuration without the file.
 */
public final class DaemonLogFile implements AutoCloseable {

    /** The property logback.xml reads; the same name as the setting it comes from. */
    public static final String PROPERTY = "sweepd.log-dir";

    private final LoggerContext logback;

    private DaemonLogFile(LoggerContext logback) {
        this.logback = logback;
    }

    /**
     * Writes every line also to {@code sweepd.log} in the directory (logback creates it). Does nothing when SLF4J is
     * not bound to logback (a caller with its own logging backend keeps it as it is).
     */
    public static DaemonLogFile open(Path directory) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext logback)) {
            return new DaemonLogFile(null);
        }
        reconfigure(logback, directory.toAbsolutePath().normalize().toString());
        return new DaemonLogFile(logback);
    }

    @Override
    public void close() {
        if (logback != null) {
            reconfigure(logback, null);
        }
    }

    private static void reconfigure(LoggerContext logback, String directory) {
        logback.reset(); // drops the appenders and the context's properties, so the property is set after it
        if (directory != null) {
            logback.putProperty(PROPERTY, directory);
        }
        try {
            // The same lookup as at JVM start: logback.configurationFile if given, else logback.xml.
            new ContextInitializer(logback).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
        }
    }
}
