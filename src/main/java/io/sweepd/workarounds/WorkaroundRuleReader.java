package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.json.Json;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import io.sweepd.yaml.YamlList;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;
import io.sweepd.yaml.YamlScalar;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads one workaround file: a YAML list of rules. Strict, because a silently ignored key is a workaround
 * silently not applied: unknown keys, wrong types, empty lists, unknown roles or placeholders and repeated
 * ids are errors naming file, line and field. Once a rule's id is read, its fields are named by it
 * ({@code dsv4-no-chat-template.do.set-args}) rather than by its index.
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

    private WorkaroundRuleReader(String source) {
        this.source = source;
    }

    /**
     * @param source how messages name the file (a path, or {@code classpath:workarounds/x.yaml})
     * @throws YamlFieldException for anything but a well-formed list of rules
     */
    static List<WorkaroundRule> read(String source, String text) {
        return new WorkaroundRuleReader(source).rules(Yaml.read(source, text));
    }

    private List<WorkaroundRule> rules(YamlNode root) {
        if (root.isNull()) {
            return List.of();
        }
        if (!(root instanceof YamlList list)) {
            throw root.fail("a workaround file is a YAML list of rules, each starting with '- id: ...'");
        }
        List<WorkaroundRule> rules = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (YamlNode item : list.items()) {
            WorkaroundRule rule = rule(item);
            YamlNode id = ((YamlMap) item.withPath(rule.id())).get("id");
            Integer previous = firstLine.putIfAbsent(rule.id(), id.keyPosition().line());
            if (previous != null) {
                throw id.fail("id '" + rule.id() + "' is already used at line " + previous);
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private WorkaroundRule rule(YamlNode item) {
        YamlMap indexed = item.map("a rule (a map with id, when, do, why, ref)");
        String id = indexed.string("id");
        if (!KEBAB_ID.matcher(id).matches()) {
            throw indexed.get("id").fail("id '" + id + "' is not kebab-case (lower-case letters and digits joined by '-')");
        }
        YamlMap rule = indexed.withPath(id);
        rule.allowOnly(RULE_KEYS);
        RuleConditions when = rule.get("when") == null ? RuleConditions.ANY : conditions(rule.get("when"));
        RuleActions does = actions(rule.require("do"));
        if (does.excludeFromEvals() && !when.usesPointOnly()) {
            throw rule.find(List.of("do", "exclude-from-evals")).failAtKey("eval exclusions are decided while the"
                    + " matrix is expanded, before a profile or recipe is known; 'when' may only use model-prefix,"
                    + " model, framework, runner, precision, multinode, disagg");
        }
        if (when.masterSchema() != null && !does.excludeFromEvals()) {
            throw rule.find(List.of("when", "master-schema")).failAtKey("master-schema is only for eval exclusions"
                    + " (it describes the generator generation that had one); a rule that changes a job cannot use it");
        }
        if ((when.pointIf() != null || does.usesPointValues()) && !Boolean.FALSE.equals(when.multinode())) {
            throw rule.get("when") == null ? rule.fail("'if' and ${...} placeholders read a single-node point's"
                    + " concurrency and tp; add 'when: {multinode: false}'")
                    : rule.get("when").fail("'if' and ${...} placeholders read a single-node point's concurrency"
                    + " and tp; say 'multinode: false' in 'when'");
        }
        return new WorkaroundRule(id, when, does, rule.string("why"), rule.optional("ref", YamlNode::string), source,
                rule.position().line());
    }

    private RuleConditions conditions(YamlNode node) {
        YamlMap when = node.map("conditions");
        when.allowOnly(WHEN_KEYS);
        Function<String, List<String>> names = key -> when.optional(key, WorkaroundRuleReader::strings);
        Function<String, Boolean> flag = key -> when.optional(key, YamlNode::bool);
        return new RuleConditions(names.apply("model-prefix"), names.apply("model"), names.apply("framework"),
                names.apply("runner"), names.apply("precision"), names.apply("gpu"), names.apply("architecture"),
                flag.apply("multinode"), flag.apply("disagg"), when.optional("gpu-memory-gb-below", YamlNode::number),
                flag.apply("cross-node-tp"), flag.apply("headless-multinode"),
                when.optional("recipe-has", WorkaroundRuleReader::dottedPaths), names.apply("master-schema"),
                names.apply("spec-decoding"), when.optional("scenario-type", WorkaroundRuleReader::scenarioTypes),
                when.optional("if", WorkaroundRuleReader::expression));
    }

    private static List<String> scenarioTypes(YamlNode node) {
        List<String> types = strings(node);
        for (String type : types) {
            if (!RuleConditions.SCENARIO_TYPES.contains(type)) {
                throw node.fail("unknown scenario type '" + type + "'; known: "
                        + String.join(", ", RuleConditions.SCENARIO_TYPES));
            }
        }
        return types;
    }

    private static PointExpression expression(YamlNode node) {
        try {
            return PointExpression.parse(node.string());
        } catch (IllegalArgumentException e) {
            throw node.fail(e.getMessage());
        }
    }

    private RuleActions actions(YamlNode node) {
        YamlMap does = node.map("actions");
        does.allowOnly(DO_KEYS);
        List<DottedPath> remove = does.optional("remove", WorkaroundRuleReader::dottedPaths);
        Map<DottedPath, JsonNode> set = does.optional("set", value -> {
            Map<DottedPath, JsonNode> paths = new LinkedHashMap<>();
            for (YamlNode entry : entries(value, "a map of dotted.path: value")) {
                paths.put(dottedPath(entry, entry.key()), json(entry, "use 'remove' to delete a key"));
            }
            return paths;
        });
        Boolean exclude = does.optional("exclude-from-evals", YamlNode::bool);
        if (exclude != null && !exclude) {
            throw does.get("exclude-from-evals").fail("'exclude-from-evals: false' does nothing; leave it out");
        }
        String refuse = does.optional("refuse", YamlNode::string);
        List<String> unknown = refuse == null ? List.of() : RefusalTemplate.unknownPlaceholders(refuse);
        if (!unknown.isEmpty()) {
            throw does.get("refuse").fail("unknown placeholder " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", RefusalTemplate.NAMES.stream().sorted().map(n -> "{" + n + "}").toList()));
        }
        RuleActions actions = new RuleActions(
                remove,
                set,
                does.optional("remove-args", value -> roleNames(value, "args")),
                does.optional("set-args", value -> roleValues(value, false)),
                does.optional("cap-args", value -> roleValues(value, true)),
                does.optional("remove-env", value -> roleNames(value, "names")),
                does.optional("set-env", WorkaroundRuleReader::roleEnv),
                does.optional("deadlines", WorkaroundRuleReader::deadlines),
                refuse,
                exclude != null);
        if (actions.isEmpty()) {
            throw does.fail("'do' is empty; a rule must do something (one of " + String.join(", ", DO_KEYS) + ")");
        }
        return actions;
    }

    private static RuleActions.RoleNames roleNames(YamlNode node, String listKey) {
        YamlMap map = perRole(node, listKey, "a map with roles and " + listKey);
        return new RuleActions.RoleNames(roles(map), strings(map.require(listKey)));
    }

    private static RuleActions.RoleValues roleValues(YamlNode node, boolean numbersOnly) {
        YamlMap map = perRole(node, "args", "a map with roles and args");
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (YamlNode arg : entries(map.require("args"), "a map of engine argument: value")) {
            JsonNode value = json(arg, "use 'remove-args' to delete an argument");
            if (numbersOnly && !value.isNumber()) {
                throw arg.fail("a cap is a number, got " + arg.describe());
            }
            PointTemplate.problem(value).ifPresent(problem -> {
                throw arg.fail(problem);
            });
            values.put(arg.key(), value);
        }
        return new RuleActions.RoleValues(roles(map), values);
    }

    private static RuleActions.RoleEnv roleEnv(YamlNode node) {
        YamlMap map = perRole(node, "env", "a map with roles and env");
        Map<String, String> env = new LinkedHashMap<>();
        for (YamlNode value : entries(map.require("env"), "a map of NAME: \"value\"")) {
            boolean text = value instanceof YamlScalar scalar
                    && (scalar.kind() == YamlScalar.Kind.STRING || value.plain() instanceof Number);
            if (!text) {
                throw value.fail("an environment value is a string (quote it), got " + value.describe());
            }
            PointTemplate.problem(Json.MAPPER.valueToTree(value.plain())).ifPresent(problem -> {
                throw value.fail(problem);
            });
            env.put(value.key(), String.valueOf(value.plain()));
        }
        return new RuleActions.RoleEnv(roles(map), env);
    }

    private static RuleActions.DeadlineRaise deadlines(YamlNode node) {
        YamlMap map = node.map("a map of " + String.join(", ", DEADLINE_KEYS));
        map.allowOnly(DEADLINE_KEYS);
        if (map.isEmpty()) {
            throw map.fail("no deadline given; use one of " + String.join(", ", DEADLINE_KEYS));
        }
        Function<YamlNode, Integer> seconds = value -> {
            if (!(value.plain() instanceof Integer count) || count <= 0) {
                throw value.fail("a deadline is a positive whole number of seconds, got " + value.describe());
            }
            return count;
        };
        return new RuleActions.DeadlineRaise(map.optional("first-log-seconds", seconds),
                map.optional("healthy-seconds", seconds), map.optional("total-seconds", seconds));
    }

    /** A per-role action's map: {@code roles} and the one key that holds what it does. */
    private static YamlMap perRole(YamlNode node, String key, String expected) {
        YamlMap map = node.map(expected);
        map.allowOnly(List.of("roles", key));
        return map;
    }

    /** Roles a per-role action applies to; all roles when the rule names none. */
    private static Set<Role> roles(YamlMap map) {
        YamlNode node = map.get("roles");
        if (node == null) {
            return EnumSet.allOf(Role.class);
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : strings(node)) {
            roles.add(Role.fromKey(name).orElseThrow(() -> node.fail("unknown role '" + name
                    + "'; roles are prefill, decode, aggregated")));
        }
        return roles;
    }

    /** A non-empty list of non-empty strings; a single string stands for a one-item list. */
    private static List<String> strings(YamlNode node) {
        if (node instanceof YamlScalar scalar && scalar.kind() == YamlScalar.Kind.STRING) {
            return List.of(node.string());
        }
        List<String> values = node.strings();
        if (values.isEmpty()) {
            throw node.fail("empty list; leave the key out instead");
        }
        return values;
    }

    private static List<DottedPath> dottedPaths(YamlNode node) {
        List<DottedPath> paths = new ArrayList<>();
        List<String> texts = strings(node);
        for (int i = 0; i < texts.size(); i++) {
            paths.add(dottedPath(node instanceof YamlList list ? list.get(i) : node, texts.get(i)));
        }
        return paths;
    }

    private static DottedPath dottedPath(YamlNode at, String text) {
        try {
            return DottedPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw at.failAtKey("bad path: " + e.getMessage());
        }
    }

    /** The values of a non-empty map, each knowing its key. */
    private static List<YamlNode> entries(YamlNode node, String expected) {
        YamlMap map = node.map(expected);
        if (map.isEmpty()) {
            throw map.fail("empty map; expected " + expected);
        }
        return List.copyOf(map.values());
    }

    /** A value a rule writes into a recipe, as the recipe's JSON tree holds it. */
    private static JsonNode json(YamlNode node, String hintForNull) {
        if (node.isNull()) {
            throw node.fail("no value; " + hintForNull);
        }
        return Json.MAPPER.valueToTree(node.plain());
    }
}
