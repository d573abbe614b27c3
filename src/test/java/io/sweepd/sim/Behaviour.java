package io.sweepd.sim;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test knobs that make the simulated job misbehave on purpose, from {@code SWEEPD_SIM_BEHAVIOUR} or the
 * recipe's {@code simulator: {behaviour: ...}} (the recipe wins: it is specific to one job, the profile's
 * environment applies to all):
 * <ul>
 *   <li>{@code exit-1}: log the first startup lines, then exit 1;</li>
 *   <li>{@code hang}: start, log, begin loading and never become healthy; sleep until killed (deadline tests);</li>
 *   <li>{@code no-log}: exit 0 at once, writing no server log and no result;</li>
 *   <li>{@code flaky-once}: the first attempt of a job dies of an NCCL connection failure (a transient cause
 *       sweepd retries); a retry (the job directory then has {@code attempts/}) runs normally;</li>
 *   <li>{@code slow SECONDS} (also {@code slow=SECONDS}, {@code slow:SECONDS}): wait that many real seconds
 *       (not scaled) once the workers have started, then run normally.</li>
 * </ul>
 */
public record Behaviour(Kind kind, int seconds) {

    public enum Kind { NORMAL, EXIT_1, HANG, NO_LOG, SLOW, FLAKY_ONCE }

    public static final Behaviour NORMAL = new Behaviour(Kind.NORMAL, 0);

    private static final Pattern SLOW = Pattern.compile("slow[\\s=:]+(\\d{1,6})");

    public static Behaviour parse(String text) {
        if (text == null || text.isBlank()) {
            return NORMAL;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "normal":
                return NORMAL;
            case "exit-1":
                return new Behaviour(Kind.EXIT_1, 0);
            case "hang":
                return new Behaviour(Kind.HANG, 0);
            case "no-log":
                return new Behaviour(Kind.NO_LOG, 0);
            case "flaky-once":
                return new Behaviour(Kind.FLAKY_ONCE, 0);
            default:
                Matcher m = SLOW.matcher(value);
                if (m.matches()) {
                    return new Behaviour(Kind.SLOW, Integer.parseInt(m.group(1)));
                }
                throw new IllegalArgumentException("unknown simulator behaviour '" + text
                        + "'; expected exit-1, hang, no-log, flaky-once or 'slow SECONDS'");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NORMAL -> "normal";
            case EXIT_1 -> "exit-1";
            case HANG -> "hang";
            case NO_LOG -> "no-log";
            case FLAKY_ONCE -> "flaky-once";
            case SLOW -> "slow " + seconds;
        };
    }
}
