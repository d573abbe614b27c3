package io.sweepd.recipes;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code CONFIG_FILE=} value split the way srtctl splits {@code -f}: the file before the last {@code :}, the
 * selector after it. {@code recipes/x.yaml:zip_override_lowlat[2]} is file {@code recipes/x.yaml} and selector
 * {@code zip_override_lowlat[2]}; {@code recipes/x.yaml} has no selector.
 *
 * @param file     the recipe file, relative as written
 * @param selector which variant(s) of an override recipe, if any
 */
public record RecipeReference(String file, Optional<RecipeSelector> selector) {

    public RecipeReference {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(selector, "selector");
    }

    /** @throws RecipeSelectorException when the part after the colon is no selector, or nothing precedes it */
    public static RecipeReference parse(String configFile) {
        int colon = configFile.lastIndexOf(':');
        if (colon < 0) {
            return new RecipeReference(configFile, Optional.empty());
        }
        String file = configFile.substring(0, colon);
        if (file.isBlank()) {
            throw new RecipeSelectorException("no recipe file before ':" + configFile.substring(colon + 1) + "'");
        }
        return new RecipeReference(file, Optional.of(RecipeSelector.parse(configFile.substring(colon + 1))));
    }
}
