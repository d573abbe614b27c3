package io.sweepd.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Where a renderer writes: straight to the report file (a 10,000-point report is tens of megabytes, which a string
 * would hold twice over while it grows), with StringBuilder's chaining so renderers read the same.
 */
final class ReportOut {

    private final Writer writer;

    ReportOut(Writer writer) {
        this.writer = writer;
    }

    ReportOut append(String text) {
        try {
            writer.write(text == null ? "null" : text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ReportOut append(char ch) {
        try {
            writer.write(ch);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ReportOut append(int number) {
        return append(Integer.toString(number));
    }

    Writer writer() {
        return writer;
    }
}
