package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * A recipe found and parsed.
 *
 * @param configFile the relative path exactly as the point's {@code CONFIG_FILE=} names it
 * @param path       the file it resolved to
 * @param tree       the parsed recipe, keys in file order. Callers patch a deep copy: this tree stands for
 *                   the user's file and is never modified
 */
public record ResolvedRecipe(String configFile, Path path, ObjectNode tree) implements RecipeLookup {
}
