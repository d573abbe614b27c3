package io.sweepd.workarounds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus the line every key and list item starts on. Jackson's trees forget
 * where a node came from, and a strict loader has to name the line of the field it rejects, so the tree is
 * built here from the token stream. Paths look like {@code [2].do.set-args.roles[0]}.
 */
final class LocatedYaml {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();
    private final JsonNode root;

    private LocatedYaml(String source, String text) {
        this.source = source;
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                root = MissingNode.getInstance();
                return;
            }
            lines.put("", parser.currentTokenLocation().getLineNr());
            root = read(parser, "");
            if (parser.nextToken() != null) {
                throw new WorkaroundFormatException(source, parser.currentTokenLocation().getLineNr(), null,
                        "a workaround file holds one YAML document; remove the second '---'");
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new WorkaroundFormatException(source, line, null, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WorkaroundFormatException(source, 0, null, "cannot be read: " + e.getMessage());
        }
    }

    /** @throws WorkaroundFormatException for YAML syntax errors and repeated keys */
    static LocatedYaml parse(String source, String text) {
        return new LocatedYaml(source, text);
    }

    /** The document's root, {@link MissingNode} for an empty file. */
    JsonNode root() {
        return root;
    }

    /** The line the key or item at this path starts on; the nearest enclosing one when unknown; 0 at worst. */
    int line(String path) {
        String current = path;
        while (true) {
            Integer line = lines.get(current);
            if (line != null) {
                return line;
            }
            if (current.isEmpty()) {
                return 0;
            }
            int cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
            current = cut <= 0 ? "" : current.substring(0, cut);
        }
    }

    private JsonNode read(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    int line = parser.currentTokenLocation().getLineNr();
                    if (object.has(key)) {
                        // Strict: YAML parsers disagree on repeated keys, and one of the two values is a mistake.
                        throw new WorkaroundFormatException(source, line, child,
                                "repeated key '" + key + "' (first at line " + lines.get(child) + ")");
                    }
                    lines.put(child, line);
                    parser.nextToken();
                    object.set(key, read(parser, child));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String child = path + "[" + index++ + "]";
                    lines.put(child, parser.currentTokenLocation().getLineNr());
                    array.add(read(parser, child));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new WorkaroundFormatException(source, parser.currentTokenLocation().getLineNr(), path,
                    "unsupported YAML value (" + token + ")");
        }
    }
}
