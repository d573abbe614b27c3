package io.sweepd.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code sweepd.notify.command} setting into an argv, the way a shell splits words and nothing more: no
 * variables, no globs, no command substitution, no pipes or redirections ({@code |}, {@code >}, {@code $(...)} are
 * ordinary characters). Words are separated by blanks; {@code '...'} keeps everything inside as it is;
 * {@code "..."} too, except that a backslash there escapes {@code "} and {@code \}; outside quotes a backslash
 * escapes the next character. {@code ''} is an empty word. The setting is the administrator's, never a sweep
 * file's; splitting it here keeps a shell out of the picture altogether.
 */
public final class CommandWords {

    private CommandWords() {
    }

    /** The words of {@code line}; an empty list for a blank line. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unbalanced(line, '\'', i);
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("command ends with a lone backslash: " + line);
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** Appends the double-quoted text starting at {@code open}; returns the index after its closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unbalanced(line, '"', open);
    }

    private static IllegalArgumentException unbalanced(String line, char quote, int at) {
        return new IllegalArgumentException("unbalanced " + quote + " at column " + (at + 1) + " of command: " + line);
    }
}
