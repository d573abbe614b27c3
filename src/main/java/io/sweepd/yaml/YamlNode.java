package io.sweepd.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * A value of a YAML document that knows where it stands: the file, its field path
 * ({@code entry.search-space[2].tp}), and the line and column of the value and of the key that holds it. The typed
 * readers ({@link #string()}, {@link #integer()}, {@link #map(String)}...) return the value or throw a
 * {@link YamlFieldException} at the value, saying what was expected and what was found; nothing is coerced
 * ({@code "4"} is not 4, {@code "true"} is not true).
 */
public abstract sealed class YamlNode permits YamlMap, YamlList, YamlScalar {

    /** 1-based line and column. */
    public record Position(int line, int column) {
        public static final Position START = new Position(1, 1);
    }

    private final String file;
    private final String path;
    private final String key;
    private final Position position;
    private final Position keyPosition;

    YamlNode(String file, String path, String key, Position position, Position keyPosition) {
        this.file = file;
        this.path = path;
        this.key = key;
        this.position = position;
        this.keyPosition = keyPosition == null ? position : keyPosition;
    }

    public String file() {
        return file;
    }

    /** The field path: {@code ""} for the document, {@code a.b} for a map value, {@code a[2]} for a list item. */
    public String path() {
        return path;
    }

    /** The key this value is written under, or null for a list item or the document. */
    public String key() {
        return key;
    }

    /** Where the value starts. */
    public Position position() {
        return position;
    }

    /** Where its key starts (a missing key of a map is reported here); the value's position for a list item. */
    public Position keyPosition() {
        return keyPosition;
    }

    /** How the value reads in a message: {@code string "4"}, {@code integer 4}, {@code a list}. */
    public abstract String describe();

    /** The same value under another path, e.g. a list item named by its id once that is known. */
    public abstract YamlNode withPath(String newPath);

    /** Whether the value is YAML null ({@code ~}, {@code null} or nothing after the colon). */
    public boolean isNull() {
        return false;
    }

    /** The value as plain Java: LinkedHashMap, List, String, Integer/Long/BigInteger, Double, Boolean or null. */
    public abstract Object plain();

    /** An error at this value. */
    public YamlFieldException fail(String problem) {
        return new YamlFieldException(file, position.line(), position.column(), path, problem);
    }

    /** An error at the key that holds this value. */
    public YamlFieldException failAtKey(String problem) {
        return new YamlFieldException(file, keyPosition.line(), keyPosition.column(), path, problem);
    }

    // ---- shapes ----

    /** @param expected how the message names the wanted map: {@code "a worker map with tp, ep"} */
    public YamlMap map(String expected) {
        throw fail("expected " + expected + ", got " + describe());
    }

    public YamlList list(String expected) {
        throw fail("expected " + expected + ", got " + describe());
    }

    public YamlList nonEmptyList(String expected) {
        YamlList list = list(expected);
        if (list.items().isEmpty()) {
            throw fail("expected " + expected + ", got an empty list");
        }
        return list;
    }

    // ---- scalars ----

    /** A non-empty string. */
    public String string() {
        throw fail("expected a string, got " + describe());
    }

    /** An integer that fits an int. */
    public int integer() {
        throw fail("expected an integer, got " + describe());
    }

    public int positiveInt() {
        int value = integer();
        if (value <= 0) {
            throw fail("expected a positive integer, got " + value);
        }
        return value;
    }

    public int nonNegativeInt() {
        int value = integer();
        if (value < 0) {
            throw fail("expected 0 or a positive integer, got " + value);
        }
        return value;
    }

    /** An integer or a decimal number. */
    public double number() {
        throw fail("expected a number, got " + describe());
    }

    public boolean bool() {
        throw fail("expected true or false, got " + describe());
    }

    /** A string that is one of {@code allowed}. */
    public String oneOf(List<String> allowed) {
        throw fail("expected one of: " + String.join(", ", allowed) + "; got " + describe());
    }

    /** A list of non-empty strings (possibly empty). */
    public List<String> strings() {
        if (!(this instanceof YamlList list)) {
            throw fail("expected a list of strings, got " + describe());
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : list.items()) {
            values.add(item.string());
        }
        return values;
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
