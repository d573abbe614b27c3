package io.sweepd.triage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Named groups of a regex, which Java 17's Pattern does not list (Pattern.namedGroups came in Java 20). */
final class Regexes {

    /** {@code (?<name>}, but not the look-behinds {@code (?<=} and {@code (?<!}, nor an escaped {@code \(}. */
    private static final Pattern GROUP = Pattern.compile("(?<!\\\\)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private Regexes() {
    }

    static List<String> groupNames(Pattern pattern) {
        if (pattern == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Matcher m = GROUP.matcher(pattern.pattern());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The named groups that took part in the match; groups that did not (another alternative) are left out. */
    static Map<String, String> groups(Pattern pattern, Matcher match) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : groupNames(pattern)) {
            String value = match.group(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }
}
