package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a {@link WorkaroundCatalog} to one point during enrich.
 *
 * <p>Every rule's {@code when} is evaluated against the configuration as it was passed in, so whether a rule
 * fires never depends on what the rules before it changed; the matching rules then patch one deep copy in
 * catalog order (a later rule sees an earlier rule's edits). A rule is reported only if it changed
 * something or refused: a rule that matched but found nothing to do would only add noise to every plan.
 *
 * <p>Engine arguments of a role are edited at {@code backend.<backend.type>_config.<role>} and its
 * environment at {@code backend.<role>_environment} (srt-slurm's layout). A role the configuration does not
 * have is skipped, so a rule can name all three roles and fit both aggregated and disaggregated points.
 *
 * <p>{@code set-args} and {@code set-env} values are filled from the point first ({@link PointTemplate}); a value
 * that cannot be computed refuses the point.
 *
 * <p>{@code cap-args} lowers a value above the cap, and also sets the cap when the argument is absent: an
 * absent argument means the engine's default, which the rule cannot know to be below the cap (vLLM's
 * {@code gpu-memory-utilization} default of 0.9 is above the 0.85 an H100 needs for DSV4).
 */
public final class WorkaroundEngine {

    private final WorkaroundCatalog catalog;

    public WorkaroundEngine(WorkaroundCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    public WorkaroundCatalog catalog() {
        return catalog;
    }

    /**
     * Whether the point's eval group is left out of eval marking; usable as
     * {@code io.sweepd.matrix.EvalExclusions} ({@code engine::excludedFromEvals}).
     */
    public boolean excludedFromEvals(MatrixPoint point, String masterSchema) {
        return catalog.rules().stream().anyMatch(rule -> rule.does().excludeFromEvals()
                && rule.when().matches(point, null, null) && rule.when().matchesSchema(masterSchema));
    }

    /**
     * @param serverConfig the point's recipe or synthesized configuration; read, never modified
     */
    public Enrichment apply(MatrixPoint point, ClusterProfile profile, ObjectNode serverConfig) {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(serverConfig, "serverConfig");
        ObjectNode patched = serverConfig.deepCopy();
        ClusterProfile.Deadlines base = profile.deadlines() == null
                ? new ClusterProfile.Deadlines(0, 0, 0) : profile.deadlines();
        ClusterProfile.Deadlines deadlines = base;
        List<AppliedWorkaround> applied = new ArrayList<>();
        List<String> refusals = new ArrayList<>();

        for (WorkaroundRule rule : catalog.rules()) {
            if (!rule.when().matches(point, profile, serverConfig)) {
                continue;
            }
            Patch patch = new Patch(rule, patched, point);
            RuleActions does = rule.does();
            patch.remove(does.remove());
            patch.set(does.set());
            patch.removeArgs(does.removeArgs());
            patch.setArgs(does.setArgs());
            patch.capArgs(does.capArgs());
            patch.removeEnv(does.removeEnv());
            patch.setEnv(does.setEnv());
            deadlines = patch.raise(deadlines, does.deadlines());
            if (does.refuse() != null) {
                patch.refuse(RefusalTemplate.fill(does.refuse(), point, profile));
            }
            if (does.excludeFromEvals()) {
                // Decided during matrix expansion; recorded here so the plan says why the group has no eval.
                patch.changes.add("eval group excluded from eval marking");
            }
            refusals.addAll(patch.refusals);
            if (!patch.changes.isEmpty()) {
                applied.add(new AppliedWorkaround(rule.id(), patch.changes, rule.why(), rule.ref()));
            }
        }
        return new Enrichment(patched, applied, deadlines.equals(base) ? null : deadlines,
                refusals.isEmpty() ? null : String.join("; ", refusals));
    }

    /** One rule's edits to the working copy, and the lines describing them. */
    private static final class Patch {

        private final WorkaroundRule rule;
        private final ObjectNode config;
        private final MatrixPoint point;
        private final List<String> changes = new ArrayList<>();
        private final List<String> refusals = new ArrayList<>();

        Patch(WorkaroundRule rule, ObjectNode config, MatrixPoint point) {
            this.rule = rule;
            this.config = config;
            this.point = point;
        }

        void remove(List<DottedPath> paths) {
            if (paths == null) {
                return;
            }
            for (DottedPath path : paths) {
                JsonNode parent = path.parent() == null ? config : path.parent().find(config);
                if (parent instanceof ObjectNode map && map.has(path.last())) {
                    map.remove(path.last());
                    changes.add("removed " + path);
                }
            }
        }

        void set(Map<DottedPath, JsonNode> values) {
            if (values == null) {
                return;
            }
            for (Map.Entry<DottedPath, JsonNode> entry : values.entrySet()) {
                DottedPath path = entry.getKey();
                ObjectNode parent = mapAt(path);
                if (parent == null) {
                    continue;
                }
                JsonNode old = parent.get(path.last());
                if (!entry.getValue().equals(old)) {
                    parent.set(path.last(), entry.getValue().deepCopy());
                    changes.add(path + " = " + show(entry.getValue()) + was(old));
                }
            }
        }

        void removeArgs(RuleActions.RoleNames action) {
            if (action == null) {
                return;
            }
            for (Role role : action.roles()) {
                ObjectNode args = engineArgs(role);
                for (String name : action.names()) {
                    if (args != null && args.has(name)) {
                        args.remove(name);
                        changes.add(role.key() + ": removed engine arg " + name);
                    }
                }
            }
        }

        void setArgs(RuleActions.RoleValues action) {
            if (action == null) {
                return;
            }
            for (Role role : action.roles()) {
                ObjectNode args = engineArgs(role);
                if (args == null) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry : action.values().entrySet()) {
                    JsonNode value = pointValue(entry.getValue());
                    if (value == null) {
                        return;
                    }
                    JsonNode old = args.get(entry.getKey());
                    if (!value.equals(old)) {
                        args.set(entry.getKey(), value.deepCopy());
                        changes.add(role.key() + ": engine arg " + entry.getKey() + " = " + show(value) + was(old));
                    }
                }
            }
        }

        void capArgs(RuleActions.RoleValues action) {
            if (action == null) {
                return;
            }
            for (Role role : action.roles()) {
                ObjectNode args = engineArgs(role);
                if (args == null) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry : action.values().entrySet()) {
                    String name = entry.getKey();
                    JsonNode cap = entry.getValue();
                    JsonNode old = args.get(name);
                    if (old == null || old.isNull()) {
                        args.set(name, cap.deepCopy());
                        changes.add(role.key() + ": engine arg " + name + " = " + show(cap) + " (was unset; capped)");
                        continue;
                    }
                    BigDecimal current = decimal(old);
                    if (current == null) {
                        // A value that is not a number cannot be compared; the cap is the only value known to be safe.
                        args.set(name, cap.deepCopy());
                        changes.add(role.key() + ": engine arg " + name + " = " + show(cap) + " (was " + show(old) + ", not a number)");
                    } else if (current.compareTo(cap.decimalValue()) > 0) {
                        args.set(name, cap.deepCopy());
                        changes.add(role.key() + ": engine arg " + name + " capped " + show(old) + " -> " + show(cap));
                    }
                }
            }
        }

        void removeEnv(RuleActions.RoleNames action) {
            if (action == null) {
                return;
            }
            for (Role role : action.roles()) {
                if (engineArgs(role) == null || !(backend().get(role.key() + "_environment") instanceof ObjectNode env)) {
                    continue;
                }
                for (String name : action.names()) {
                    if (env.has(name)) {
                        env.remove(name);
                        changes.add(role.key() + ": removed env " + name);
                    }
                }
            }
        }

        void setEnv(RuleActions.RoleEnv action) {
            if (action == null) {
                return;
            }
            for (Role role : action.roles()) {
                if (engineArgs(role) == null) {
                    continue;
                }
                String key = role.key() + "_environment";
                JsonNode existing = backend().get(key);
                if (existing != null && !existing.isNull() && !existing.isObject()) {
                    refuseUnpatchable("backend." + key + " is not a map");
                    continue;
                }
                ObjectNode env = existing instanceof ObjectNode map ? map : backend().putObject(key);
                for (Map.Entry<String, String> entry : action.env().entrySet()) {
                    JsonNode filled = pointValue(TextNode.valueOf(entry.getValue()));
                    if (filled == null) {
                        return;
                    }
                    String value = filled.asText();
                    JsonNode old = env.get(entry.getKey());
                    if (old == null || !old.isValueNode() || !old.asText().equals(value)) {
                        env.set(entry.getKey(), TextNode.valueOf(value));
                        changes.add(role.key() + ": env " + entry.getKey() + "=" + value + was(old));
                    }
                }
            }
        }

        ClusterProfile.Deadlines raise(ClusterProfile.Deadlines current, RuleActions.DeadlineRaise raise) {
            if (raise == null) {
                return current;
            }
            int firstLog = raised("first-log-seconds", current.firstLogSeconds(), raise.firstLogSeconds());
            int healthy = raised("healthy-seconds", current.healthySeconds(), raise.healthySeconds());
            int total = raised("total-seconds", current.totalSeconds(), raise.totalSeconds());
            return new ClusterProfile.Deadlines(firstLog, healthy, total);
        }

        private int raised(String name, int current, Integer minimum) {
            if (minimum == null || minimum <= current) {
                return current;
            }
            changes.add("deadline " + name + " " + current + " -> " + minimum);
            return minimum;
        }

        void refuse(String message) {
            refusals.add(message);
            changes.add("refused: " + message);
        }

        /** The value with its {@code ${...}} placeholders filled from the point; null (and a refusal) if it cannot be. */
        private JsonNode pointValue(JsonNode value) {
            if (!PointTemplate.hasPlaceholders(value)) {
                return value;
            }
            try {
                return PointTemplate.fill(value, PointExpression.variables(point));
            } catch (IllegalArgumentException | ArithmeticException e) {
                refuseUnpatchable("cannot fill " + show(value) + ": " + e.getMessage());
                return null;
            }
        }

        private void refuseUnpatchable(String problem) {
            refuse("workaround " + rule.id() + " cannot patch this configuration: " + problem);
        }

        /** The map that holds the path's last key, created as needed; null (and a refusal) if a value is in the way. */
        private ObjectNode mapAt(DottedPath path) {
            ObjectNode node = config;
            List<String> keys = path.segments();
            for (int i = 0; i < keys.size() - 1; i++) {
                JsonNode child = node.get(keys.get(i));
                if (child == null || child.isNull()) {
                    node = node.putObject(keys.get(i));
                } else if (child instanceof ObjectNode map) {
                    node = map;
                } else {
                    // Replacing a value with a map would silently drop it; refuse so a person looks at the recipe.
                    refuseUnpatchable("cannot set " + path + " because " + String.join(".", keys.subList(0, i + 1))
                            + " is " + show(child) + ", not a map");
                    return null;
                }
            }
            return node;
        }

        private ObjectNode backend() {
            return config.get("backend") instanceof ObjectNode backend ? backend : config.objectNode();
        }

        /** {@code backend.<type>_config.<role>}, or null when the configuration has no such role. */
        private ObjectNode engineArgs(Role role) {
            JsonNode type = backend().get("type");
            if (type == null || !type.isTextual()) {
                return null;
            }
            JsonNode engine = backend().get(type.asText() + "_config");
            return engine != null && engine.get(role.key()) instanceof ObjectNode args ? args : null;
        }

        private static BigDecimal decimal(JsonNode value) {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                try {
                    return new BigDecimal(value.asText().trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        private static String was(JsonNode old) {
            return old == null ? "" : " (was " + show(old) + ")";
        }

        private static String show(JsonNode value) {
            return value.isValueNode() ? value.asText() : value.toString();
        }
    }
}
