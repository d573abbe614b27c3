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
     * {@code (EngineCore_DP3 pid=42) }, srun --label's {@code 3: }.
     */
    private static final Pattern RANK_PREFIX = Pattern.compile(
            "^(?:\\[(?<bracket>[A-Za-z][\\w.]*-\\d+)]|\\((?<paren>[^()]{1,60}? pid=\\d+)\\)|(?<label>\\d{1,5}):)\\s");

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
        Matcher m = RANK_PREFIX.matcher(text);
        if (m.find()) {
            String rank = m.group("bracket") != null ? m.group("bracket")
                    : m.group("paren") != null ? m.group("paren") : m.group("label");
            String rest = text.substring(m.end());
            if (!rest.isBlank()) {
                return new LogLine(text.substring(0, m.end()), rank, rest, chunkStart, lineInChunk);
            }
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
