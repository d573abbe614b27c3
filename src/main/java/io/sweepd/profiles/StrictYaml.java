package io.sweepd.profiles;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a data file into records the strict way: kebab-case keys, unknown keys, duplicate keys, wrong
 * types and missing required fields are errors that name the file, the line and the field. A silently
 * ignored key once sent a job to {@code --partition=default}; a silently coerced {@code "8"} is no better.
 *
 * <p>Jackson reports unknown keys and wrong types with a location, but it cannot say where a key is
 * <em>missing</em> (a primitive simply becomes 0), so a first pass over the token stream records where
 * every key and map is, and {@link Parsed#require} checks presence against that.
 */
public final class StrictYaml {

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final YAMLMapper MAPPER = YAMLMapper.builder(FACTORY)
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Not FAIL_ON_NULL_FOR_PRIMITIVES: Jackson applies it to absent keys too, and an absent optional
            // flag (exclusive, segment) means false. Required keys are checked by presence instead.
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // "8" is not a number and 8 is not a string: say so instead of guessing.
            .withCoercionConfig(LogicalType.Textual, cfg -> cfg
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfigDefaults(cfg -> cfg
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    /** 1-based line and column. */
    public record Position(int line, int column) {
        static final Position START = new Position(1, 1);

        static Position of(JsonLocation location) {
            if (location == null) {
                return new Position(0, 0);
            }
            return new Position(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
        }
    }

    private StrictYaml() {
    }

    public static <T> Parsed<T> read(CatalogFiles.Source source, Class<T> type) {
        return read(source, MAPPER.constructType(type));
    }

    public static <T> Parsed<T> read(CatalogFiles.Source source, TypeReference<T> type) {
        return read(source, MAPPER.constructType(type));
    }

    private static <T> Parsed<T> read(CatalogFiles.Source source, JavaType type) {
        Layout layout = scan(source);
        if (layout.empty) {
            throw new CatalogFormatException(source.name(), 0, 0, null, "is empty");
        }
        T value;
        try {
            value = MAPPER.readValue(source.text(), type);
        } catch (JsonMappingException e) {
            throw translate(source, e, layout);
        } catch (JsonProcessingException e) {
            Position at = Position.of(e.getLocation());
            throw new CatalogFormatException(source.name(), at.line(), at.column(), null, e.getOriginalMessage());
        }
        return new Parsed<>(source, value, layout);
    }

    /** A file read into {@code T}, with the positions of its keys for further checks. */
    public static final class Parsed<T> {
        private final CatalogFiles.Source source;
        private final T value;
        private final Layout layout;

        private Parsed(CatalogFiles.Source source, T value, Layout layout) {
            this.source = source;
            this.value = value;
            this.layout = layout;
        }

        public T value() {
            return value;
        }

        public CatalogFiles.Source source() {
            return source;
        }

        /** The same file and positions with a value derived from this one (e.g. defaults filled in). */
        public <U> Parsed<U> withValue(U derived) {
            return new Parsed<>(source, derived, layout);
        }

        /**
         * Fails on the first pattern whose key is absent or has no value. A pattern is a dotted key path
         * where {@code *} stands for any key of a map ({@code *.*.replicated-gb}); it applies to every map
         * the parent part matches, and is skipped when no such map exists (a missing parent is reported by
         * its own pattern, listed earlier).
         */
        public void require(String... patterns) {
            for (String pattern : patterns) {
                List<String> parts = List.of(pattern.split("\\."));
                List<String> parentPattern = parts.subList(0, parts.size() - 1);
                String key = parts.get(parts.size() - 1);
                for (List<String> map : layout.maps) {
                    if (!matches(parentPattern, map)) {
                        continue;
                    }
                    List<String> path = append(map, key);
                    if (!layout.keys.containsKey(path)) {
                        Position owner = map.isEmpty() ? Position.START : layout.keys.getOrDefault(map, Position.START);
                        throw new CatalogFormatException(source.name(), owner.line(), owner.column(), dotted(path),
                                "missing required key '" + key + "'"
                                        + (map.isEmpty() ? "" : " in '" + dotted(map) + "'"));
                    }
                    if (layout.nulls.contains(path)) {
                        throw fail(path, "has no value; it is required");
                    }
                }
            }
        }

        /** An error at the key {@code path} (dotted, fixed keys), for checks beyond types. */
        public CatalogFormatException fail(String dottedPath, String problem) {
            return fail(List.of(dottedPath.split("\\.")), problem);
        }

        /** An error at the key {@code path}, or at the start of the file when that key is absent. */
        public CatalogFormatException fail(List<String> path, String problem) {
            Position at = layout.keys.getOrDefault(path, Position.START);
            return new CatalogFormatException(source.name(), at.line(), at.column(), dotted(path), problem);
        }

        /** Whether the file wrote this key at all (to tell "absent" from a default). */
        public boolean has(String dottedPath) {
            return layout.keys.containsKey(List.of(dottedPath.split("\\.")));
        }

        private static boolean matches(List<String> pattern, List<String> path) {
            if (pattern.size() != path.size()) {
                return false;
            }
            for (int i = 0; i < pattern.size(); i++) {
                if (!pattern.get(i).equals("*") && !pattern.get(i).equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Where each key and each map of the document is. */
    private static final class Layout {
        final Map<List<String>, Position> keys = new HashMap<>();
        final List<List<String>> maps = new ArrayList<>();
        final Set<List<String>> nulls = new HashSet<>();
        /** How each value reads in a message ({@code the string "8"}), for type errors. */
        final Map<List<String>, String> values = new HashMap<>();
        boolean empty = true;
    }

    /** One open map or list while scanning: its path and the key or index being read. */
    private static final class Frame {
        final List<String> path;
        final boolean list;
        String key;
        int index;

        Frame(List<String> path, boolean list) {
            this.path = path;
            this.list = list;
        }

        List<String> childPath() {
            return append(path, list ? String.valueOf(index) : key);
        }
    }

    private static Layout scan(CatalogFiles.Source source) {
        Layout layout = new Layout();
        Deque<Frame> open = new ArrayDeque<>();
        try (JsonParser parser = FACTORY.createParser(source.text())) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                layout.empty = false;
                Frame top = open.peek();
                switch (token) {
                    case FIELD_NAME -> {
                        top.key = parser.currentName();
                        layout.keys.put(top.childPath(), Position.of(parser.currentTokenLocation()));
                    }
                    case START_OBJECT, START_ARRAY -> {
                        List<String> path = top == null ? List.of() : top.childPath();
                        if (token == JsonToken.START_OBJECT) {
                            layout.maps.add(path);
                        }
                        layout.values.put(path, token == JsonToken.START_OBJECT ? "a map" : "a list");
                        open.push(new Frame(path, token == JsonToken.START_ARRAY));
                    }
                    case END_OBJECT, END_ARRAY -> {
                        open.pop();
                        advance(open.peek());
                    }
                    default -> {
                        // "key:" with nothing after it reads as null or as "", depending on the parser.
                        boolean blank = token == JsonToken.VALUE_NULL
                                || (token == JsonToken.VALUE_STRING && parser.getText().isBlank());
                        if (top != null) {
                            if (blank) {
                                layout.nulls.add(top.childPath());
                            }
                            layout.values.put(top.childPath(), describe(token, parser.getText()));
                        }
                        advance(top);
                    }
                }
            }
        } catch (JsonProcessingException e) {
            Position at = Position.of(e.getLocation());
            throw new CatalogFormatException(source.name(), at.line(), at.column(), null,
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout;
    }

    private static void advance(Frame frame) {
        if (frame != null && frame.list) {
            frame.index++;
        }
    }

    private static CatalogFormatException translate(CatalogFiles.Source source, JsonMappingException e,
                                                    Layout layout) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        // Records are built through their constructor, so Jackson may notice a problem only when the parser
        // has moved past the key; the key's own position from the scan is the line a person must fix.
        Position at = layout.keys.getOrDefault(path, Position.of(e.getLocation()));
        String problem;
        if (e instanceof UnrecognizedPropertyException unknown) {
            problem = "unknown key '" + unknown.getPropertyName() + "'" + known(unknown.getKnownPropertyIds());
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "expected " + describeType(mismatch.getTargetType()) + ", found "
                    + layout.values.getOrDefault(path, "a value of another type");
        } else {
            problem = e.getOriginalMessage();
        }
        return new CatalogFormatException(source.name(), at.line(), at.column(), dotted(path), problem);
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        Set<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return " (known keys: " + String.join(", ", names) + ")";
    }

    private static String describeType(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string (quote values such as 8 or true to mean text)";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a map";
    }

    private static String describe(JsonToken token, String text) {
        return switch (token) {
            case VALUE_STRING -> text.isBlank() ? "no value" : "the string \"" + text + "\"";
            case VALUE_NUMBER_INT -> "the integer " + text;
            case VALUE_NUMBER_FLOAT -> "the number " + text;
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
            case VALUE_NULL -> "no value";
            default -> "a value of another type";
        };
    }

    static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(key);
        return List.copyOf(out);
    }

    static String dotted(List<String> path) {
        return String.join(".", path);
    }
}
