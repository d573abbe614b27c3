package io.sweepd.sweep;

/**
 * The optional reserved top-level {@code sweep:} block.
 *
 * @param name     the sweep's name; defaults to the file name without extension
 * @param filters  generator-equivalent filters
 * @param schedule a Quartz cron expression that re-runs the sweep, or null
 * @param baseline the run to compare against in the report ("previous" or a run id), or null
 * @param profile  a cluster profile that serves every point instead of the runner's own, or null
 */
public record SweepSettings(String name, SweepFilters filters, String schedule, String baseline, String profile) {

    public static final SweepSettings DEFAULT = new SweepSettings(null, SweepFilters.NONE, null, null, null);

    public SweepSettings {
        filters = filters == null ? SweepFilters.NONE : filters;
    }
}
