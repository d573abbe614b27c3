package io.sweepd.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether a person reads stdout at a terminal: only then may a command write terminal control codes (ANSI). */
final class Terminal {

    private Terminal() {
    }

    /**
     * On Java 17 {@link System#console()} is null unless stdin and stdout are a terminal. From Java 22 it may return
     * a console also when they are redirected, and {@code Console.isTerminal()} (looked up by reflection, since sweepd
     * builds for 17) says which it is.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java 17 to 21: a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
