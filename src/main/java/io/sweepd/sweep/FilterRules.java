package io.sweepd.sweep;

import io.sweepd.sweep.SweepFilters.Mode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules a sweep's generator settings must keep, wherever they were written (the sweep file's {@code sweep:}
 * block or {@code sweepd plan}'s options): what each of the generator's subcommands takes and needs, the names
 * it knows, and the config keys test-config may name. One place, so a file and the command line are held to the
 * same rules; the caller turns a problem into an error at the file's line or the option's name.
 */
public final class FilterRules {

    /** A broken rule: the filter (by its sweep-file key), the list index when one item is at fault, the message. */
    public record Problem(String filter, Integer index, String message) {
    }

    /** Each filter by its key, and when it counts as given. */
    private static final Map<String, Predicate<SweepFilters>> GIVEN = new LinkedHashMap<>();

    static {
        GIVEN.put("config-keys", f -> !f.configKeys().isEmpty());
        GIVEN.put("model-prefix", f -> !f.modelPrefix().isEmpty());
        GIVEN.put("precision", f -> !f.precision().isEmpty());
        GIVEN.put("framework", f -> !f.framework().isEmpty());
        GIVEN.put("runner-type", f -> !f.runnerType().isEmpty());
        GIVEN.put("seq-lens", f -> !f.seqLens().isEmpty());
        GIVEN.put("scenario-type", f -> !f.scenarioType().isEmpty());
        GIVEN.put("min-conc", f -> f.minConc() != null);
        GIVEN.put("max-conc", f -> f.maxConc() != null);
        GIVEN.put("max-tp", f -> f.maxTp() != null);
        GIVEN.put("max-ep", f -> f.maxEp() != null);
        GIVEN.put("conc", f -> !f.conc().isEmpty());
        GIVEN.put("step-size", f -> f.stepSize() != null);
        GIVEN.put("runner-node-filter", f -> f.runnerNodeFilter() != null);
        GIVEN.put("single-node", f -> !f.singleNode() || !f.multiNode());
        GIVEN.put("multi-node", f -> !f.singleNode() || !f.multiNode());
        GIVEN.put("evals", f -> f.evals() != SweepFilters.EvalSelection.ALL);
    }

    /** The filters each of the generator's subcommands takes (its own flags and the common ones). */
    public static final Map<Mode, Set<String>> TAKES = Map.of(
            Mode.FULL_SWEEP, Set.of("model-prefix", "precision", "framework", "runner-type", "seq-lens", "step-size",
                    "min-conc", "max-conc", "max-tp", "max-ep", "single-node", "multi-node", "runner-node-filter",
                    "scenario-type", "evals"),
            Mode.RUNNER_MODEL_SWEEP, Set.of("runner-type", "model-prefix", "precision", "framework", "conc",
                    "single-node", "multi-node", "runner-node-filter", "scenario-type", "evals"),
            Mode.TEST_CONFIG, Set.of("config-keys", "conc", "seq-lens", "runner-node-filter", "scenario-type",
                    "evals"));

    /** Every filter key any subcommand takes. */
    public static Set<String> allFilters() {
        return GIVEN.keySet();
    }

    private FilterRules() {
    }

    /**
     * The first rule {@code filters} breaks, if any.
     *
     * @param configKeys the config keys of the sweep, which test-config's keys and patterns must match
     */
    public static Optional<Problem> problem(SweepFilters filters, List<String> configKeys) {
        Mode mode = filters.mode();
        for (Map.Entry<String, Predicate<SweepFilters>> filter : GIVEN.entrySet()) {
            if (filter.getValue().test(filters) && !TAKES.get(mode).contains(filter.getKey())) {
                return problem(filter.getKey(), null, "'" + filter.getKey() + "' does not apply to generate: "
                        + mode.label() + "; it takes: " + String.join(", ", TAKES.get(mode).stream().sorted().toList()));
            }
        }
        for (int i = 0; i < filters.seqLens().size(); i++) {
            if (!SeqLenNames.NAMES.contains(filters.seqLens().get(i))) {
                return problem("seq-lens", i, "expected one of: " + String.join(", ", SeqLenNames.NAMES) + "; got \""
                        + filters.seqLens().get(i) + "\"");
            }
        }
        for (int i = 0; i < filters.scenarioType().size(); i++) {
            if (!SweepFilters.SCENARIO_TYPES.contains(filters.scenarioType().get(i))) {
                return problem("scenario-type", i, "expected one of: " + String.join(", ", SweepFilters.SCENARIO_TYPES)
                        + "; got \"" + filters.scenarioType().get(i) + "\"");
            }
        }
        if (!filters.singleNode() && !filters.multiNode()) {
            return problem("multi-node", null, "single-node and multi-node are both false, so the sweep would select"
                    + " nothing");
        }
        if (filters.stepSize() != null && filters.stepSize() < 2) {
            // A factor of 1 would never leave conc-start (the generator loops forever on it).
            return problem("step-size", null, "expected a step size of at least 2, got " + filters.stepSize());
        }
        if (mode == Mode.RUNNER_MODEL_SWEEP && filters.runnerType().size() != 1) {
            return problem("runner-type", null, "generate: runner-model-sweep takes exactly one runner-type (the label"
                    + " whose nodes every config runs on), got " + filters.runnerType().size());
        }
        if (mode == Mode.RUNNER_MODEL_SWEEP && filters.conc().size() > 1) {
            return problem("conc", null, "generate: runner-model-sweep takes one conc (it replaces the lowest"
                    + " concurrency of each config), got " + filters.conc().size());
        }
        if (mode == Mode.TEST_CONFIG && filters.configKeys().isEmpty()) {
            return problem("config-keys", null, "generate: test-config needs config-keys (config keys or glob"
                    + " patterns to expand)");
        }
        for (int i = 0; i < filters.configKeys().size(); i++) {
            String key = filters.configKeys().get(i);
            boolean pattern = ConfigKeyPattern.isPattern(key);
            boolean found = pattern ? configKeys.stream().anyMatch(ConfigKeyPattern.of(key)::matches)
                    : configKeys.contains(key);
            if (!found) {
                return problem("config-keys", i, (pattern ? "pattern '" + key + "' matches no config key"
                        : "no config key '" + key + "' in this sweep") + "; it has: "
                        + String.join(", ", configKeys.stream().sorted().limit(20).toList())
                        + (configKeys.size() > 20 ? ", ... (" + configKeys.size() + " in all)" : ""));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(String filter, Integer index, String message) {
        return Optional.of(new Problem(filter, index, message));
    }
}
