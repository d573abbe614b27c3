package io.sweepd.triage;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a log into the lines signatures match: UTF-8 (undecodable bytes replaced, logs carry
 * binary junk), {@code \r\n}, {@code \n} and a bare {@code \r} (tqdm redraws a progress bar with it) all end a
 * line, ANSI colour and cursor codes removed, and a process prefix set aside.
 */
final class LineCleaner {

    /** CSI sequences (colours, erase line), OSC sequences (titles, links) and the two-character escapes. */
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u001B[@-Z\\\\-_]");

    /**
     * srt-slurm's {@code [decode-3] }, vLLM's multiprocess {@code (VllmWorker rank=3 pid=42) } and
     * {@code (EngineCore_DP3 pid=42) }, Ray's {@code (RayWorkerWrapper pid=42, ip=10.0.0.1) }, torch's
     * {@code [rank3]:}, srun --label's {@code 3: }.
     */
    private static final Pattern RANK_PREFIX = Pattern.compile(
            "^(?:\\[(?<bracket>[A-Za-z][\\w.]*-\\d+)]\\s|\\((?<paren>[^()]{1,60}? pid=\\d+[^()]{0,40})\\)\\s?"
                    + "|\\[(?<torch>rank\\d+)]:\\s?|(?<label>\\d{1,5}):\\s)");

    /**
     * What comes before the process prefix and says nothing about the failure: a log collector's timestamp
     * ({@code 2024-06-28T06:11:52.685300953Z }, with a container runtime's {@code stdout F }), the kernel's
     * {@code [ 1843.308145] }, a viewer's line number {@code [80746] }. Set aside with the prefix, so that
     * signatures and the rank see the line as the process wrote it.
     */
    private static final Pattern NOISE_PREFIX = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?\\s+"
                    + "(?:(?:stdout|stderr)\\s+[FP]\\s+)?|\\[\\s*\\d+\\.\\d+]\\s+|\\[\\d{1,9}]\\s+(?=\\S))");

    private LineCleaner() {
    }

    /** The lines of one chunk of a file. */
    static List<LogLine> lines(byte[] bytes, int offset, int length, long chunkStart, int maxLineChars) {
        String text = decode(bytes, offset, length);
        List<LogLine> out = new ArrayList<>();
        int lineInChunk = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c != '\n' && c != '\r') {
                continue;
            }
            if (i > start) {
                LogLine line = line(text.substring(start, Math.min(i, start + maxLineChars)), chunkStart, lineInChunk);
                if (line != null) {
                    out.add(line);
                }
            }
            if (c == '\n') {
                lineInChunk++;
            }
            start = i + 1;
        }
        return out;
    }

    /** One segment cleaned; null when nothing but whitespace and escape codes is left. */
    static LogLine line(String raw, long chunkStart, int lineInChunk) {
        String text = raw.indexOf('\u001B') >= 0 ? ANSI.matcher(raw).replaceAll("") : raw;
        text = text.stripTrailing();
        if (text.isBlank()) {
            return null;
        }
        int start = 0;
        Matcher noise = NOISE_PREFIX.matcher(text);
        if (noise.find() && !text.substring(noise.end()).isBlank()) {
            start = noise.end();
        }
        Matcher m = RANK_PREFIX.matcher(text);
        m.region(start, text.length());
        String rank = null;
        if (m.lookingAt() && !text.substring(m.end()).isBlank()) {
            rank = m.group("bracket") != null ? m.group("bracket")
                    : m.group("paren") != null ? m.group("paren")
                    : m.group("torch") != null ? m.group("torch") : m.group("label");
            start = m.end();
            // Ray's actor prefix is often followed by torch's own: (RayWorkerWrapper pid=1) [rank1]:[E ...]
            Matcher inner = RANK_PREFIX.matcher(text);
            inner.region(start, text.length());
            if (inner.lookingAt() && inner.group("torch") != null && !text.substring(inner.end()).isBlank()) {
                start = inner.end();
            }
        }
        if (start > 0) {
            return new LogLine(text.substring(0, start), rank, text.substring(start), chunkStart, lineInChunk);
        }
        return new LogLine("", null, text, chunkStart, lineInChunk);
    }

    private static String decode(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 decoding with REPLACE cannot fail", e);
        }
    }
}
