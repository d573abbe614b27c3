package io.sweepd.render;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm {@code --time} values. The job's limit is the profile's time limit, cut down to the point's total
 * deadline rounded up to whole minutes: Slurm counts in minutes anyway, and a job that outlives sweepd's
 * own deadline would only hold GPUs nobody waits for any more.
 */
public final class SlurmTime {

    // Slurm's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
    private static final Pattern FORM = Pattern.compile("(?:(\\d+)-)?(\\d+)(?::(\\d+))?(?::(\\d+))?");

    private SlurmTime() {
    }

    /** Seconds in a Slurm time; 0 for {@code infinite}/{@code unlimited}. */
    public static long seconds(String limit) {
        String text = limit.strip();
        if (text.equalsIgnoreCase("infinite") || text.equalsIgnoreCase("unlimited")) {
            return 0;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + limit + "' is not a Slurm time (minutes, HH:MM:SS or D-HH:MM:SS)");
        }
        long a = Long.parseLong(m.group(2));
        Long b = m.group(3) == null ? null : Long.parseLong(m.group(3));
        Long c = m.group(4) == null ? null : Long.parseLong(m.group(4));
        if (m.group(1) != null) {
            long days = Long.parseLong(m.group(1));
            return days * 86400 + a * 3600 + (b == null ? 0 : b * 60) + (c == null ? 0 : c);
        }
        if (b == null) {
            return a * 60;
        }
        if (c == null) {
            return a * 60 + b;
        }
        return a * 3600 + b * 60 + c;
    }

    /**
     * @param profileLimit   the profile's {@code slurm.time-limit}, or null when it sets none
     * @param deadlineSeconds the job's total deadline
     * @return the {@code --time} value, {@code HH:MM:SS} or {@code D-HH:MM:SS}
     */
    public static String jobLimit(String profileLimit, int deadlineSeconds) {
        if (deadlineSeconds <= 0) {
            throw new IllegalArgumentException("a job's total deadline must be positive, got " + deadlineSeconds);
        }
        long limit = ((deadlineSeconds + 59L) / 60L) * 60L;
        if (profileLimit != null && !profileLimit.isBlank()) {
            long profile = seconds(profileLimit);
            if (profile > 0) {
                limit = Math.min(limit, profile);
            }
        }
        return format(limit);
    }

    static String format(long seconds) {
        long days = seconds / 86400;
        long rest = seconds % 86400;
        String clock = String.format(Locale.ROOT, "%02d:%02d:%02d", rest / 3600, (rest % 3600) / 60, rest % 60);
        return days > 0 ? days + "-" + clock : clock;
    }
}
