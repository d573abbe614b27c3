package io.sweepd.recipes;

/**
 * A recipe selector that cannot pick a configuration: malformed, naming no section, an index out of range, a
 * zip section whose lists do not line up. The message says what is wrong and what the file offers;
 * {@link RecipeResolver} prefixes it with the reference and turns it into an {@link UnresolvedRecipe}.
 */
public final class RecipeSelectorException extends IllegalArgumentException {

    public RecipeSelectorException(String message) {
        super(message);
    }
}
