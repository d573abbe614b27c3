package io.sweepd.workarounds;

import io.sweepd.matrix.MatrixPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Whole-number arithmetic over a single-node point, for the settings InferenceMAX's benchmark scripts compute in
 * bash from the point ({@code $(( CONC * 3 / 2 ))}, {@code MAX_MODEL_LEN > 8192 ? MAX_MODEL_LEN : 8192}): a rule's
 * {@code when.if} and the {@code ${...}} placeholders of its values ({@link PointTemplate}).
 *
 * <p>Variables: {@code conc}, {@code isl}, {@code osl}, {@code tp}, {@code ep}, {@code dp_attn} (1 or 0) and
 * {@code max_model_len}, the matrix's values, as InferenceMAX's workflow hands them to the scripts (CONC, ISL,
 * OSL, TP, EP_SIZE, DP_ATTENTION, MAX_MODEL_LEN). Operators, with bash's precedence and integer division:
 * {@code ?:}, {@code ||}, {@code &&}, {@code == !=}, {@code < <= > >=}, {@code + -}, {@code * / %}, unary
 * {@code - !}, parentheses, and {@code min(a, b)}, {@code max(a, b)}. A comparison is 1 or 0; a condition holds
 * when it is not 0.
 */
public final class PointExpression {

    /** The names an expression may use. */
    public static final Set<String> VARIABLES = Set.of("conc", "isl", "osl", "tp", "ep", "dp_attn", "max_model_len");

    private final String text;
    private final Node root;

    private PointExpression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** @throws IllegalArgumentException naming what is wrong and where */
    public static PointExpression parse(String text) {
        Parser parser = new Parser(text);
        Node root = parser.ternary();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.pos) + "'");
        }
        return new PointExpression(text, root);
    }

    /** The values of {@link #VARIABLES} for a single-node point. */
    public static Map<String, Long> variables(MatrixPoint point) {
        if (point.multinode()) {
            throw new IllegalArgumentException("a multinode point has no single concurrency or tp");
        }
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("conc", (long) point.singleConc());
        values.put("isl", (long) point.isl());
        values.put("osl", (long) point.osl());
        values.put("tp", (long) (point.tp() == null ? 1 : point.tp()));
        values.put("ep", (long) (point.ep() == null ? 1 : point.ep()));
        values.put("dp_attn", Boolean.TRUE.equals(point.dpAttn()) ? 1L : 0L);
        values.put("max_model_len", (long) point.maxModelLen());
        return values;
    }

    /** @throws ArithmeticException on a division by zero */
    public long evaluate(Map<String, Long> values) {
        return root.eval(values);
    }

    public boolean holdsFor(MatrixPoint point) {
        return evaluate(variables(point)) != 0;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PointExpression e && e.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private interface Node {
        long eval(Map<String, Long> values);
    }

    /** Recursive descent, one method per precedence level, lowest first. */
    private static final class Parser {

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Node ternary() {
            Node condition = or();
            if (!take("?")) {
                return condition;
            }
            Node then = ternary();
            expect(":");
            Node otherwise = ternary();
            return v -> condition.eval(v) != 0 ? then.eval(v) : otherwise.eval(v);
        }

        Node or() {
            return level(this::and, op("||", (l, r) -> v -> l.eval(v) != 0 || r.eval(v) != 0 ? 1 : 0));
        }

        Node and() {
            return level(this::equality, op("&&", (l, r) -> v -> l.eval(v) != 0 && r.eval(v) != 0 ? 1 : 0));
        }

        Node equality() {
            return level(this::comparison,
                    op("==", (l, r) -> v -> l.eval(v) == r.eval(v) ? 1 : 0),
                    op("!=", (l, r) -> v -> l.eval(v) != r.eval(v) ? 1 : 0));
        }

        Node comparison() {
            // Longer tokens first, so "<" never takes the first character of "<=".
            return level(this::sum,
                    op("<=", (l, r) -> v -> l.eval(v) <= r.eval(v) ? 1 : 0),
                    op(">=", (l, r) -> v -> l.eval(v) >= r.eval(v) ? 1 : 0),
                    op("<", (l, r) -> v -> l.eval(v) < r.eval(v) ? 1 : 0),
                    op(">", (l, r) -> v -> l.eval(v) > r.eval(v) ? 1 : 0));
        }

        Node sum() {
            return level(this::product,
                    op("+", (l, r) -> v -> l.eval(v) + r.eval(v)),
                    op("-", (l, r) -> v -> l.eval(v) - r.eval(v)));
        }

        Node product() {
            return level(this::unary,
                    op("*", (l, r) -> v -> l.eval(v) * r.eval(v)),
                    op("/", (l, r) -> v -> l.eval(v) / r.eval(v)), // truncates, as bash does
                    op("%", (l, r) -> v -> l.eval(v) % r.eval(v)));
        }

        /** One left-associative precedence level: operands from {@code next}, joined by any of {@code ops}. */
        @SafeVarargs
        private Node level(Supplier<Node> next, Map.Entry<String, BinaryOperator<Node>>... ops) {
            Node left = next.get();
            while (true) {
                Map.Entry<String, BinaryOperator<Node>> found = null;
                for (Map.Entry<String, BinaryOperator<Node>> op : ops) {
                    if (take(op.getKey())) {
                        found = op;
                        break;
                    }
                }
                if (found == null) {
                    return left;
                }
                left = found.getValue().apply(left, next.get());
            }
        }

        private static Map.Entry<String, BinaryOperator<Node>> op(String token, BinaryOperator<Node> combine) {
            return Map.entry(token, combine);
        }

        Node unary() {
            if (take("-")) {
                Node operand = unary();
                return v -> -operand.eval(v);
            }
            if (peek("!") && !peek("!=")) {
                take("!");
                Node operand = unary();
                return v -> operand.eval(v) == 0 ? 1 : 0;
            }
            return primary();
        }

        Node primary() {
            skipSpace();
            if (take("(")) {
                Node inner = ternary();
                expect(")");
                return inner;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                long value;
                try {
                    value = Long.parseLong(text.substring(start, pos));
                } catch (NumberFormatException e) {
                    throw error("number " + text.substring(start, pos) + " is too large");
                }
                return v -> value;
            }
            if (pos < text.length() && isNameStart(text.charAt(pos))) {
                int start = pos;
                while (pos < text.length() && (isNameStart(text.charAt(pos)) || Character.isDigit(text.charAt(pos)))) {
                    pos++;
                }
                String name = text.substring(start, pos);
                if (take("(")) {
                    return function(name, start);
                }
                if (!VARIABLES.contains(name)) {
                    pos = start;
                    throw error("unknown variable '" + name + "'; known: " + String.join(", ", sorted()));
                }
                return v -> v.get(name);
            }
            throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "expression ends too early");
        }

        private Node function(String name, int start) {
            List<Node> args = new ArrayList<>();
            args.add(ternary());
            while (take(",")) {
                args.add(ternary());
            }
            expect(")");
            if (args.size() != 2 || !(name.equals("min") || name.equals("max"))) {
                pos = start;
                throw error("unknown function '" + name + "' with " + args.size()
                        + " arguments; known: min(a, b), max(a, b)");
            }
            Node a = args.get(0);
            Node b = args.get(1);
            return name.equals("min") ? v -> Math.min(a.eval(v), b.eval(v)) : v -> Math.max(a.eval(v), b.eval(v));
        }

        private static boolean isNameStart(char c) {
            return (c >= 'a' && c <= 'z') || c == '_';
        }

        private static List<String> sorted() {
            return VARIABLES.stream().sorted().toList();
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(String token) {
            skipSpace();
            return text.startsWith(token, pos);
        }

        private boolean take(String token) {
            if (!peek(token)) {
                return false;
            }
            pos += token.length();
            return true;
        }

        private void expect(String token) {
            if (!take(token)) {
                throw error("expected '" + token + "'");
            }
        }

        IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "%s at character %d of \"%s\"",
                    problem, pos + 1, text));
        }
    }
}
