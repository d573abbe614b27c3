package io.sweepd.triage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cheap pre-check for a signature's regex: the literal text each top-level alternative starts with. A line
 * holding none of them cannot match, and {@code String.contains} is far cheaper than a regex that has to be
 * tried at every position of every line of an 8 MB tail (java.util.regex only skips ahead for a pattern that
 * itself starts with a literal, never for an alternation). No needles (null) when an alternative starts with
 * anything but a literal of {@value #MIN_LENGTH} characters, or the regex sets flags inline.
 */
final class Needles {

    static final int MIN_LENGTH = 3;
    private static final String META = ".[]{}()*+?^$|";

    private Needles() {
    }

    /** The needles of {@code pattern}, or null when it has none that every match must contain. */
    static List<String> of(Pattern pattern) {
        if (pattern == null || pattern.flags() != 0 || pattern.pattern().contains("(?")
                && pattern.pattern().matches("(?s).*\\(\\?[a-zA-Z-]+[):].*")) {
            return null;
        }
        List<String> needles = new ArrayList<>();
        for (String branch : topLevelBranches(pattern.pattern())) {
            String needle = leadingLiteral(branch);
            if (needle.length() < MIN_LENGTH) {
                return null;
            }
            needles.add(needle);
        }
        return needles;
    }

    static boolean mayMatch(List<String> needles, String text) {
        if (needles == null) {
            return true;
        }
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> topLevelBranches(String regex) {
        List<String> branches = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                branches.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        branches.add(regex.substring(start));
        return branches;
    }

    /** The text a branch must start with: literal characters and escaped punctuation, up to the first operator. */
    private static String leadingLiteral(String branch) {
        StringBuilder literal = new StringBuilder();
        int i = branch.startsWith("^") ? 1 : 0;
        while (i < branch.length()) {
            char c = branch.charAt(i);
            if (c == '\\') {
                if (i + 1 >= branch.length() || Character.isLetterOrDigit(branch.charAt(i + 1))) {
                    break; // \d, \s, \b, \Q...: not a literal character
                }
                literal.append(branch.charAt(i + 1));
                i += 2;
            } else if (META.indexOf(c) >= 0) {
                break;
            } else {
                literal.append(c);
                i++;
            }
        }
        // "abc?" or "abc*" or "abc{0,1}": the last character may be absent.
        if (i < branch.length() && "?*{".indexOf(branch.charAt(i)) >= 0 && literal.length() > 0) {
            literal.setLength(literal.length() - 1);
        }
        return literal.toString();
    }
}
