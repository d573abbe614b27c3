package io.sweepd.workarounds;

/**
 * One workaround: when it applies, what it does to a point, and why.
 *
 * @param id   kebab-case, unique in a catalog; what plans, reports and {@link WorkaroundCatalog#without} use
 * @param when the conditions; {@link RuleConditions#ANY} when the file gives none
 * @param does the file's {@code do:}
 * @param why  the failure the rule prevents, for the person reading a plan
 * @param ref  where the fix comes from (a PR, an issue), or null
 * @param file the file the rule was read from, for messages
 * @param line the line its {@code - id:} item starts on, 0 when not read from a file
 */
public record WorkaroundRule(
        String id, RuleConditions when, RuleActions does, String why, String ref, String file, int line) {

    /** {@code file:line}, as messages print it. */
    public String source() {
        return line > 0 ? file + ":" + line : String.valueOf(file);
    }
}
