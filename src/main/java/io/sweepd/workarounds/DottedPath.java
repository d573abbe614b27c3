package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/**
 * A path into a server configuration such as {@code health_check.max_attempts}: map keys joined by dots.
 * Keys containing dots cannot be addressed, which no srt-slurm section needs.
 */
public record DottedPath(List<String> segments) {

    public DottedPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a dotted path has non-empty keys separated by single dots: " + segments);
        }
    }

    /** @throws IllegalArgumentException for an empty path or an empty key ({@code a..b}, {@code .a}) */
    public static DottedPath parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        String[] parts = text.split("\\.", -1);
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + text + "' has an empty key; write keys separated by single dots");
        }
        return new DottedPath(Arrays.asList(parts));
    }

    /** The node at this path, or null when some key on the way is absent or not a map. */
    public JsonNode find(JsonNode root) {
        JsonNode node = root;
        for (String key : segments) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }

    /** The key is present, even with a null value ({@code connector: null} counts). */
    public boolean existsIn(JsonNode root) {
        return find(root) != null;
    }

    public DottedPath parent() {
        return segments.size() == 1 ? null : new DottedPath(segments.subList(0, segments.size() - 1));
    }

    public String last() {
        return segments.get(segments.size() - 1);
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
