package io.sweepd.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How plan, status and report count a sweep, in one vocabulary (README "Glossary"), so the three never disagree:
 * <ul>
 *   <li><b>configuration</b>: one server configuration, everything but the concurrency (config entry x sequence
 *       lengths x search-space item on a profile, after workarounds); its job key names it;</li>
 *   <li><b>job</b>: one Slurm allocation; one per configuration that is not refused (its concurrencies share the
 *       model load);</li>
 *   <li><b>point</b>: one benchmark measurement, a configuration at one concurrency.</li>
 * </ul>
 *
 * @param configurations        every configuration, refused ones included
 * @param jobs                  configurations with at least one point that runs
 * @param points                every point, refused ones included
 * @param refusedConfigurations configurations none of whose points runs (they have no job)
 * @param refusedPoints         points refused before submission
 */
public record SweepCounts(int configurations, int jobs, int points, int refusedConfigurations, int refusedPoints) {

    /** {@code 12 configurations → 10 jobs, 48 points; refused: 2 configurations (11 points)}. */
    public String describe() {
        StringBuilder text = new StringBuilder(plural(configurations, "configuration")).append(" → ")
                .append(plural(jobs, "job")).append(", ").append(plural(points, "point"));
        if (refusedPoints > 0) {
            text.append("; refused: ");
            if (refusedConfigurations > 0) {
                text.append(plural(refusedConfigurations, "configuration")).append(" (")
                        .append(plural(refusedPoints, "point")).append(')');
            } else {
                // Some concurrencies of configurations that still run: no configuration is refused as a whole.
                text.append(plural(refusedPoints, "point"));
            }
        }
        return text.toString();
    }

    /** {@code 1 point}, {@code 2 points}. */
    public static String plural(int count, String word) {
        return count + " " + word + (count == 1 ? "" : "s");
    }

    public static Tally tally() {
        return new Tally();
    }

    /** Adds up points as they are read, whichever place reads them (plan, ledger, report rows). */
    public static final class Tally {

        private final Map<String, Configuration> byConfiguration = new LinkedHashMap<>();

        private Tally() {
        }

        private static final class Configuration {
            int points;
            int refusedPoints;
            boolean runs;
        }

        /**
         * @param configuration the configuration's job key
         * @param points        how many points (concurrencies) this entry stands for
         * @param refused       whether preflight or a rule refused them
         */
        public Tally add(String configuration, int points, boolean refused) {
            Configuration c = byConfiguration.computeIfAbsent(configuration, k -> new Configuration());
            c.points += points;
            if (refused) {
                c.refusedPoints += points;
            } else {
                c.runs = true;
            }
            return this;
        }

        public SweepCounts counts() {
            int points = 0;
            int refusedPoints = 0;
            int refusedConfigurations = 0;
            for (Configuration c : byConfiguration.values()) {
                points += c.points;
                refusedPoints += c.refusedPoints;
                refusedConfigurations += c.runs ? 0 : 1;
            }
            int configurations = byConfiguration.size();
            return new SweepCounts(configurations, configurations - refusedConfigurations, points,
                    refusedConfigurations, refusedPoints);
        }
    }
}
