package io.sweepd.sweep;

import java.util.regex.Pattern;

/**
 * A config-key selector as the generator's test-config takes them: a key with {@code *} or {@code ?} is a shell
 * glob (Python's fnmatch: {@code *} any run, {@code ?} one character, {@code [abc]} / {@code [!abc]} a set),
 * anything else is the key itself.
 */
public final class ConfigKeyPattern {

    private final Pattern regex;

    private ConfigKeyPattern(Pattern regex) {
        this.regex = regex;
    }

    /** Whether the generator treats {@code key} as a pattern (it looks only for {@code *} and {@code ?}). */
    public static boolean isPattern(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0;
    }

    public static ConfigKeyPattern of(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int close = setEnd(glob, i);
                if (close < 0) {
                    regex.append("\\[");  // fnmatch: an unclosed '[' is a literal
                } else {
                    String set = glob.substring(i, close);
                    i = close + 1;
                    boolean negated = set.startsWith("!");
                    String body = negated ? set.substring(1) : set;
                    regex.append('[').append(negated ? "^" : "").append(body.replace("\\", "\\\\")
                            .replace("[", "\\[").replace("&&", "&\\&")).append(']');
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new ConfigKeyPattern(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String key) {
        return regex.matcher(key).matches();
    }

    /** The index of the ']' closing a set that starts at {@code from} (a leading '!' or ']' belongs to the set). */
    private static int setEnd(String glob, int from) {
        int j = from;
        if (j < glob.length() && glob.charAt(j) == '!') {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++;
        }
        return glob.indexOf(']', j);
    }
}
