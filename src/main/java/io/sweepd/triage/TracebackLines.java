package io.sweepd.triage;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A Python traceback quotes source code under each frame ({@code     raise LocalEntryNotFoundError(}); such a line
 * names an exception class without being the error, so it is never a signature's evidence nor the lead quoted
 * for an unknown failure. The exception's own line, at the traceback's end, is.
 */
final class TracebackLines {

    private static final Pattern FRAME = Pattern.compile("^\\s*File \"[^\"]+\", line \\d+");
    private static final Pattern RAISE = Pattern.compile("^\\s+raise\\b");

    private TracebackLines() {
    }

    /** Whether line {@code index} of {@code lines} is source code a traceback quotes under a frame. */
    static boolean isSource(List<LogLine> lines, int index) {
        String text = lines.get(index).text();
        if (RAISE.matcher(text).find()) {
            return true;
        }
        return index > 0 && !text.isEmpty() && Character.isWhitespace(text.charAt(0))
                && FRAME.matcher(lines.get(index - 1).text()).find();
    }
}
