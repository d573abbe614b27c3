package io.sweepd.recipes;

import java.nio.file.Path;
import java.util.List;

/**
 * A point names a recipe that cannot be used.
 *
 * @param configFile what the point's {@code CONFIG_FILE=} says (may be empty or null when that is the problem)
 * @param problem    which kind of failure, so callers can count or group them
 * @param searched   the files looked at, in the order they were tried (empty when the path was refused
 *                   before any lookup)
 * @param reason     one line a person can act on; it names the places searched
 */
public record UnresolvedRecipe(String configFile, Problem problem, List<Path> searched, String reason)
        implements RecipeLookup {

    public enum Problem {
        /** Absolute, {@code ..}, empty, or prefill and decode disagree. */
        REFUSED_PATH,
        /** No file at any of the searched places. */
        NOT_FOUND,
        /** A file exists but is not a YAML mapping sweepd can read. */
        UNREADABLE,
        /**
         * The selector after the file is malformed, names no section, is out of range, or picks other than
         * exactly one configuration (or the override recipe's sections cannot be expanded).
         */
        BAD_SELECTOR
    }

    public UnresolvedRecipe {
        searched = List.copyOf(searched);
    }
}
