package io.sweepd.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Environment values named like secrets ({@code *TOKEN*}, {@code *KEY*}, {@code *SECRET*}, {@code *PASSWORD*},
 * any case): a sweep's recipe or a cluster profile may set {@code HF_TOKEN} for a gated model, and its value must
 * never be written where others read (plans, recipes the job directory keeps, archives, reports, logs). Where an
 * environment is written out for people the value is {@value #REDACTED}; the job gets the real one from its
 * owner-only environment file.
 *
 * <p>Environments are the maps whose key ends in {@code environment} or {@code env} (srt-slurm's
 * {@code prefill_environment}, a profile's {@code launcher.environment}) and {@code NAME=value} settings
 * (InferenceMAX's additional-settings).
 */
public final class Secrets {

    public static final String REDACTED = "<redacted>";

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(TOKEN|KEY|SECRET|PASSWORD).*");
    private static final Pattern ENVIRONMENT_KEY = Pattern.compile("(?i).*(environment|env)");

    private Secrets() {
    }

    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** {@code NAME=value} with a secret name becomes {@code NAME=<redacted>}; anything else is kept. */
    public static String redactedSetting(String setting) {
        int eq = setting == null ? -1 : setting.indexOf('=');
        return eq > 0 && isSecretName(setting.substring(0, eq).strip()) ? setting.substring(0, eq + 1) + REDACTED : setting;
    }

    /** The environment with secret-named values redacted (the same map when it holds none). */
    public static Map<String, String> redacted(Map<String, String> environment) {
        if (environment.keySet().stream().noneMatch(Secrets::isSecretName)) {
            return environment;
        }
        Map<String, String> out = new LinkedHashMap<>();
        environment.forEach((name, value) -> out.put(name, isSecretName(name) ? REDACTED : value));
        return out;
    }

    /** The secret-named entries of an environment, for the job's owner-only environment file. */
    public static Map<String, String> only(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (isSecretName(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /**
     * The tree with every secret-named entry of its environments, and every secret {@code NAME=value} string in
     * it, redacted: for plan.json, which people read. The same tree when there is none (most configurations: no
     * copy is made).
     */
    public static <T extends JsonNode> T redacted(T tree) {
        return rewritten(tree, Mode.REDACT_ALL);
    }

    /**
     * The tree with the values of its environments' secret-named entries redacted, nothing else touched: for a
     * recipe.yaml the launcher does not take its environment from (the single-node harness reads the job's
     * owner-only environment file).
     */
    public static <T extends JsonNode> T environmentRedacted(T tree) {
        return rewritten(tree, Mode.REDACT_ENVIRONMENT);
    }

    /**
     * The tree without its environments' secret-named entries: for a recipe a launcher loads as it is (srtctl),
     * which would otherwise set the variable to {@value #REDACTED}; the job exports the real values from its
     * owner-only secrets file instead, and the launcher's workers inherit them.
     */
    public static <T extends JsonNode> T withoutSecrets(T tree) {
        return rewritten(tree, Mode.DROP_ENVIRONMENT);
    }

    private enum Mode { REDACT_ALL, REDACT_ENVIRONMENT, DROP_ENVIRONMENT }

    private static <T extends JsonNode> T rewritten(T tree, Mode mode) {
        if (tree == null || !holdsSecrets(tree, false, mode == Mode.REDACT_ALL)) {
            return tree;
        }
        @SuppressWarnings("unchecked")
        T copy = (T) tree.deepCopy();
        rewrite(copy, false, mode);
        return copy;
    }

    /** The secret-named entries of every environment in the tree. */
    public static Map<String, String> environmentSecrets(JsonNode tree) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(tree, false, out);
        return out;
    }

    /**
     * A point as plan.json writes it (maps, lists, strings, trees): {@code NAME=value} settings and environment
     * trees redacted. The same object when nothing in it is secret.
     */
    @SuppressWarnings("unchecked")
    public static Object redactedValue(Object value) {
        if (value instanceof JsonNode node) {
            return redacted(node);
        }
        if (value instanceof String text) {
            return redactedSetting(text);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object item : list) {
                Object redacted = redactedValue(item);
                changed |= redacted != item;
                out.add(redacted);
            }
            return changed ? out : list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object item = e.getValue();
                Object redacted = e.getKey() instanceof String key && isEnvironment(key) && item instanceof Map<?, ?> env
                        ? redacted((Map<String, String>) env)
                        : item instanceof String ? item : redactedValue(item);
                changed |= redacted != item;
                out.put(e.getKey(), redacted);
            }
            return changed ? out : map;
        }
        return value;
    }

    private static boolean isEnvironment(String key) {
        return ENVIRONMENT_KEY.matcher(key).matches();
    }

    private static boolean holdsSecrets(JsonNode node, boolean inEnvironment, boolean settings) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (inEnvironment && isSecretName(e.getKey())) {
                    return true;
                }
                if (holdsSecrets(e.getValue(), isEnvironment(e.getKey()), settings)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (settings && item.isTextual() && !item.textValue().equals(redactedSetting(item.textValue()))
                        || holdsSecrets(item, false, settings)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rewrite(JsonNode node, boolean inEnvironment, Mode mode) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (inEnvironment && isSecretName(name)) {
                    if (mode != Mode.DROP_ENVIRONMENT) {
                        object.put(name, REDACTED);
                    } else {
                        object.remove(name);
                    }
                } else {
                    rewrite(object.get(name), isEnvironment(name), mode);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (item.isTextual()) {
                    if (mode == Mode.REDACT_ALL) {
                        ((ArrayNode) node).set(i, TextNode.valueOf(redactedSetting(item.textValue())));
                    }
                } else {
                    rewrite(item, false, mode);
                }
            }
        }
    }

    private static void collect(JsonNode node, boolean inEnvironment, Map<String, String> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (inEnvironment && isSecretName(e.getKey()) && e.getValue().isValueNode()) {
                    out.put(e.getKey(), e.getValue().asText());
                } else {
                    collect(e.getValue(), isEnvironment(e.getKey()), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, false, out));
        }
    }
}
