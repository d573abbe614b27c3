package io.sweepd.sweep;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks that a schedule looks like a Quartz cron expression (the daemon's scheduler reads it) so that a
 * typo is reported with the file's line instead of when the route starts. It checks shape only: field
 * count, allowed characters and names, plain numbers within each field's range, and Quartz's rule that
 * exactly one of day-of-month and day-of-week is '?'.
 */
final class CronShape {

    private record FieldRule(String name, int min, int max, String specials, Set<String> words) {
    }

    private static final Set<String> MONTHS =
            Set.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final Set<String> DAYS = Set.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private static final List<FieldRule> FIELDS = List.of(
            new FieldRule("seconds", 0, 59, ",-*/", Set.of()),
            new FieldRule("minutes", 0, 59, ",-*/", Set.of()),
            new FieldRule("hours", 0, 23, ",-*/", Set.of()),
            new FieldRule("day-of-month", 1, 31, ",-*/?", Set.of("L", "W", "LW")),
            new FieldRule("month", 1, 12, ",-*/", MONTHS),
            new FieldRule("day-of-week", 1, 7, ",-*/?#", union(DAYS, Set.of("L"))),
            new FieldRule("year", 1970, 2099, ",-*/", Set.of()));

    private CronShape() {
    }

    /** Null when the expression has a Quartz cron shape, else what is wrong with it. */
    static String problem(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length < 6 || fields.length > 7) {
            String hint = fields.length == 5
                    ? " (a 5-field Unix cron needs a leading seconds field and '?' for one of the day fields,"
                            + " e.g. '0 0 2 * * ?')"
                    : "";
            return "expected a Quartz cron expression with 6 or 7 fields (seconds minutes hours day-of-month"
                    + " month day-of-week [year]), got " + fields.length + " field" + (fields.length == 1 ? "" : "s")
                    + " in '" + expression + "'" + hint;
        }
        for (int i = 0; i < fields.length; i++) {
            String problem = fieldProblem(fields[i], FIELDS.get(i));
            if (problem != null) {
                return "cron expression '" + expression + "': " + problem;
            }
        }
        boolean domAny = fields[3].equals("?");
        boolean dowAny = fields[5].equals("?");
        if (domAny == dowAny) {
            return "cron expression '" + expression + "': exactly one of day-of-month and day-of-week must be '?'"
                    + " (Quartz does not support both, e.g. '0 0 2 * * ?')";
        }
        return null;
    }

    private static String fieldProblem(String field, FieldRule rule) {
        String upper = field.toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < upper.length()) {
            char c = upper.charAt(i);
            if (Character.isDigit(c)) {
                int start = i;
                while (i < upper.length() && Character.isDigit(upper.charAt(i))) {
                    i++;
                }
                // Numbers after '/', '#' or 'L-' are increments and offsets, not values of the field.
                char before = start > 0 ? upper.charAt(start - 1) : ' ';
                boolean isValue = before != '/' && before != '#'
                        && !(before == '-' && start > 1 && upper.charAt(start - 2) == 'L');
                if (isValue) {
                    long value = Long.parseLong(upper.substring(start, Math.min(i, start + 9)));
                    if (value < rule.min() || value > rule.max()) {
                        return rule.name() + " value " + value + " is outside " + rule.min() + "-" + rule.max();
                    }
                }
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < upper.length() && Character.isLetter(upper.charAt(i))) {
                    i++;
                }
                String word = upper.substring(start, i);
                // "15W" and "6L" put a letter right after a number; the words set holds them alone.
                if (!rule.words().contains(word)) {
                    return rule.name() + " field '" + field + "' has '" + word + "', which Quartz does not accept there";
                }
            } else if (rule.specials().indexOf(c) >= 0) {
                i++;
            } else {
                return rule.name() + " field '" + field + "' has '" + c + "'; allowed: digits"
                        + (rule.words().isEmpty() ? "" : ", names") + " and " + rule.specials();
            }
        }
        return null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
