package io.sweepd.recipes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which variant(s) of an srt-slurm override recipe a reference picks: the part after the last {@code :} in
 * {@code CONFIG_FILE=recipes/x.yaml:<selector>}, which InferenceMAX's launchers hand unchanged to
 * {@code srtctl apply -f}. The forms are srtctl's (docs/overrides.md, "Selector Syntax"):
 * <ul>
 *   <li>{@code base}: the base section alone</li>
 *   <li>{@code override_<name>}: one override section merged onto base</li>
 *   <li>{@code zip_override_<name>}: every variant of a zip section</li>
 *   <li>{@code zip_override_<name>[i]}: the i-th (0-based) variant of a zip section</li>
 *   <li>anything with {@code *} or {@code ?}: a shell glob over the override and zip section names
 *       ({@code base} never matches)</li>
 * </ul>
 * Anything else is refused, as srtctl refuses it.
 */
public sealed interface RecipeSelector {

    // srtctl's own patterns; \w and \S are Unicode-aware in Python 3, so they are here too.
    Pattern ZIP_VARIANT = Pattern.compile("(zip_override_[\\w-]+)\\[(\\d+)]", Pattern.UNICODE_CHARACTER_CLASS);
    Pattern ZIP_GROUP = Pattern.compile("zip_override_[\\w-]+", Pattern.UNICODE_CHARACTER_CLASS);
    Pattern OVERRIDE = Pattern.compile("override_\\S+", Pattern.UNICODE_CHARACTER_CLASS);

    String OVERRIDE_PREFIX = "override_";
    String ZIP_PREFIX = "zip_override_";

    /** The selector as srtctl's {@code -f file:selector} spells it. */
    String text();

    record Base() implements RecipeSelector {
        @Override
        public String text() {
            return "base";
        }
    }

    /** @param key the whole section key, {@code override_<name>} */
    record OverrideSection(String key) implements RecipeSelector {
        @Override
        public String text() {
            return key;
        }
    }

    /** @param key the whole section key, {@code zip_override_<name>} */
    record ZipGroup(String key) implements RecipeSelector {
        @Override
        public String text() {
            return key;
        }
    }

    /** @param key the whole section key; @param index 0-based */
    record ZipVariant(String key, int index) implements RecipeSelector {
        @Override
        public String text() {
            return key + "[" + index + "]";
        }
    }

    record Glob(String pattern) implements RecipeSelector {
        @Override
        public String text() {
            return pattern;
        }
    }

    /** Parses the text after the colon, in srtctl's order of precedence. */
    static RecipeSelector parse(String text) {
        Matcher variant = ZIP_VARIANT.matcher(text);
        if (variant.matches()) {
            return new ZipVariant(variant.group(1), index(variant.group(2)));
        }
        if (text.equals("base")) {
            return new Base();
        }
        if (text.contains("*") || text.contains("?")) {
            return new Glob(text);
        }
        if (ZIP_GROUP.matcher(text).matches()) {
            return new ZipGroup(text);
        }
        if (OVERRIDE.matcher(text).matches()) {
            return new OverrideSection(text);
        }
        throw new RecipeSelectorException("'" + text + "' is not a recipe selector; srt-slurm accepts base,"
                + " override_<name>, zip_override_<name>, zip_override_<name>[i] or a glob such as *mtp*");
    }

    private static int index(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLarge) {
            return Integer.MAX_VALUE; // no recipe has that many variants: reported as out of range
        }
    }
}
