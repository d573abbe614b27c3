package io.sweepd.files;

/**
 * What an error message may quote of a file or of a message that quotes one (a YAML parser's snippet, a
 * recipe's content): at most a few lines and a bounded number of characters, control characters shown as
 * {@code ?}. A message ends up in logs and {@code .error/} files other people read; a file the daemon was
 * tricked into opening must never land there whole.
 */
public final class Excerpt {

    public static final int MAX_LINES = 5;
    public static final int MAX_CHARS = 400;

    private Excerpt() {
    }

    /** The text cut to {@link #MAX_LINES} lines and {@link #MAX_CHARS} characters, saying when it was cut. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        String[] lines = text.split("\r?\n|\r", -1);
        StringBuilder out = new StringBuilder();
        int kept = Math.min(lines.length, MAX_LINES);
        for (int i = 0; i < kept; i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(lines[i]);
        }
        boolean cut = kept < lines.length;
        if (out.length() > MAX_CHARS) {
            out.setLength(MAX_CHARS);
            cut = true;
        }
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c != '\n' && c != '\t' && Character.isISOControl(c)) {
                out.setCharAt(i, '?');
            }
        }
        return cut ? out.append(" [...]").toString() : out.toString();
    }
}
