package io.sweepd.recipes;

/**
 * The outcome of looking up the recipe a point names: either the parsed recipe or the reason there is
 * none usable. A missing or unreadable recipe is an answer, not an exception, because the caller's job is
 * to refuse that one point with the reason and carry on with the rest of the sweep.
 */
public sealed interface RecipeLookup permits ResolvedRecipe, UnresolvedRecipe {
}
