package io.sweepd.yaml;

import io.sweepd.yaml.YamlNode.Position;
import io.sweepd.yaml.YamlScalar.Kind;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one YAML document strictly into {@link YamlNode}s that keep their positions, with snakeyaml-engine's node
 * API. Duplicate keys, a second document, non-text keys and aliases ({@code *name}) are errors; an anchor
 * ({@code &name}) is allowed and ignored. Plain scalars are typed by YAML 1.1 rules as PyYAML types them (what
 * InferenceMAX's generator and Jackson's YAML parser do): {@code yes}/{@code on} are true, {@code 010} is 8,
 * {@code 1_000} is 1000, {@code 1:30} is text. Every error is a {@link YamlFieldException}.
 *
 * <p>With {@link YamlLimits} it refuses a document that is too long, too deep, or has a value or list too long, each
 * error naming line and field. Aliases never expand (any alias is an error), so a "billion laughs" document is
 * refused at its first alias.
 */
public final class Yaml {

    private Yaml() {
    }

    /**
     * @param file names the file in messages (a path, or {@code classpath:...})
     * @return the document's root; a null scalar at line 1 for an empty file (nothing but comments)
     */
    public static YamlNode read(String file, String text) {
        return read(file, text, YamlLimits.NONE);
    }

    /**
     * As {@link #read(String, String)}, refusing what goes beyond {@code limits}.
     */
    public static YamlNode read(String file, String text, YamlLimits limits) {
        // A byte-order mark would otherwise become part of the first key.
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.length() > limits.maxCodePoints()
                && body.codePointCount(0, body.length()) > limits.maxCodePoints()) {
            throw new YamlFieldException(file, 0, 0, "", "the file is " + body.codePointCount(0, body.length())
                    + " characters long; at most " + limits.maxCodePoints() + " are read");
        }
        // The whole text in one buffer: snakeyaml-engine's reader otherwise copies its window again for every 1,024
        // characters of a single token, which makes one long value quadratic (a 8 MB scalar took two minutes).
        LoadSettings settings = LoadSettings.builder().setLabel(file).setSchema(Yaml11.SCHEMA)
                .setAllowNonScalarKeys(true).setCodePointLimit(limits.maxCodePoints())
                .setBufferSize(Math.max(1024, body.length() + 1)).build();
        AliasRecorder parser = new AliasRecorder(new ParserImpl(settings, new StreamReader(settings, body)),
                file, limits.maxNestingDepth());
        Optional<Node> root;
        try {
            root = new Composer(settings, parser).getSingleNode();
        } catch (ComposerException e) {
            if ("expected a single document in the stream".equals(e.getContext())) {
                Position at = position(e.getProblemMark());
                throw new YamlFieldException(file, at.line(), at.column(), "",
                        "expected exactly one YAML document, found another one here (remove the '---' separator)");
            }
            throw syntaxError(file, e);
        } catch (MarkedYamlEngineException e) {
            throw syntaxError(file, e);
        } catch (YamlEngineException e) {
            throw new YamlFieldException(file, 0, 0, "", "YAML syntax error: " + e.getMessage());
        }
        if (root.isEmpty()) {
            return new YamlScalar(file, "", null, Position.START, null, Kind.NULL, null, "");
        }
        return new Builder(file, parser.aliases, limits).node(root.get(), "", null, null);
    }

    private static YamlFieldException syntaxError(String file, MarkedYamlEngineException e) {
        Position at = position(e.getProblemMark());
        String problem = "YAML syntax error: " + e.getProblem();
        if (e.getContext() != null) {
            problem += " (" + e.getContext() + ")";
        }
        return new YamlFieldException(file, at.line(), at.column(), "", problem);
    }

    private static Position position(Optional<Mark> mark) {
        return mark.map(m -> new Position(m.getLine() + 1, m.getColumn() + 1)).orElse(new Position(0, 0));
    }

    /** The tags the YAML 1.1 core schema resolves plain values to: the only ones a sweep's nodes may carry. */
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
            Tag.SEQ);

    /** snakeyaml-engine's nodes to ours, checking keys and tags and refusing aliases on the way. */
    private static final class Builder {
        private final String file;
        private final List<AliasEvent> aliases;
        private final YamlLimits limits;
        /** The composer hands an alias back as the very node it names: a node met twice was reached by an alias. */
        private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        Builder(String file, List<AliasEvent> aliases, YamlLimits limits) {
            this.file = file;
            this.aliases = aliases;
            this.limits = limits;
        }

        YamlNode node(Node node, String path, String key, Position keyAt) {
            Position at = position(node.getStartMark());
            if (!seen.add(node)) {
                // Nodes are met in document order, so the first one met twice is the first alias written.
                AliasEvent alias = aliases.get(0);
                Position aliasAt = position(alias.getStartMark());
                throw new YamlFieldException(file, aliasAt.line(), aliasAt.column(), path, "YAML aliases (*"
                        + alias.getAlias().getValue() + ") are not supported; write the value out in full");
            }
            if (!PLAIN_TAGS.contains(node.getTag())) {
                // A sweep never needs a tag; one like !!binary, !!python/... or !shell only hides what a value is.
                throw new YamlFieldException(file, at.line(), at.column(), path, "YAML tags (" + node.getTag()
                        .getValue().replace("tag:yaml.org,2002:", "!!") + ") are not supported; write the plain value");
            }
            if (node instanceof MappingNode mapping) {
                Map<String, YamlNode> fields = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    String name = key(tuple.getKeyNode(), path);
                    Position nameAt = position(tuple.getKeyNode().getStartMark());
                    String childPath = YamlNode.child(path, name);
                    YamlNode earlier = fields.get(name);
                    if (earlier != null) {
                        // Most YAML readers let the second value silently replace the first.
                        throw new YamlFieldException(file, nameAt.line(), nameAt.column(), childPath, "duplicate key '"
                                + name + "' (first given at line " + earlier.keyPosition().line() + ")");
                    }
                    fields.put(name, node(tuple.getValueNode(), childPath, name, nameAt));
                }
                return new YamlMap(file, path, key, at, keyAt, fields);
            }
            if (node instanceof SequenceNode sequence) {
                if (sequence.getValue().size() > limits.maxListItems()) {
                    throw new YamlFieldException(file, at.line(), at.column(), path, "the list has "
                            + sequence.getValue().size() + " items; at most " + limits.maxListItems()
                            + " are allowed in one list");
                }
                List<YamlNode> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(node(item, YamlNode.item(path, items.size()), null, null));
                }
                return new YamlList(file, path, key, at, keyAt, items);
            }
            ScalarNode scalar = (ScalarNode) node;
            checkLength(scalar, path);
            return Yaml11.scalar(file, path, key, at, keyAt, scalar);
        }

        private void checkLength(ScalarNode scalar, String path) {
            int length = scalar.getValue().length();
            if (length > limits.maxScalarChars()) {
                Position at = position(scalar.getStartMark());
                throw new YamlFieldException(file, at.line(), at.column(), path, "the value is " + length
                        + " characters long; at most " + limits.maxScalarChars() + " are allowed in one value");
            }
        }

        private String key(Node key, String path) {
            if (key instanceof ScalarNode scalar && seen.add(key)) {
                checkLength(scalar, path);
                return scalar.getValue();
            }
            node(key, path, null, null);  // reports an alias
            Position at = position(key.getStartMark());
            throw new YamlFieldException(file, at.line(), at.column(), path,
                    "a key must be text, found " + (key instanceof SequenceNode ? "a list" : "a map"));
        }
    }

    /**
     * Passes the parser's events on, keeping the aliases (the composer resolves them without a trace) and counting
     * how deep maps and lists nest: the composer recurses once per level, so a document of 100,000 '[' would
     * otherwise end in a StackOverflowError rather than a message.
     */
    private static final class AliasRecorder implements Parser {
        private final Parser parser;
        private final String file;
        private final int maxDepth;
        private int depth;
        final List<AliasEvent> aliases = new ArrayList<>();

        AliasRecorder(Parser parser, String file, int maxDepth) {
            this.parser = parser;
            this.file = file;
            this.maxDepth = maxDepth;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            if (event instanceof AliasEvent alias) {
                aliases.add(alias);
            } else if (event.getEventId() == Event.ID.MappingStart || event.getEventId() == Event.ID.SequenceStart) {
                if (++depth > maxDepth) {
                    Position at = position(event.getStartMark());
                    throw new YamlFieldException(file, at.line(), at.column(), "", "maps and lists nest more than "
                            + maxDepth + " levels deep here; a sweep needs far fewer");
                }
            } else if (event.getEventId() == Event.ID.MappingEnd || event.getEventId() == Event.ID.SequenceEnd) {
                depth--;
            }
            return event;
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }
    }

    /**
     * YAML 1.1's implicit types, with SnakeYAML's patterns (what PyYAML and Jackson's YAML parser apply), and how
     * a typed scalar becomes a value. Quoted scalars are strings.
     */
    private static final class Yaml11 implements ScalarResolver {
        private static final Pattern BOOL = Pattern.compile(
                "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
        private static final Pattern INT = Pattern.compile("[-+]?0b_*[0-1][0-1_]*|[-+]?0_*[0-7][0-7_]*"
                + "|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
        private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                + "|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
                + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
        private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
        private static final Set<String> TRUE = Set.of("y", "yes", "true", "on");
        private static final Set<String> FALSE = Set.of("n", "no", "false", "off");

        static final org.snakeyaml.engine.v2.schema.Schema SCHEMA = new org.snakeyaml.engine.v2.schema.Schema() {
            private final Yaml11 resolver = new Yaml11();

            @Override
            public ScalarResolver getScalarResolver() {
                return resolver;
            }

            @Override
            public Map<Tag, ConstructNode> getSchemaTagConstructors() {
                return Map.of();
            }
        };

        @Override
        public Tag resolve(String value, Boolean implicit) {
            if (!implicit) {
                return Tag.STR;
            }
            if (BOOL.matcher(value).matches()) {
                return Tag.BOOL;
            }
            if (INT.matcher(value).matches()) {
                return Tag.INT;
            }
            if (FLOAT.matcher(value).matches()) {
                return Tag.FLOAT;
            }
            return NULL.matcher(value).matches() ? Tag.NULL : Tag.STR;
        }

        /** The value a typed scalar stands for; one explicitly tagged ({@code !!int}) that does not read so is text. */
        static YamlScalar scalar(String file, String path, String key, Position at, Position keyAt, ScalarNode node) {
            String text = node.getValue();
            Tag tag = node.getTag();
            String word = text.toLowerCase(Locale.ROOT);
            Number integer = tag.equals(Tag.INT) ? integer(text) : null;
            Double decimal = tag.equals(Tag.FLOAT) ? decimal(text) : null;
            if (tag.equals(Tag.NULL)) {
                return new YamlScalar(file, path, key, at, keyAt, Kind.NULL, null, text);
            }
            if (tag.equals(Tag.BOOL) && (TRUE.contains(word) || FALSE.contains(word))) {
                return new YamlScalar(file, path, key, at, keyAt, Kind.BOOLEAN, TRUE.contains(word), text);
            }
            if (integer != null || decimal != null) {
                return new YamlScalar(file, path, key, at, keyAt, integer != null ? Kind.INTEGER : Kind.FLOAT,
                        integer != null ? integer : decimal, text);
            }
            return new YamlScalar(file, path, key, at, keyAt, Kind.STRING, text, text);
        }

        /** Integer if it fits, else Long, else BigInteger; null for what is not an integer (base 60: text). */
        private static Number integer(String text) {
            String digits = text.replace("_", "");
            boolean negative = digits.startsWith("-");
            if (negative || digits.startsWith("+")) {
                digits = digits.substring(1);
            }
            int radix = 10;
            if (digits.startsWith("0b") || digits.startsWith("0x")) {
                radix = digits.charAt(1) == 'b' ? 2 : 16;
                digits = digits.substring(2);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                radix = 8;
            }
            BigInteger value;
            try {
                value = new BigInteger(digits, radix);
            } catch (NumberFormatException e) {
                return null;
            }
            value = negative ? value.negate() : value;
            if (value.bitLength() < 32) {
                return value.intValue();
            }
            return value.bitLength() < 64 ? (Number) value.longValue() : value;
        }

        private static Double decimal(String text) {
            String clean = text.replace("_", "");
            String lower = clean.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".inf")) {
                return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (lower.equals(".nan")) {
                return Double.NaN;
            }
            try {
                return Double.valueOf(clean);
            } catch (NumberFormatException e) {
                return null;  // base 60
            }
        }
    }
}
