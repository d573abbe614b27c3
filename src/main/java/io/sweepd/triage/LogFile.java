package io.sweepd.triage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One log file, read from its end backwards in chunks that start at a line boundary, so that the lines read so
 * far are always whole and in file order. Line numbers are worked out only for the line a result quotes.
 */
final class LogFile {

    /** Counting newlines further than this to number one line is not worth it: the result says 0 (unknown). */
    private static final long MAX_COUNT_BYTES = 1L << 30;

    private final Path path;
    private final String name;
    private final int maxLineChars;
    /** Chunks read so far, earliest first. */
    private final List<List<LogLine>> chunks = new ArrayList<>();
    private List<LogLine> lines = List.of();
    /** Where the earliest chunk read starts; the file's size before anything is read. */
    private long loadedFrom;
    /** How many lines, at the start of {@link #lines()}, the last read added. */
    private int fresh;

    LogFile(Path path, String name, int maxLineChars) {
        this.path = path;
        this.name = name;
        this.maxLineChars = maxLineChars;
        long length;
        try {
            length = Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        this.loadedFrom = length;
    }

    String name() {
        return name;
    }

    /** The lines read so far, in file order. */
    List<LogLine> lines() {
        return lines;
    }

    boolean complete() {
        return loadedFrom == 0;
    }

    /** The number of lines the last round added: they are the first ones of {@link #lines()}. */
    int fresh() {
        return fresh;
    }

    /** A round that read nothing of this file added no line. */
    void nothingFresh() {
        fresh = 0;
    }

    /**
     * Reads up to {@code maxBytes} more, just before what was read; returns the bytes read. The chunk starts after
     * its first newline, so the line cut in two belongs to the chunk before it, read in a later round.
     */
    long readEarlier(long maxBytes) {
        if (loadedFrom == 0 || maxBytes <= 0) {
            fresh = 0;
            return 0;
        }
        long start = Math.max(0, loadedFrom - maxBytes);
        int length = (int) (loadedFrom - start);
        byte[] bytes = new byte[length];
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = start;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        int skip = 0;
        if (start > 0) {
            int newline = indexOf(bytes, (byte) '\n');
            // A chunk without a newline is the middle of one enormous line: keep it as it is.
            skip = newline < 0 ? 0 : newline + 1;
        }
        long chunkStart = start + skip;
        List<LogLine> chunk = LineCleaner.lines(bytes, skip, length - skip, chunkStart, maxLineChars);
        chunks.add(0, chunk);
        fresh = chunk.size();
        loadedFrom = chunkStart;
        List<LogLine> all = new ArrayList<>();
        chunks.forEach(all::addAll);
        lines = all;
        return length;
    }

    /** The 1-based line number of a line read from this file; 0 when it would take too long to count. */
    long lineNumber(LogLine line) {
        long before = line.chunkStart() == 0 ? 0 : newlinesBefore(line.chunkStart());
        return before < 0 ? 0 : before + line.lineInChunk() + 1;
    }

    private long newlinesBefore(long offset) {
        if (offset > MAX_COUNT_BYTES) {
            return -1;
        }
        long count = 0;
        long remaining = offset;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
                remaining -= n;
            }
        } catch (IOException e) {
            return -1;
        }
        return count;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
