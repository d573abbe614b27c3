package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule's {@code do:}. Absent actions are null. The engine runs them in this fixed order, whatever order
 * the file writes them in, so a rule reads the same either way: remove, set, remove-args, set-args,
 * cap-args, remove-env, set-env, deadlines, refuse, exclude-from-evals. (Removing before setting lets
 * one rule replace {@code dynamo.version} by {@code dynamo.hash}.)
 *
 * @param remove           paths to delete from the server configuration
 * @param set              path to value, intermediate maps created as needed
 * @param removeArgs       engine arguments to delete, per role
 * @param setArgs          engine arguments to set, per role
 * @param capArgs          numeric engine arguments to lower to a maximum, per role
 * @param removeEnv        environment variables to delete, per role
 * @param setEnv           environment variables to set (values are strings, as srt-slurm writes them)
 * @param deadlines        sweepd's own deadlines to raise for the point
 * @param refuse           message to refuse the point with; may hold placeholders such as {@code {tp}} (see workarounds/README.md)
 * @param excludeFromEvals the point's eval group is left out of eval marking
 */
public record RuleActions(
        List<DottedPath> remove,
        Map<DottedPath, JsonNode> set,
        RoleNames removeArgs,
        RoleValues setArgs,
        RoleValues capArgs,
        RoleNames removeEnv,
        RoleEnv setEnv,
        DeadlineRaise deadlines,
        String refuse,
        boolean excludeFromEvals) {

    public RuleActions {
        remove = remove == null ? null : List.copyOf(remove);
        set = set == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    public boolean isEmpty() {
        return remove == null && set == null && removeArgs == null && setArgs == null && capArgs == null
                && removeEnv == null && setEnv == null && deadlines == null && refuse == null && !excludeFromEvals;
    }

    /** Whether a set-args or set-env value has {@code ${...}} placeholders ({@link PointTemplate}). */
    public boolean usesPointValues() {
        return setArgs != null && setArgs.values().values().stream().anyMatch(PointTemplate::hasPlaceholders)
                || setEnv != null && setEnv.env().values().stream().anyMatch(PointTemplate::hasPlaceholders);
    }

    /** Names (engine arguments or environment variables) in the given roles. */
    public record RoleNames(Set<Role> roles, List<String> names) {
        public RoleNames {
            roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
            names = List.copyOf(names);
        }
    }

    /** Engine argument values in the given roles, in file order. */
    public record RoleValues(Set<Role> roles, Map<String, JsonNode> values) {
        public RoleValues {
            roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** Environment values in the given roles, in file order. */
    public record RoleEnv(Set<Role> roles, Map<String, String> env) {
        public RoleEnv {
            roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }
    }

    /** Minimum deadlines in seconds; null fields leave the profile's value alone. */
    public record DeadlineRaise(Integer firstLogSeconds, Integer healthySeconds, Integer totalSeconds) {
    }
}
