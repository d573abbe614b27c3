package io.sweepd.sweep;

import java.util.List;

/**
 * The optional reserved top-level {@code sweep:} block.
 *
 * @param name     the sweep's name; defaults to the file name without extension
 * @param filters  generator-equivalent filters
 * @param schedule a Quartz cron expression that re-runs the sweep, or null
 * @param baseline the run to compare against in the report ("previous" or a run id), or null
 * @param profile  a cluster profile that serves every point instead of the runner's own, or null
 * @param disableWorkarounds workaround rule ids not to apply to this sweep (to reproduce a failure, or when a
 *                           rule is wrong for it); every one is recorded with the plan
 * @param overridePreflight  preflight checks a person has explicitly overridden for this sweep ({@code memory}):
 *                           the points still get the verdict as a logged warning, but are submitted
 * @param runnerConfig       InferenceMAX's runners.yaml (runner label -> runner nodes), relative to the sweep file;
 *                           null: {@code runners.yaml} beside the sweep file, when there is one
 */
public record SweepBlock(String name, SweepFilters filters, String schedule, String baseline, String profile,
                         List<String> disableWorkarounds, List<String> overridePreflight, String runnerConfig) {

    /** The preflight checks that may be overridden. */
    public static final List<String> OVERRIDABLE_CHECKS = List.of("memory");

    public static final SweepBlock DEFAULT = new SweepBlock(null, SweepFilters.NONE, null, null, null,
            List.of(), List.of(), null);

    public SweepBlock {
        filters = filters == null ? SweepFilters.NONE : filters;
        disableWorkarounds = disableWorkarounds == null ? List.of() : List.copyOf(disableWorkarounds);
        overridePreflight = overridePreflight == null ? List.of() : List.copyOf(overridePreflight);
    }

    public SweepBlock withName(String newName) {
        return new SweepBlock(newName, filters, schedule, baseline, profile, disableWorkarounds, overridePreflight,
                runnerConfig);
    }

    public SweepBlock withProfile(String newProfile) {
        return new SweepBlock(name, filters, schedule, baseline, newProfile, disableWorkarounds, overridePreflight,
                runnerConfig);
    }

    public SweepBlock withFilters(SweepFilters newFilters) {
        return new SweepBlock(name, newFilters, schedule, baseline, profile, disableWorkarounds, overridePreflight,
                runnerConfig);
    }

    public SweepBlock withRunnerConfig(String newRunnerConfig) {
        return new SweepBlock(name, filters, schedule, baseline, profile, disableWorkarounds, overridePreflight,
                newRunnerConfig);
    }
}
