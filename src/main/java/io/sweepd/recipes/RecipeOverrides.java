package io.sweepd.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.files.Fnmatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.sweepd.recipes.RecipeSelector.OVERRIDE_PREFIX;
import static io.sweepd.recipes.RecipeSelector.ZIP_PREFIX;

/**
 * Expands an srt-slurm override recipe (a file with a top-level {@code base:}) into its concrete
 * configurations, with srtctl's rules (srt-slurm docs/overrides.md):
 * <ul>
 *   <li>{@code override_<name>}: one variant, the section deep-merged onto base (see {@link #deepMerge}).
 *       Its {@code name} is the section's own when the section has a {@code name} key, else
 *       {@code <base name>_<name>}.</li>
 *   <li>{@code zip_override_<name>}: N variants. Every list in the section (at any depth of mappings) is a
 *       zip dimension: variant i takes element i; a one-element list is broadcast to all; a list of lists
 *       gives each variant a literal list; scalars apply to all. All lists longer than one must have the same
 *       length N. Variant i is base deep-merged with that slice; its {@code name} is taken from the section
 *       only when the section gives a list of names, else {@code <base name>_<name>_<i>}.</li>
 *   <li>Without a selector: every override variant, then every zip variant, each family in key order; never
 *       base.</li>
 * </ul>
 * A base without {@code name} counts as "unnamed", as in srtctl.
 */
public final class RecipeOverrides {

    /** The top-level key that makes a recipe an override recipe (srtctl's test, too). */
    public static final String BASE_KEY = "base";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecipeOverrides() {
    }

    public static boolean isOverrideRecipe(ObjectNode recipe) {
        return recipe.has(BASE_KEY);
    }

    /**
     * srtctl's merge: a mapping merges key by key, recursively; a list or scalar replaces the base value
     * (lists are never appended); {@code null} deletes the key. Keys keep base's order, new keys come last.
     * Neither argument is modified.
     */
    public static ObjectNode deepMerge(ObjectNode base, ObjectNode override) {
        ObjectNode result = base.deepCopy();
        override.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                result.remove(key);
            } else if (value instanceof ObjectNode section && result.get(key) instanceof ObjectNode inBase) {
                result.set(key, deepMerge(inBase, section));
            } else {
                result.set(key, value.deepCopy());
            }
        });
        return result;
    }

    /**
     * The variants a selector picks, in srtctl's order (all of them when the selector is empty).
     *
     * @throws RecipeSelectorException when the selector names nothing, an index is out of range, or a section
     *                                 is malformed
     */
    public static List<RecipeVariant> expand(ObjectNode recipe, Optional<RecipeSelector> selector) {
        ObjectNode base = section(recipe, BASE_KEY);
        List<String> overrideKeys = keysStartingWith(recipe, OVERRIDE_PREFIX);
        List<String> zipKeys = keysStartingWith(recipe, ZIP_PREFIX);
        if (selector.isEmpty()) {
            return expandKeys(recipe, base, allOf(overrideKeys, zipKeys));
        }
        RecipeSelector chosen = selector.get();
        if (chosen instanceof RecipeSelector.ZipVariant variant) {
            if (!recipe.has(variant.key())) {
                throw new RecipeSelectorException("no section " + variant.key() + "; zip sections: "
                        + available(List.of(), zipKeys));
            }
            List<RecipeVariant> group = expandZip(variant.key(), section(recipe, variant.key()), base);
            if (variant.index() >= group.size()) {
                throw new RecipeSelectorException("index [" + variant.index() + "] is out of range: " + variant.key()
                        + " has " + group.size() + " variant" + (group.size() == 1 ? "" : "s")
                        + " (valid: 0-" + (group.size() - 1) + ")");
            }
            return List.of(group.get(variant.index()));
        }
        if (chosen instanceof RecipeSelector.Base) {
            return List.of(new RecipeVariant(BASE_KEY, base.deepCopy()));
        }
        if (chosen instanceof RecipeSelector.Glob glob) {
            Pattern pattern = Fnmatch.pattern(glob.pattern());
            // Override keys sort before zip keys anyway ("o" < "z"), so this is srtctl's sorted(all keys).
            List<String> matched = allOf(overrideKeys, zipKeys).stream()
                    .filter(key -> pattern.matcher(key).matches()).toList();
            if (matched.isEmpty()) {
                throw new RecipeSelectorException("no section matches '" + glob.pattern() + "'; sections: "
                        + available(overrideKeys, zipKeys));
            }
            return expandKeys(recipe, base, matched);
        }
        String key = chosen.text();
        if (!recipe.has(key)) {
            throw new RecipeSelectorException("no section " + key + "; sections: " + available(overrideKeys, zipKeys));
        }
        return expandKeys(recipe, base, List.of(key));
    }

    private static List<RecipeVariant> expandKeys(ObjectNode recipe, ObjectNode base, List<String> keys) {
        List<RecipeVariant> variants = new ArrayList<>();
        for (String key : keys) {
            ObjectNode section = section(recipe, key);
            if (key.startsWith(ZIP_PREFIX)) {
                variants.addAll(expandZip(key, section, base));
            } else {
                ObjectNode merged = deepMerge(base, section);
                if (!section.has("name")) {
                    merged.put("name", baseName(base) + "_" + key.substring(OVERRIDE_PREFIX.length()));
                }
                variants.add(new RecipeVariant(key, merged));
            }
        }
        return variants;
    }

    private static List<RecipeVariant> expandZip(String key, ObjectNode section, ObjectNode base) {
        String group = key.substring(ZIP_PREFIX.length());
        int n = zipLength(key, section);
        // A scalar name would give every variant the same name, so only a list of names is taken as given.
        boolean namesGiven = section.get("name") instanceof ArrayNode;
        List<RecipeVariant> variants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode merged = deepMerge(base, slice(section, i));
            if (!namesGiven) {
                merged.put("name", baseName(base) + "_" + group + "_" + i);
            }
            variants.add(new RecipeVariant(key + "[" + i + "]", merged));
        }
        return variants;
    }

    private static int zipLength(String key, ObjectNode section) {
        List<Integer> lengths = new ArrayList<>();
        collectListLengths(section, lengths);
        if (lengths.isEmpty()) {
            throw new RecipeSelectorException(key + " has no list values, so nothing to zip");
        }
        if (lengths.contains(0)) {
            throw new RecipeSelectorException(key + " has an empty list; every zipped list needs at least one value");
        }
        TreeSet<Integer> zipped = lengths.stream().filter(length -> length != 1)
                .collect(Collectors.toCollection(TreeSet::new));
        if (zipped.size() > 1) {
            throw new RecipeSelectorException(key + " zips lists of lengths " + zipped
                    + "; every list must have the same length, or length 1 to apply to all");
        }
        return zipped.isEmpty() ? 1 : zipped.first();
    }

    private static void collectListLengths(ObjectNode node, List<Integer> lengths) {
        node.elements().forEachRemaining(value -> {
            if (value instanceof ArrayNode list) {
                lengths.add(list.size());
            } else if (value instanceof ObjectNode nested) {
                collectListLengths(nested, lengths);
            }
        });
    }

    /** The section with every list replaced by its i-th element (the only one, for one-element lists). */
    private static ObjectNode slice(ObjectNode section, int index) {
        ObjectNode result = NODES.objectNode();
        section.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value instanceof ArrayNode list) {
                result.set(entry.getKey(), list.get(list.size() == 1 ? 0 : index).deepCopy());
            } else if (value instanceof ObjectNode nested) {
                result.set(entry.getKey(), slice(nested, index));
            } else {
                result.set(entry.getKey(), value.deepCopy());
            }
        });
        return result;
    }

    /** srtctl formats base's name with Python's str(): a missing name is "unnamed", null is "None". */
    private static String baseName(ObjectNode base) {
        JsonNode name = base.get("name");
        if (name == null) {
            return "unnamed";
        }
        if (name.isNull()) {
            return "None";
        }
        if (name.isBoolean()) {
            return name.booleanValue() ? "True" : "False";
        }
        return name.asText();
    }

    private static ObjectNode section(ObjectNode recipe, String key) {
        JsonNode section = recipe.get(key);
        if (!(section instanceof ObjectNode mapping)) {
            throw new RecipeSelectorException(key + " must be a mapping of recipe keys, found "
                    + (section == null ? "nothing" : section.getNodeType().toString().toLowerCase()));
        }
        return mapping;
    }

    private static List<String> keysStartingWith(ObjectNode recipe, String prefix) {
        List<String> keys = new ArrayList<>();
        recipe.fieldNames().forEachRemaining(key -> {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        });
        keys.sort(null);
        return keys;
    }

    private static List<String> allOf(List<String> overrideKeys, List<String> zipKeys) {
        List<String> all = new ArrayList<>(overrideKeys);
        all.addAll(zipKeys);
        return all;
    }

    private static String available(List<String> overrideKeys, List<String> zipKeys) {
        return listOrNone(allOf(overrideKeys, zipKeys.stream().map(key -> key + "[i]").toList()));
    }

    private static String listOrNone(List<String> items) {
        return items.isEmpty() ? "(none)" : String.join(", ", items);
    }
}
