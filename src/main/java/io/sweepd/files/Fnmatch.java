package io.sweepd.files;

import java.util.regex.Pattern;

/** Shell-style globs with the exact semantics of Python's fnmatch, which the tools whose files sweepd reads use. */
public final class Fnmatch {

    private Fnmatch() {
    }

    /**
     * A shell glob as Python's fnmatch reads it (srtctl for recipe selectors, InferenceMAX's generator for config keys): {@code *} any run of characters,
     * {@code ?} one character, {@code [seq]} / {@code [!seq]} a character set; the whole name must match.
     */
    public static Pattern pattern(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int end = closingBracket(glob, i);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    regex.append(characterSet(glob.substring(i, end)));
                    i = end + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Index of the ']' closing a set opened just before {@code start}; a ']' first in the set is a member. */
    private static int closingBracket(String glob, int start) {
        int j = start;
        if (j < glob.length() && glob.charAt(j) == '!') {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++;
        }
        return glob.indexOf(']', j);
    }

    private static String characterSet(String members) {
        StringBuilder set = new StringBuilder("[");
        int i = 0;
        if (members.startsWith("!")) {
            set.append('^');
            i = 1;
        }
        for (; i < members.length(); i++) {
            char c = members.charAt(i);
            // Ranges keep their '-'; everything else is literal, including what Java's classes treat specially.
            set.append(c == '-' ? "-" : Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
        }
        return set.append(']').toString();
    }
}
