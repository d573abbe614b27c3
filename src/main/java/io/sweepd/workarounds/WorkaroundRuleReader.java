package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one workaround file: a YAML list of rules. Strict, because a silently ignored key is a workaround
 * silently not applied: unknown keys, wrong types, empty lists, unknown roles or placeholders and repeated
 * ids are errors naming file, line and field.
 */
final class WorkaroundRuleReader {

    private static final Pattern KEBAB_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final List<String> RULE_KEYS = List.of("id", "when", "do", "why", "ref");
    private static final List<String> WHEN_KEYS = List.of("model-prefix", "model", "framework", "runner",
            "precision", "gpu", "architecture", "multinode", "disagg", "gpu-memory-gb-below", "cross-node-tp",
            "headless-multinode", "recipe-has", "master-schema", "spec-decoding", "scenario-type", "if");
    private static final List<String> DO_KEYS = List.of("remove", "set", "remove-args", "set-args", "cap-args",
            "remove-env", "set-env", "deadlines", "refuse", "exclude-from-evals");
    private static final List<String> DEADLINE_KEYS = List.of("first-log-seconds", "healthy-seconds", "total-seconds");

    private final String source;
    private final LocatedYaml doc;
    /** Path prefix ("[2]") and id of the rule being read, so messages name the rule rather than its index. */
    private String rulePath;
    private String ruleId;

    private WorkaroundRuleReader(String source, String text) {
        this.source = source;
        this.doc = LocatedYaml.parse(source, text);
    }

    /**
     * @param source how messages name the file (a path, or {@code classpath:workarounds/x.yaml})
     * @throws WorkaroundFormatException for anything but a well-formed list of rules
     */
    static List<WorkaroundRule> read(String source, String text) {
        return new WorkaroundRuleReader(source, text).rules();
    }

    private List<WorkaroundRule> rules() {
        JsonNode root = doc.root();
        if (root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw fail("", "a workaround file is a YAML list of rules, each starting with '- id: ...'");
        }
        List<WorkaroundRule> rules = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            WorkaroundRule rule = rule(root.get(i), "[" + i + "]");
            Integer previous = firstLine.putIfAbsent(rule.id(), doc.line("[" + i + "].id"));
            if (previous != null) {
                throw fail("[" + i + "].id", "id '" + rule.id() + "' is already used at line " + previous);
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private WorkaroundRule rule(JsonNode node, String path) {
        rulePath = path;
        ruleId = null;
        requireMap(node, path, "a rule (a map with id, when, do, why, ref)");
        String id = text(required(node, path, "id"), path + ".id");
        if (!KEBAB_ID.matcher(id).matches()) {
            throw fail(path + ".id", "id '" + id + "' is not kebab-case (lower-case letters and digits joined by '-')");
        }
        ruleId = id;
        checkKeys(node, path, RULE_KEYS);
        RuleConditions when = node.has("when") ? conditions(node.get("when"), path + ".when") : RuleConditions.ANY;
        RuleActions does = actions(required(node, path, "do"), path + ".do");
        if (does.excludeFromEvals() && !when.usesPointOnly()) {
            throw fail(path + ".do.exclude-from-evals", "eval exclusions are decided while the matrix is expanded,"
                    + " before a profile or recipe is known; 'when' may only use model-prefix, model, framework,"
                    + " runner, precision, multinode, disagg");
        }
        if (when.masterSchema() != null && !does.excludeFromEvals()) {
            throw fail(path + ".when.master-schema", "master-schema is only for eval exclusions (it describes the"
                    + " generator generation that had one); a rule that changes a job cannot use it");
        }
        if ((when.pointIf() != null || does.usesPointValues()) && !Boolean.FALSE.equals(when.multinode())) {
            throw fail(path + ".when", "'if' and ${...} placeholders read a single-node point's concurrency and tp;"
                    + " say 'multinode: false' in 'when'");
        }
        String why = text(required(node, path, "why"), path + ".why");
        String ref = node.has("ref") ? text(node.get("ref"), path + ".ref") : null;
        return new WorkaroundRule(id, when, does, why, ref, source, doc.line(path));
    }

    private RuleConditions conditions(JsonNode node, String path) {
        requireMap(node, path, "conditions");
        checkKeys(node, path, WHEN_KEYS);
        List<DottedPath> recipeHas = null;
        if (node.has("recipe-has")) {
            recipeHas = new ArrayList<>();
            List<String> texts = strings(node.get("recipe-has"), path + ".recipe-has");
            for (int i = 0; i < texts.size(); i++) {
                recipeHas.add(dottedPath(texts.get(i), path + ".recipe-has[" + i + "]"));
            }
        }
        return new RuleConditions(
                optionalStrings(node, path, "model-prefix"),
                optionalStrings(node, path, "model"),
                optionalStrings(node, path, "framework"),
                optionalStrings(node, path, "runner"),
                optionalStrings(node, path, "precision"),
                optionalStrings(node, path, "gpu"),
                optionalStrings(node, path, "architecture"),
                optionalBoolean(node, path, "multinode"),
                optionalBoolean(node, path, "disagg"),
                node.has("gpu-memory-gb-below") ? number(node.get("gpu-memory-gb-below"), path + ".gpu-memory-gb-below") : null,
                optionalBoolean(node, path, "cross-node-tp"),
                optionalBoolean(node, path, "headless-multinode"),
                recipeHas,
                optionalStrings(node, path, "master-schema"),
                optionalStrings(node, path, "spec-decoding"),
                scenarioTypes(node, path),
                node.has("if") ? expression(node.get("if"), path + ".if") : null);
    }

    private List<String> scenarioTypes(JsonNode node, String path) {
        List<String> types = optionalStrings(node, path, "scenario-type");
        if (types != null) {
            for (String type : types) {
                if (!RuleConditions.SCENARIO_TYPES.contains(type)) {
                    throw fail(path + ".scenario-type", "unknown scenario type '" + type + "'; known: "
                            + String.join(", ", RuleConditions.SCENARIO_TYPES));
                }
            }
        }
        return types;
    }

    private PointExpression expression(JsonNode node, String path) {
        try {
            return PointExpression.parse(text(node, path));
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    private RuleActions actions(JsonNode node, String path) {
        requireMap(node, path, "actions");
        checkKeys(node, path, DO_KEYS);
        List<DottedPath> remove = null;
        if (node.has("remove")) {
            remove = new ArrayList<>();
            List<String> texts = strings(node.get("remove"), path + ".remove");
            for (int i = 0; i < texts.size(); i++) {
                remove.add(dottedPath(texts.get(i), path + ".remove[" + i + "]"));
            }
        }
        Map<DottedPath, JsonNode> set = null;
        if (node.has("set")) {
            set = new LinkedHashMap<>();
            String setPath = path + ".set";
            for (Map.Entry<String, JsonNode> entry : entries(node.get("set"), setPath, "a map of dotted.path: value")) {
                String entryPath = setPath + "." + entry.getKey();
                set.put(dottedPath(entry.getKey(), entryPath), nonNull(entry.getValue(), entryPath, "use 'remove' to delete a key"));
            }
        }
        boolean exclude = false;
        if (node.has("exclude-from-evals")) {
            exclude = bool(node.get("exclude-from-evals"), path + ".exclude-from-evals");
            if (!exclude) {
                throw fail(path + ".exclude-from-evals", "'exclude-from-evals: false' does nothing; leave it out");
            }
        }
        String refuse = null;
        if (node.has("refuse")) {
            refuse = text(node.get("refuse"), path + ".refuse");
            List<String> unknown = RefusalTemplate.unknownPlaceholders(refuse);
            if (!unknown.isEmpty()) {
                throw fail(path + ".refuse", "unknown placeholder " + String.join(", ", unknown)
                        + "; known: " + String.join(", ", RefusalTemplate.NAMES.stream().sorted().map(n -> "{" + n + "}").toList()));
            }
        }
        RuleActions actions = new RuleActions(
                remove,
                set,
                node.has("remove-args") ? roleNames(node.get("remove-args"), path + ".remove-args", "args") : null,
                node.has("set-args") ? roleValues(node.get("set-args"), path + ".set-args", false) : null,
                node.has("cap-args") ? roleValues(node.get("cap-args"), path + ".cap-args", true) : null,
                node.has("remove-env") ? roleNames(node.get("remove-env"), path + ".remove-env", "names") : null,
                node.has("set-env") ? roleEnv(node.get("set-env"), path + ".set-env") : null,
                node.has("deadlines") ? deadlines(node.get("deadlines"), path + ".deadlines") : null,
                refuse,
                exclude);
        if (actions.isEmpty()) {
            throw fail(path, "'do' is empty; a rule must do something (one of " + String.join(", ", DO_KEYS) + ")");
        }
        return actions;
    }

    private RuleActions.RoleNames roleNames(JsonNode node, String path, String listKey) {
        requireMap(node, path, "a map with roles and " + listKey);
        checkKeys(node, path, List.of("roles", listKey));
        return new RuleActions.RoleNames(roles(node, path), strings(required(node, path, listKey), path + "." + listKey));
    }

    private RuleActions.RoleValues roleValues(JsonNode node, String path, boolean numbersOnly) {
        requireMap(node, path, "a map with roles and args");
        checkKeys(node, path, List.of("roles", "args"));
        String argsPath = path + ".args";
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : entries(required(node, path, "args"), argsPath, "a map of engine argument: value")) {
            String argPath = argsPath + "." + entry.getKey();
            JsonNode value = nonNull(entry.getValue(), argPath, "use 'remove-args' to delete an argument");
            if (numbersOnly && !value.isNumber()) {
                throw fail(argPath, "a cap is a number, found " + describe(value));
            }
            PointTemplate.problem(value).ifPresent(problem -> {
                throw fail(argPath, problem);
            });
            values.put(entry.getKey(), value);
        }
        return new RuleActions.RoleValues(roles(node, path), values);
    }

    private RuleActions.RoleEnv roleEnv(JsonNode node, String path) {
        requireMap(node, path, "a map with roles and env");
        checkKeys(node, path, List.of("roles", "env"));
        String envPath = path + ".env";
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : entries(required(node, path, "env"), envPath, "a map of NAME: \"value\"")) {
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isNumber()) {
                throw fail(envPath + "." + entry.getKey(), "an environment value is a string (quote it), found " + describe(value));
            }
            PointTemplate.problem(value).ifPresent(problem -> {
                throw fail(envPath + "." + entry.getKey(), problem);
            });
            env.put(entry.getKey(), value.asText());
        }
        return new RuleActions.RoleEnv(roles(node, path), env);
    }

    private RuleActions.DeadlineRaise deadlines(JsonNode node, String path) {
        requireMap(node, path, "a map of " + String.join(", ", DEADLINE_KEYS));
        checkKeys(node, path, DEADLINE_KEYS);
        if (node.isEmpty()) {
            throw fail(path, "no deadline given; use one of " + String.join(", ", DEADLINE_KEYS));
        }
        return new RuleActions.DeadlineRaise(seconds(node, path, "first-log-seconds"),
                seconds(node, path, "healthy-seconds"), seconds(node, path, "total-seconds"));
    }

    private Integer seconds(JsonNode node, String path, String key) {
        if (!node.has(key)) {
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() <= 0) {
            throw fail(path + "." + key, "a deadline is a positive whole number of seconds, found " + describe(value));
        }
        return value.intValue();
    }

    /** Roles a per-role action applies to; all roles when the rule names none. */
    private Set<Role> roles(JsonNode node, String path) {
        if (!node.has("roles")) {
            return EnumSet.allOf(Role.class);
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        List<String> names = strings(node.get("roles"), path + ".roles");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            roles.add(Role.fromKey(name).orElseThrow(() -> fail(path + ".roles", "unknown role '" + name
                    + "'; roles are prefill, decode, aggregated")));
        }
        return roles;
    }

    private List<String> optionalStrings(JsonNode node, String path, String key) {
        return node.has(key) ? strings(node.get(key), path + "." + key) : null;
    }

    private Boolean optionalBoolean(JsonNode node, String path, String key) {
        return node.has(key) ? bool(node.get(key), path + "." + key) : null;
    }

    /** A non-empty list of non-empty strings; a single string stands for a one-item list. */
    private List<String> strings(JsonNode node, String path) {
        if (node.isTextual()) {
            return List.of(text(node, path));
        }
        if (!node.isArray()) {
            throw fail(path, "expected a list of strings, found " + describe(node));
        }
        if (node.isEmpty()) {
            throw fail(path, "empty list; leave the key out instead");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(text(node.get(i), path + "[" + i + "]"));
        }
        return values;
    }

    private String text(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw fail(path, "expected a non-empty string, found " + describe(node));
        }
        return node.asText();
    }

    private boolean bool(JsonNode node, String path) {
        if (!node.isBoolean()) {
            throw fail(path, "expected true or false, found " + describe(node));
        }
        return node.booleanValue();
    }

    private double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw fail(path, "expected a number, found " + describe(node));
        }
        return node.doubleValue();
    }

    private JsonNode nonNull(JsonNode node, String path, String hint) {
        if (node.isNull()) {
            throw fail(path, "no value; " + hint);
        }
        return node;
    }

    private DottedPath dottedPath(String text, String path) {
        try {
            return DottedPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(path, "bad path: " + e.getMessage());
        }
    }

    private List<Map.Entry<String, JsonNode>> entries(JsonNode node, String path, String expected) {
        requireMap(node, path, expected);
        if (node.isEmpty()) {
            throw fail(path, "empty map; expected " + expected);
        }
        return new ArrayList<>(node.properties());
    }

    private JsonNode required(JsonNode node, String path, String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw fail(path, "missing '" + key + "'");
        }
        return value;
    }

    private void requireMap(JsonNode node, String path, String expected) {
        if (!node.isObject()) {
            throw fail(path, "expected " + expected + ", found " + describe(node));
        }
    }

    private void checkKeys(JsonNode node, String path, List<String> allowed) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!allowed.contains(name)) {
                throw fail(path.isEmpty() ? name : path + "." + name,
                        "unknown key '" + name + "'; expected one of " + String.join(", ", allowed));
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "'" + node.asText() + "'";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isNull() ? "nothing" : node.toString();
    }

    private WorkaroundFormatException fail(String path, String problem) {
        String field = path;
        if (ruleId != null && rulePath != null && path.startsWith(rulePath)) {
            field = ruleId + path.substring(rulePath.length());
        }
        return new WorkaroundFormatException(source, doc.line(path), field, problem);
    }
}
