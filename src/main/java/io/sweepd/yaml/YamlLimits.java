package io.sweepd.yaml;

/**
 * How much of a YAML document {@link Yaml#read(String, String, YamlLimits)} takes before it refuses the file. A
 * file a person dropped is untrusted input: without bounds one 50 MB value or a list of 100,000 items holds the
 * reader (and everything queued behind it) for minutes.
 *
 * @param maxCodePoints   the whole document; snakeyaml-engine stops reading past it
 * @param maxScalarChars  one value (or key)
 * @param maxListItems    one list
 * @param maxNestingDepth maps and lists inside each other; checked while parsing, before the tree is built
 */
public record YamlLimits(int maxCodePoints, int maxScalarChars, int maxListItems, int maxNestingDepth) {

    /** For files sweepd ships or an operator configures (profiles, rules): as large as Java allows. */
    public static final YamlLimits NONE = new YamlLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE);

    public YamlLimits {
        if (maxCodePoints < 1 || maxScalarChars < 1 || maxListItems < 1 || maxNestingDepth < 1) {
            throw new IllegalArgumentException("YAML limits must be positive: " + maxCodePoints + ", "
                    + maxScalarChars + ", " + maxListItems + ", " + maxNestingDepth);
        }
    }
}
