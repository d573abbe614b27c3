package io.sweepd.triage;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills a signature's diagnosis template; a value nobody knows reads "?" rather than a blank. */
final class Diagnosis {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private Diagnosis() {
    }

    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null || value.isBlank() ? "?" : value.strip()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
