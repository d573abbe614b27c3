package io.sweepd.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One concrete configuration of an override recipe.
 *
 * @param selector the selector that picks exactly this variant: {@code base}, {@code override_<name>} or
 *                 {@code zip_override_<name>[i]}
 * @param config   base with the variant's section merged onto it, {@code name} set as srtctl sets it
 */
public record RecipeVariant(String selector, ObjectNode config) {
}
