package io.sweepd.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot command says what it did on stdout (and what went wrong on stderr) itself; the INFO lines the classes
 * it calls log for the daemon's log would say the same things a second time. While a command runs, only warnings
 * and errors are logged (to stderr, see logback.xml), unless SWEEPD_LOG_LEVEL asks for more. Closing restores the
 * level, so a test JVM that runs commands in-process logs as before.
 */
final class OneShotLogging implements AutoCloseable {

    private final Logger root;
    private final Level before;

    private OneShotLogging(Logger root, Level before) {
        this.root = root;
        this.before = before;
    }

    static OneShotLogging warningsOnly() {
        boolean levelAsked = System.getenv("SWEEPD_LOG_LEVEL") != null;
        if (levelAsked || !(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return new OneShotLogging(null, null); // the level given, or another logging backend: left as it is
        }
        Level before = root.getLevel();
        root.setLevel(Level.WARN);
        return new OneShotLogging(root, before);
    }

    @Override
    public void close() {
        if (root != null) {
            root.setLevel(before);
        }
    }
}
