package io.sweepd.triage;

/**
 * One log line as triage matches it: colour codes gone, the process prefix set aside.
 *
 * @param prefix      the process prefix as written ({@code "[decode-3] "}), "" when none
 * @param rank        the process it names ({@code decode-3}), null when none: lines of the same rank belong to one
 *                    process's traceback when ranks interleave
 * @param text        the line without its prefix, what signatures match
 * @param chunkStart  byte offset of the chunk the line was read in
 * @param lineInChunk 0-based count of newlines before the line within that chunk
 */
record LogLine(String prefix, String rank, String text, long chunkStart, int lineInChunk) {

    /** The line as a person reads it in the file (colour codes removed). */
    String display() {
        return prefix + text;
    }
}
