package io.sweepd.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.files.Excerpt;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds and parses the srt-slurm recipe a matrix point names with {@code CONFIG_FILE=<relative path>} in its
 * prefill (or, failing that, decode) additional-settings. The path is looked up against the sweep file's
 * directory first, as InferenceMAX does, then against the configured recipes directory, so a sweep can carry
 * its own recipes and still fall back to a cluster's shared recipe checkout.
 *
 * <p>Only relative paths without {@code ..} are accepted: a sweep file arrives from an inbox and must not be
 * able to point sweepd at arbitrary files on the login node. Lookups never throw for a bad or missing file;
 * they return an {@link UnresolvedRecipe} the caller refuses the point with.
 *
 * <p>The value may carry an srt-slurm selector after the file, {@code recipes/x.yaml:zip_override_lowlat[2]}: the
 * point then runs that one variant of the override recipe, expanded as srtctl expands it ({@link #resolve(String)}).
 *
 * <p>Recipes are read the way srt-slurm reads them (a repeated key keeps its last value); YAML comments are
 * not kept in the tree.
 */
public final class RecipeResolver {

    /** The additional-settings key InferenceMAX's multinode launchers read the recipe path from. */
    public static final String CONFIG_FILE_KEY = "CONFIG_FILE";

    private static final Logger LOG = LoggerFactory.getLogger(RecipeResolver.class);

    private final Path sweepDir;
    private final Optional<Path> recipesDir;

    public RecipeResolver(Path sweepDir, Optional<Path> recipesDir) {
        this.sweepDir = Objects.requireNonNull(sweepDir, "sweepDir");
        this.recipesDir = Objects.requireNonNull(recipesDir, "recipesDir");
    }

    /**
     * The {@code CONFIG_FILE} value a point names: prefill's, else decode's. Empty for points that name no
     * recipe (all single-node points); those get a configuration from {@link ServerConfigs#synthesize}.
     */
    public static Optional<String> configFile(MatrixPoint point) {
        Optional<String> prefill = configFile(point.prefill());
        return prefill.isPresent() ? prefill : configFile(point.decode());
    }

    private static Optional<String> configFile(WorkerSpec worker) {
        if (worker == null || worker.additionalSettings() == null) {
            return Optional.empty();
        }
        String prefix = CONFIG_FILE_KEY + "=";
        return worker.additionalSettings().stream()
                .filter(setting -> setting.startsWith(prefix))
                .map(setting -> setting.substring(prefix.length()).trim())
                .findFirst();
    }

    /** Looks up the point's recipe; empty when the point names none. */
    public Optional<RecipeLookup> resolve(MatrixPoint point) {
        Optional<String> prefill = configFile(point.prefill());
        Optional<String> decode = configFile(point.decode());
        if (prefill.isPresent() && decode.isPresent() && !prefill.get().equals(decode.get())) {
            // One job runs one recipe; silently picking one side would benchmark something nobody asked for.
            return Optional.of(refused(prefill.get(), "prefill names recipe " + prefill.get()
                    + " but decode names " + decode.get() + "; one point runs one recipe"));
        }
        return prefill.or(() -> decode).map(this::resolve);
    }

    /**
     * Looks up a {@code CONFIG_FILE} value: a recipe file, optionally followed by {@code :<selector>} (see
     * {@link RecipeSelector}). An override recipe (one with {@code base:}) resolves to the one configuration the
     * selector picks, expanded as srtctl expands it ({@link RecipeOverrides}); a reference without a selector
     * picks what srtctl would submit: every override and zip variant, never base, so it resolves only when
     * that is exactly one configuration. A point runs one server configuration, so a selector that picks
     * several (or none) is refused with the single selectors to choose from. A selector on a plain recipe is
     * ignored with a warning, as srtctl ignores it.
     */
    public RecipeLookup resolve(String configFile) {
        if (configFile == null || configFile.isBlank()) {
            return refused(configFile, "CONFIG_FILE is empty; it must name a recipe file relative to the sweep file");
        }
        RecipeReference reference;
        try {
            reference = RecipeReference.parse(configFile);
        } catch (RecipeSelectorException e) {
            return new UnresolvedRecipe(configFile, UnresolvedRecipe.Problem.BAD_SELECTOR, List.of(),
                    "CONFIG_FILE=" + configFile + ": " + e.getMessage());
        }
        String file = reference.file();
        Path relative;
        try {
            relative = Path.of(file);
        } catch (InvalidPathException e) {
            return refused(configFile, "CONFIG_FILE=" + configFile + " is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute() || file.startsWith("/") || file.startsWith("~")) {
            return refused(configFile, "CONFIG_FILE=" + configFile
                    + " is absolute; recipes are named relative to the sweep file's directory or the recipes directory");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                return refused(configFile, "CONFIG_FILE=" + configFile
                        + " leaves its directory with '..'; recipes must lie inside the sweep file's directory or the recipes directory");
            }
        }

        List<Path> searched = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        roots.add(sweepDir);
        recipesDir.ifPresent(roots::add);
        for (Path root : roots) {
            searched.add(root.resolve(relative).normalize());
        }
        for (int i = 0; i < searched.size(); i++) {
            Path candidate = searched.get(i);
            if (Files.exists(candidate)) {
                Optional<String> outside = outside(roots.get(i), candidate);
                if (outside.isPresent()) {
                    return unusable(UnresolvedRecipe.Problem.REFUSED_PATH, configFile, candidate, searched,
                            "CONFIG_FILE=" + configFile + ": " + outside.get());
                }
            }
            if (Files.isRegularFile(candidate)) {
                return read(reference, configFile, candidate, searched);
            }
        }
        String where = recipesDir.isPresent() ? "" : " (no recipes directory is configured)";
        return new UnresolvedRecipe(configFile, UnresolvedRecipe.Problem.NOT_FOUND, searched,
                "recipe " + file + " not found; searched " + join(searched) + where);
    }

    /**
     * Why the candidate may not be read, if so: with symbolic links followed it must still lie inside the directory
     * it was looked up in (a link in a recipes checkout must not hand sweepd {@code /etc/shadow}) and be a regular
     * file. The real path is not quoted: it is none of the sweep's business.
     */
    private static Optional<String> outside(Path root, Path candidate) {
        try {
            Path realRoot = root.toRealPath();
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot)) {
                return Optional.of(candidate + " leads (through a symbolic link) outside " + root
                        + "; recipes must lie inside the sweep file's directory or the recipes directory");
            }
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(candidate + " is not a regular file");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(candidate + " cannot be resolved: " + e.getMessage());
        }
    }

    private static RecipeLookup read(RecipeReference reference, String configFile, Path path, List<Path> searched) {
        JsonNode tree;
        try {
            tree = Json.YAML.readTree(path.toFile());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return unusable(UnresolvedRecipe.Problem.UNREADABLE, configFile, path, searched,
                    (line > 0 ? path + ":" + line : path.toString()) + ": not valid YAML: "
                            + Excerpt.of(e.getOriginalMessage()));
        } catch (IOException e) {
            return unusable(UnresolvedRecipe.Problem.UNREADABLE, configFile, path, searched,
                    path + ": cannot be read: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode recipe)) {
            return unusable(UnresolvedRecipe.Problem.UNREADABLE, configFile, path, searched,
                    path + ": a recipe is a YAML mapping (model:, backend:, benchmark: ...), found "
                            + (tree == null || tree.isMissingNode() ? "an empty file" : tree.getNodeType().toString().toLowerCase()));
        }
        if (!RecipeOverrides.isOverrideRecipe(recipe)) {
            reference.selector().ifPresent(selector -> LOG.warn("CONFIG_FILE={}: {} has no base: section, so the"
                    + " selector '{}' selects nothing and the whole file is the recipe (as srtctl does)",
                    configFile, path, selector.text()));
            return new ResolvedRecipe(configFile, path, Optional.empty(), recipe);
        }
        return select(reference, configFile, path, searched, recipe);
    }

    private static RecipeLookup select(RecipeReference reference, String configFile, Path path, List<Path> searched,
                                       ObjectNode recipe) {
        List<RecipeVariant> variants;
        try {
            variants = RecipeOverrides.expand(recipe, reference.selector());
        } catch (RecipeSelectorException e) {
            return unusable(UnresolvedRecipe.Problem.BAD_SELECTOR, configFile, path, searched,
                    "CONFIG_FILE=" + configFile + " (" + path + "): " + e.getMessage());
        }
        if (variants.size() == 1) {
            RecipeVariant only = variants.get(0);
            return new ResolvedRecipe(configFile, path, Optional.of(only.selector()), only.config());
        }
        String reason = variants.isEmpty()
                ? ": " + path + " has only a base: section, and without a selector srtctl runs none of it;"
                        + " name it as " + reference.file() + ":base"
                : " selects " + variants.size() + " configurations (" + join(variants.stream().map(RecipeVariant::selector))
                        + "); srtctl would submit a job for each, but a point runs one: name one, e.g. "
                        + reference.file() + ":" + variants.get(0).selector();
        return unusable(UnresolvedRecipe.Problem.BAD_SELECTOR, configFile, path, searched,
                "CONFIG_FILE=" + configFile + reason);
    }

    private static UnresolvedRecipe unusable(UnresolvedRecipe.Problem problem, String configFile, Path path,
                                             List<Path> searched, String reason) {
        return new UnresolvedRecipe(configFile, problem,
                searched.subList(0, searched.indexOf(path) + 1), reason);
    }

    private static UnresolvedRecipe refused(String configFile, String reason) {
        return new UnresolvedRecipe(configFile, UnresolvedRecipe.Problem.REFUSED_PATH, List.of(), reason);
    }

    private static String join(List<Path> paths) {
        return join(paths.stream().map(Path::toString));
    }

    private static String join(Stream<String> items) {
        return items.collect(Collectors.joining(", "));
    }
}
