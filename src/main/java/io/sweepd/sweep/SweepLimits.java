package io.sweepd.sweep;

import io.sweepd.yaml.YamlLimits;

/**
 * How big a sweep sweepd takes (settings {@code sweepd.intake.max-*}). A sweep comes from any user on the login
 * node, and intake is shared: one huge file must be refused in a moment with a message, not hold everyone else's
 * sweeps for minutes. The defaults are far above any real sweep (InferenceMAX's whole nvidia master config is about
 * 100 KB and expands to about 2,300 points).
 *
 * @param maxFileBytes    a larger file is refused before it is read
 * @param maxValueChars   one value (a scalar) of the file
 * @param maxListItems    one list (a conc-list, additional-settings, a filter)
 * @param maxPoints       matrix points the sweep expands to
 * @param maxNestingDepth maps and lists inside each other
 */
public record SweepLimits(long maxFileBytes, int maxValueChars, int maxListItems, int maxPoints,
                          int maxNestingDepth) {

    /** The defaults of application.properties, for callers without settings. */
    public static final SweepLimits DEFAULT = new SweepLimits(1024 * 1024, 64 * 1024, 1000, 20_000, 32);

    public SweepLimits {
        if (maxFileBytes < 1 || maxValueChars < 1 || maxListItems < 1 || maxPoints < 1 || maxNestingDepth < 1) {
            throw new IllegalArgumentException("sweep limits must be positive");
        }
    }

    /** What the YAML reader itself enforces; a file within maxFileBytes has at most as many characters. */
    public YamlLimits yaml() {
        return new YamlLimits((int) Math.min(Integer.MAX_VALUE, maxFileBytes), maxValueChars, maxListItems,
                maxNestingDepth);
    }
}
