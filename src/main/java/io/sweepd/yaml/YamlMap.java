package io.sweepd.yaml;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML mapping with text keys, in file order. The binding helpers read a key's value or say, at the right line,
 * what is missing, unknown or of the wrong type. A missing key is reported at the key that holds this map (or at
 * the map's start for a list item or the document), with the missing key's path.
 */
public final class YamlMap extends YamlNode {

    private final Map<String, YamlNode> fields;

    YamlMap(String file, String path, String key, Position position, Position keyPosition,
            Map<String, YamlNode> fields) {
        super(file, path, key, position, keyPosition);
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Set<String> keys() {
        return fields.keySet();
    }

    /** The values in file order; each knows its {@link #key()}. */
    public Collection<YamlNode> values() {
        return fields.values();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The value written under {@code key} (possibly YAML null), or null when the key is absent. */
    public YamlNode get(String key) {
        return fields.get(key);
    }

    /** The value under {@code key}, or null when the key is absent or its value is YAML null. */
    public YamlNode present(String key) {
        YamlNode value = fields.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** The value at a path of keys below this map, or null when any of them is absent. */
    public YamlNode find(List<String> keys) {
        YamlNode node = this;
        for (String key : keys) {
            if (!(node instanceof YamlMap map) || (node = map.get(key)) == null) {
                return null;
            }
        }
        return node;
    }

    /** An error about {@code key} of this map that is not there. */
    public YamlFieldException failMissing(String key, String problem) {
        Position at = keyPosition();
        return new YamlFieldException(file(), at.line(), at.column(), child(path(), key), problem);
    }

    public YamlNode require(String key) {
        YamlNode value = fields.get(key);
        if (value == null) {
            throw failMissing(key, "missing required key '" + key + "'");
        }
        return value;
    }

    public String string(String key) {
        return require(key).string();
    }

    public int integer(String key) {
        return require(key).integer();
    }

    public int positiveInt(String key) {
        return require(key).positiveInt();
    }

    public double number(String key) {
        return require(key).number();
    }

    public boolean bool(String key) {
        return require(key).bool();
    }

    /** An optional flag: {@code defaultValue} when absent; written, it must be true or false. */
    public boolean bool(String key, boolean defaultValue) {
        Boolean value = optional(key, YamlNode::bool);
        return value == null ? defaultValue : value;
    }

    /** {@code read} of the value, or null when the key is absent; a written null goes to {@code read} (and fails). */
    public <T> T optional(String key, Function<YamlNode, T> read) {
        YamlNode value = fields.get(key);
        return value == null ? null : read.apply(value);
    }

    /** {@code read} of the value, or null when the key is absent or written empty (a nullable field). */
    public <T> T nullable(String key, Function<YamlNode, T> read) {
        YamlNode value = present(key);
        return value == null ? null : read.apply(value);
    }

    /** Refuses the first key not in {@code allowed}, naming the allowed keys (in their order) and the likeliest. */
    public void allowOnly(Collection<String> allowed) {
        allowOnly(allowed, allowed, key -> "");
    }

    /**
     * @param listed the keys the message offers (may be fewer than {@code allowed})
     * @param hint   a sentence to add for a given unknown key ({@code "; tp goes under prefill"}), or ""
     */
    public void allowOnly(Collection<String> allowed, Collection<String> listed, Function<String, String> hint) {
        for (YamlNode value : fields.values()) {
            String key = value.key();
            if (!allowed.contains(key)) {
                String guess = closest(key, allowed);
                throw value.failAtKey("unknown key '" + key + "'"
                        + (guess == null ? "" : " (did you mean '" + guess + "'?)")
                        + "; expected one of: " + String.join(", ", listed) + hint.apply(key));
            }
        }
    }

    /** The allowed key a typo most likely meant: at most 2 edits away (1 for short keys), ignoring case. */
    static String closest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = Math.max(1, Math.min(2, key.length() / 3)) + 1;
        for (String candidate : allowed) {
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Edits (insert, delete, substitute, swap two neighbours) that turn {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Override
    public String describe() {
        return "a map";
    }

    @Override
    public YamlMap map(String expected) {
        return this;
    }

    @Override
    public Object plain() {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach((key, value) -> values.put(key, value.plain()));
        return values;
    }

    @Override
    public YamlMap withPath(String newPath) {
        Map<String, YamlNode> moved = new LinkedHashMap<>();
        fields.forEach((key, value) -> moved.put(key, value.withPath(child(newPath, key))));
        return new YamlMap(file(), newPath, key(), position(), keyPosition(), moved);
    }
}
