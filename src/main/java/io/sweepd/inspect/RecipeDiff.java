package io.sweepd.inspect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between two server configurations, key by key ({@code backend.prefill_environment.NCCL_X}): a
 * recipe is a tree of settings, so a line diff would show indentation and order, not what the job runs with.
 * Lists are compared whole (an engine's argument list is one setting).
 */
public final class RecipeDiff {

    /** One setting: {@code before} null when added, {@code after} null when removed (as JSON text otherwise). */
    public record Change(String path, String before, String after) {

        public String kind() {
            return before == null ? "added" : after == null ? "removed" : "changed";
        }
    }

    private RecipeDiff() {
    }

    /** The settings that differ, in the order they appear in {@code after}, then those only {@code before} has. */
    public static List<Change> between(JsonNode before, JsonNode after) {
        Map<String, String> old = flatten(before);
        Map<String, String> now = flatten(after);
        Set<String> paths = new LinkedHashSet<>(now.keySet());
        paths.addAll(old.keySet());
        List<Change> changes = new ArrayList<>();
        for (String path : paths) {
            String a = old.get(path);
            String b = now.get(path);
            if (a == null ? b != null : !a.equals(b)) {
                changes.add(new Change(path, a, b));
            }
        }
        return changes;
    }

    private static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null) {
            flatten("", node, out);
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (!prefix.isEmpty()) {
            out.put(prefix, node.isTextual() ? node.asText() : node.toString());
        }
    }
}
