package io.sweepd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The lines one class (or one named logger, or every logger: {@link #all()}) logs while a test runs (Logback's
 * ListAppender); close it to detach.
 */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogLines(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    public static LogLines of(Class<?> source) {
        return new LogLines((Logger) LoggerFactory.getLogger(source));
    }

    /** Every logger's lines (the root logger's appender sees them all), with their MDC, thread and logger name. */
    public static LogLines all() {
        return new LogLines((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME));
    }

    /** The events logged so far, in order (a copy: the appender may still be adding to its list). */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase appends under this lock
            return List.copyOf(appender.list);
        }
    }

    /**
     * The formatted messages logged at this level, in order. Safe while another thread logs: the appender appends
     * holding its own lock (AppenderBase.doAppend is synchronized), and this reads holding it too.
     */
    public List<String> at(Level level) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
