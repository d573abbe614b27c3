package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${expression}} placeholders in the values a rule sets ({@code set-args}, {@code set-env}), filled from the
 * point the rule applies to ({@link PointExpression}): {@code max-num-seqs: "${conc}"} gives each concurrency its
 * own value, as InferenceMAX's scripts size their servers by {@code $CONC}. A string that is one placeholder
 * becomes the number; placeholders inside a longer string are replaced by their digits; strings inside maps and
 * lists are filled too. A value without placeholders is used as it is.
 *
 * <p>A list element {@code "${seq(first, step, last)}"} becomes the numbers bash's {@code seq first step last}
 * prints (none when last &lt; first), for the CUDA-graph capture lists the scripts build that way.
 */
final class PointTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^{}]*)}");
    private static final Pattern SEQ = Pattern.compile("\\$\\{\\s*seq\\s*\\((.*)\\)\\s*}");
    /** More numbers than any capture list needs: a bad step must not build a list that fills the heap. */
    private static final int MAX_SEQ = 4096;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PointTemplate() {
    }

    static boolean hasPlaceholders(String text) {
        return PLACEHOLDER.matcher(text).find();
    }

    /** Whether the value holds a placeholder anywhere. */
    static boolean hasPlaceholders(JsonNode value) {
        if (value.isTextual()) {
            return hasPlaceholders(value.textValue());
        }
        for (JsonNode child : value) {
            if (hasPlaceholders(child)) {
                return true;
            }
        }
        return false;
    }

    /** The first placeholder that does not parse, with the reason; empty when all do. */
    static Optional<String> problem(JsonNode value) {
        if (value.isArray()) {
            for (JsonNode element : value) {
                Matcher seq = element.isTextual() ? SEQ.matcher(element.textValue()) : null;
                Optional<String> problem = seq != null && seq.matches() ? seqProblem(element.textValue(), seq.group(1))
                        : problem(element);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        if (value.isTextual()) {
            Matcher matcher = PLACEHOLDER.matcher(value.textValue());
            while (matcher.find()) {
                try {
                    PointExpression.parse(matcher.group(1));
                } catch (IllegalArgumentException e) {
                    return Optional.of("placeholder " + matcher.group() + ": " + e.getMessage());
                }
            }
            return Optional.empty();
        }
        for (JsonNode child : value) {
            Optional<String> problem = problem(child);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * The value with its placeholders filled; the value itself when it has none.
     *
     * @throws ArithmeticException on a division by zero
     */
    static JsonNode fill(JsonNode value, Map<String, Long> variables) {
        if (!hasPlaceholders(value)) {
            return value;
        }
        if (value.isTextual()) {
            String text = value.textValue();
            Matcher whole = PLACEHOLDER.matcher(text);
            if (whole.matches()) {
                long number = PointExpression.parse(whole.group(1)).evaluate(variables);
                // An int where it fits, as YAML reads a literal, so an unchanged value compares equal.
                return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
            }
            return NODES.textNode(fill(text, variables));
        }
        if (value instanceof ObjectNode map) {
            ObjectNode out = NODES.objectNode();
            map.properties().forEach(e -> out.set(e.getKey(), fill(e.getValue(), variables)));
            return out;
        }
        ArrayNode out = NODES.arrayNode();
        for (JsonNode element : value) {
            Matcher seq = element.isTextual() ? SEQ.matcher(element.textValue()) : null;
            if (seq != null && seq.matches()) {
                List<PointExpression> args = seqArgs(seq.group(1));
                long first = args.get(0).evaluate(variables);
                long step = args.get(1).evaluate(variables);
                long last = args.get(2).evaluate(variables);
                if (step <= 0 || (last >= first && (last - first) / step >= MAX_SEQ)) {
                    throw new IllegalArgumentException(element.textValue() + " is seq " + first + " " + step + " "
                            + last + ": the step must be positive and the list at most " + MAX_SEQ + " long");
                }
                for (long n = first; n <= last; n += step) {
                    out.add(n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n));
                }
            } else {
                out.add(fill(element, variables));
            }
        }
        return out;
    }

    private static Optional<String> seqProblem(String element, String args) {
        try {
            seqArgs(args);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("list element " + element + ": " + e.getMessage());
        }
    }

    /** The three expressions of {@code seq(first, step, last)}, split at the commas outside parentheses. */
    private static List<PointExpression> seqArgs(String args) {
        List<PointExpression> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(PointExpression.parse(args.substring(start, i)));
                start = i + 1;
            }
        }
        out.add(PointExpression.parse(args.substring(start)));
        if (out.size() != 3) {
            throw new IllegalArgumentException("seq takes three arguments (first, step, last), found " + out.size());
        }
        return out;
    }

    /** A string with every placeholder replaced by its value's digits. */
    static String fill(String text, Map<String, Long> variables) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            long number = PointExpression.parse(matcher.group(1)).evaluate(variables);
            matcher.appendReplacement(out, Long.toString(number));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
