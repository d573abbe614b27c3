package io.sweepd.yaml;

import java.util.List;

/** A string, number, boolean or null, typed by YAML 1.1 rules (as PyYAML reads them: {@code yes} is true). */
public final class YamlScalar extends YamlNode {

    public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    private final Kind kind;
    private final Object value;
    private final String text;

    /**
     * @param value String, Integer (Long or BigInteger when larger), Double, Boolean, or null
     * @param text  the scalar as written, for messages
     */
    YamlScalar(String file, String path, String key, Position position, Position keyPosition, Kind kind,
               Object value, String text) {
        super(file, path, key, position, keyPosition);
        this.kind = kind;
        this.value = value;
        this.text = text;
    }

    public Kind kind() {
        return kind;
    }

    /** The text as written (without quotes). */
    public String text() {
        return text;
    }

    @Override
    public Object plain() {
        return value;
    }

    @Override
    public boolean isNull() {
        return kind == Kind.NULL;
    }

    @Override
    public String describe() {
        return switch (kind) {
            case STRING -> "string \"" + text + "\"";
            case INTEGER -> "integer " + text;
            case FLOAT -> "number " + text;
            case BOOLEAN -> "boolean " + text;
            case NULL -> "an empty value";
        };
    }

    @Override
    public YamlScalar withPath(String newPath) {
        return new YamlScalar(file(), newPath, key(), position(), keyPosition(), kind, value, text);
    }

    @Override
    public String string() {
        if (kind == Kind.STRING) {
            if (text.isBlank()) {
                throw fail("expected a non-empty string");
            }
            return text;
        }
        throw fail("expected a string, got " + describe()
                + (kind == Kind.NULL ? "" : " (put it in quotes if it is meant as text)"));
    }

    @Override
    public int integer() {
        if (kind == Kind.INTEGER && !(value instanceof Integer)) {
            throw fail("expected an integer no larger than " + Integer.MAX_VALUE + ", got " + text);
        }
        return kind == Kind.INTEGER ? (Integer) value : super.integer();
    }

    @Override
    public double number() {
        return kind == Kind.INTEGER || kind == Kind.FLOAT ? ((Number) value).doubleValue() : super.number();
    }

    @Override
    public boolean bool() {
        return kind == Kind.BOOLEAN ? (Boolean) value : super.bool();
    }

    @Override
    public String oneOf(List<String> allowed) {
        if (kind != Kind.STRING) {
            return super.oneOf(allowed);
        }
        if (!allowed.contains(text)) {
            throw fail("expected one of: " + String.join(", ", allowed) + "; got \"" + text + "\"");
        }
        return text;
    }
}
