package io.sweepd.render;

/**
 * The one way a value reaches a job script: as a single-quoted bash word. Inside single quotes bash
 * expands nothing ({@code $}, backticks, {@code ;} and double quotes are plain characters), so the only
 * character needing care is the single quote itself, written as {@code '\''} (close, escaped quote, reopen).
 *
 * <p>NUL cannot be passed to a program at all, and a newline or carriage return is refused although bash
 * would accept it quoted: no legitimate value has one, and a line break inside a rendered script is what
 * an injection looks like when someone reads the script later.
 */
public final class Shell {

    private Shell() {
    }

    /** {@code it's} becomes {@code 'it'\''s'}; the empty string becomes {@code ''}. */
    public static String quote(String value) {
        if (value == null) {
            throw new UnsafeValueException("a null value cannot be passed to a job script");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0' || c == '\n' || c == '\r') {
                throw new UnsafeValueException("value " + describe(value)
                        + " contains a NUL or line break and cannot be written into a job script");
            }
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A value as a message may show it: control characters escaped, long values cut. */
    static String describe(String value) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 120; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                default -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append(value.length() > 120 ? "...'" : "'").toString();
    }
}
