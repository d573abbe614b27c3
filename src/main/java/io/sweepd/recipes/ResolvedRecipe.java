package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A recipe found, parsed and, for an override recipe, reduced to the one configuration the reference selects.
 *
 * @param configFile the value exactly as the point's {@code CONFIG_FILE=} names it, selector included
 * @param path       the file it resolved to
 * @param variant    for an override recipe, the selector of the one variant {@code tree} is ({@code base},
 *                   {@code override_<name>} or {@code zip_override_<name>[i]}, also when the reference used a
 *                   group, a glob or no selector); empty for a plain recipe
 * @param tree       the configuration srtctl would run, keys in file order. Callers patch a deep copy: this
 *                   tree stands for the user's file and is never modified
 */
public record ResolvedRecipe(String configFile, Path path, Optional<String> variant, ObjectNode tree)
        implements RecipeLookup {

    public ResolvedRecipe {
        Objects.requireNonNull(variant, "variant");
    }

    /** The file and the variant as srtctl's {@code -f} would name them, e.g. {@code /r/x.yaml:zip_override_a[2]}. */
    public String reference() {
        return path + variant.map(selector -> ":" + selector).orElse("");
    }
}
