package io.sweepd.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Where a renderer writes: straight to the report file (a 10,000-point report is tens of megabytes, which a string
 * would hold twice over while it grows), with StringBuilder's chaining so renderers read the same. Text is gathered
 * in a chunk of a few kilobytes and handed to the writer a chunk at a time: a page is hundreds of thousands of short
 * pieces, and a Writer's every call locks, checks it is open and copies, which took a tenth of the page's rendering.
 * {@link #flush} hands over the rest; every renderer ends with it.
 */
final class ReportOut {

    private static final int CHUNK = 16 * 1024;

    private final Writer writer;
    private StringBuilder chunk = new StringBuilder(CHUNK + 256);

    ReportOut(Writer writer) {
        this.writer = writer;
    }

    ReportOut append(String text) {
        chunk.append(text);
        if (chunk.length() >= CHUNK) {
            flush();
        }
        return this;
    }

    ReportOut append(char ch) {
        chunk.append(ch);
        return this;
    }

    ReportOut append(int number) {
        chunk.append(number);
        return this;
    }

    /** Hands what was appended to the writer. */
    void flush() {
        if (chunk.length() == 0) {
            return;
        }
        try {
            writer.write(chunk.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A new builder, not setLength(0): one that held a character outside Latin-1 keeps two bytes a character.
        chunk = new StringBuilder(CHUNK + 256);
    }

    /** The writer itself, for a renderer that streams into it (after what was appended so far). */
    Writer writer() {
        flush();
        return writer;
    }
}
