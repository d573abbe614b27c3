package io.sweepd.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into maps, lists and scalars that remember where they stand in the file.
 * Jackson's tree model forgets positions, and every sweep-file error must name a line, so the
 * streaming parser builds this small tree instead.
 */
final class YamlTree {

    // The constructor, not YAMLFactory.builder(): the builder in 2.20 starts without the default YAML parser
    // features, and an empty value ("osl:") would then read as the string "" instead of null.
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /** 1-based line and column in the file. */
    record Position(int line, int column) {
        static final Position START = new Position(1, 1);

        static Position of(JsonLocation location) {
            return new Position(Math.max(location.getLineNr(), 1), Math.max(location.getColumnNr(), 1));
        }
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        /** Where the value itself starts. */
        Position position();

        /** How the value reads in a message: {@code string "4"}, {@code integer 4}, {@code a list}. */
        String describe();
    }

    /** A map key with its own position and its value. */
    record Field(String key, Position keyPosition, Node value) {
    }

    /**
     * @param owner where a "missing key" error points: the key this map is the value of, or the map's
     *              own start for a list item or the document root
     */
    record MapNode(Position position, Position owner, Map<String, Field> fields) implements Node {
        MapNode {
            fields = Collections.unmodifiableMap(fields);
        }

        Field get(String key) {
            return fields.get(key);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListNode(Position position, List<Node> items) implements Node {
        ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * @param value String, Number (Integer when it fits), Boolean, or null
     * @param text  the scalar as the parser reports it, for messages
     */
    record ScalarNode(Position position, ScalarKind kind, Object value, String text) implements Node {
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
    }

    /**
     * Reads the single YAML document in {@code text}; returns null when the file holds no document
     * (empty or only comments).
     */
    static Node read(String text, String fileName) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Node root = readValue(parser, fileName, "", null);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                Position at = Position.of(parser.currentTokenLocation());
                throw new SweepFormatException(fileName, at.line(), at.column(), "",
                        "a sweep file holds exactly one YAML document, found another one here (remove the '---' separator)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, fileName);
        } catch (IOException e) {
            throw new SweepFormatException(fileName, 0, 0, "", "cannot read the YAML: " + e.getMessage());
        }
    }

    /** Reads the value whose first token is the parser's current token. */
    private static Node readValue(JsonParser parser, String fileName, String path, Position owner) throws IOException {
        JsonToken token = parser.currentToken();
        Position at = Position.of(parser.currentTokenLocation());
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new SweepFormatException(fileName, at.line(), at.column(), path,
                    "YAML aliases (*" + parser.getText() + ") are not supported; write the value out in full");
        }
        return switch (token) {
            case START_OBJECT -> readMap(parser, fileName, path, at, owner == null ? at : owner);
            case START_ARRAY -> readList(parser, fileName, path, at);
            case VALUE_STRING -> new ScalarNode(at, ScalarKind.STRING, parser.getText(), parser.getText());
            case VALUE_NUMBER_INT -> new ScalarNode(at, ScalarKind.INTEGER, integerValue(parser), parser.getText());
            case VALUE_NUMBER_FLOAT -> new ScalarNode(at, ScalarKind.FLOAT, parser.getDoubleValue(), parser.getText());
            case VALUE_TRUE -> new ScalarNode(at, ScalarKind.BOOLEAN, Boolean.TRUE, parser.getText());
            case VALUE_FALSE -> new ScalarNode(at, ScalarKind.BOOLEAN, Boolean.FALSE, parser.getText());
            case VALUE_NULL -> new ScalarNode(at, ScalarKind.NULL, null, "");
            default -> throw new SweepFormatException(fileName, at.line(), at.column(), path,
                    "unsupported YAML value (" + token + "); expected a map, a list, a string, a number or a boolean");
        };
    }

    private static Number integerValue(JsonParser parser) throws IOException {
        return parser.getNumberType() == JsonParser.NumberType.INT ? Integer.valueOf(parser.getIntValue())
                : parser.getNumberValue();
    }

    private static MapNode readMap(JsonParser parser, String fileName, String path, Position at, Position owner)
            throws IOException {
        Map<String, Field> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Position keyAt = Position.of(parser.currentTokenLocation());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            Field earlier = fields.get(key);
            if (earlier != null) {
                // A duplicate key would silently replace the first value in most YAML readers.
                throw new SweepFormatException(fileName, keyAt.line(), keyAt.column(), keyPath,
                        "duplicate key '" + key + "' (first given at line " + earlier.keyPosition().line() + ")");
            }
            parser.nextToken();
            fields.put(key, new Field(key, keyAt, readValue(parser, fileName, keyPath, keyAt)));
        }
        return new MapNode(at, owner, fields);
    }

    private static ListNode readList(JsonParser parser, String fileName, String path, Position at) throws IOException {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser, fileName, path + "[" + items.size() + "]", null));
        }
        return new ListNode(at, items);
    }

    /** Turns the parser's complaint into a SweepFormatException at the position the YAML scanner reports. */
    private static SweepFormatException syntaxError(JsonProcessingException e, String fileName) {
        if (e.getCause() instanceof MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            String problem = "YAML syntax error: " + marked.getProblem();
            if (marked.getContext() != null) {
                problem += " (" + marked.getContext() + ")";
            }
            return new SweepFormatException(fileName, marked.getProblemMark().getLine() + 1,
                    marked.getProblemMark().getColumn() + 1, "", problem);
        }
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : Math.max(location.getLineNr(), 0);
        int column = location == null ? 0 : Math.max(location.getColumnNr(), 0);
        return new SweepFormatException(fileName, line, column, "", "YAML syntax error: " + e.getOriginalMessage());
    }
}
