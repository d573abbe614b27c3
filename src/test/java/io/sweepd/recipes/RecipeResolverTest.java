package io.sweepd.recipes;

import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.WorkerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecipeResolverTest {

    private static final String RECIPE = """
            name: "r"
            model: {path: m, container: c, precision: fp8}
            backend:
              type: vllm
              vllm_config:
                prefill: {gpu-memory-utilization: 0.95}
            benchmark: {type: sa-bench}
            """;

    @TempDir
    Path tmp;

    private Path sweepDir;
    private Path recipesDir;

    private Path write(Path dir, String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private RecipeResolver resolver() throws IOException {
        sweepDir = Files.createDirectories(tmp.resolve("sweeps"));
        recipesDir = Files.createDirectories(tmp.resolve("recipes-checkout"));
        return new RecipeResolver(sweepDir, Optional.of(recipesDir));
    }

    private static MatrixPoint multinode(List<String> prefillSettings, List<String> decodeSettings) {
        return new MatrixPoint("key", "image", "org/model", "m", "fp8", "dynamo-vllm", "h100-multinode", 1024, 1024,
                null, null, null, "none", new WorkerSpec(1, 1, 16, true, prefillSettings),
                new WorkerSpec(1, 1, 16, true, decodeSettings), List.of(4, 8), 2304, "m_1k1k", true, true, false, null);
    }

    private static MatrixPoint singleNode() {
        return new MatrixPoint("key", "image", "org/model", "m", "fp8", "vllm", "h100", 1024, 1024, 8, 1, false,
                "none", null, null, List.of(4), 2304, "m_1k1k", false, false, false, null);
    }

    @Test
    void resolvesAgainstTheSweepFilesDirectoryFirst() throws IOException {
        RecipeResolver resolver = resolver();
        Path inSweepDir = write(sweepDir, "recipes/a.yaml", RECIPE);
        write(recipesDir, "recipes/a.yaml", RECIPE.replace("0.95", "0.5"));

        RecipeLookup lookup = resolver.resolve("recipes/a.yaml");

        assertThat(lookup).isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> {
            assertThat(recipe.configFile()).isEqualTo("recipes/a.yaml");
            assertThat(recipe.path()).isEqualTo(inSweepDir);
            assertThat(recipe.tree().at("/backend/vllm_config/prefill/gpu-memory-utilization").doubleValue()).isEqualTo(0.95);
        });
    }

    @Test
    void fallsBackToTheRecipesDirectory() throws IOException {
        RecipeResolver resolver = resolver();
        Path inRecipesDir = write(recipesDir, "vllm/b.yaml", RECIPE);

        assertThat(resolver.resolve("vllm/b.yaml"))
                .isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> assertThat(recipe.path()).isEqualTo(inRecipesDir));
    }

    @Test
    void missingRecipeIsAResultListingEveryPlaceSearched() throws IOException {
        RecipeResolver resolver = resolver();

        RecipeLookup lookup = resolver.resolve("vllm/missing.yaml");

        assertThat(lookup).isInstanceOfSatisfying(UnresolvedRecipe.class, missing -> {
            assertThat(missing.problem()).isEqualTo(UnresolvedRecipe.Problem.NOT_FOUND);
            assertThat(missing.searched()).containsExactly(
                    sweepDir.resolve("vllm/missing.yaml"), recipesDir.resolve("vllm/missing.yaml"));
            assertThat(missing.reason()).isEqualTo("recipe vllm/missing.yaml not found; searched "
                    + sweepDir.resolve("vllm/missing.yaml") + ", " + recipesDir.resolve("vllm/missing.yaml"));
        });
    }

    @Test
    void missingRecipeWithoutARecipesDirectorySaysNoneIsConfigured() {
        RecipeLookup lookup = new RecipeResolver(tmp, Optional.empty()).resolve("a.yaml");

        assertThat(lookup).isInstanceOfSatisfying(UnresolvedRecipe.class, missing -> {
            assertThat(missing.searched()).containsExactly(tmp.resolve("a.yaml"));
            assertThat(missing.reason()).endsWith("(no recipes directory is configured)");
        });
    }

    @Test
    void absolutePathIsRefusedWithAReason() throws IOException {
        RecipeResolver resolver = resolver();
        Path absolute = write(sweepDir, "a.yaml", RECIPE);

        RecipeLookup lookup = resolver.resolve(absolute.toString());

        assertThat(lookup).isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
            assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.REFUSED_PATH);
            assertThat(refused.searched()).isEmpty();
            assertThat(refused.reason()).contains("is absolute");
        });
    }

    @Test
    void pathLeavingTheDirectoryWithDotDotIsRefused() throws IOException {
        RecipeResolver resolver = resolver();
        write(tmp, "outside.yaml", RECIPE);

        for (String escape : List.of("../outside.yaml", "recipes/../../outside.yaml")) {
            assertThat(resolver.resolve(escape)).as(escape).isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
                assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.REFUSED_PATH);
                assertThat(refused.reason()).contains("'..'");
            });
        }
    }

    @Test
    void aSymbolicLinkLeadingOutsideIsRefusedWithoutReadingItsTarget() throws IOException {
        RecipeResolver resolver = resolver();
        Path secret = write(tmp, "private/shadow", "root:canary-hash:19000:0:99999:7:::\n");
        Files.createSymbolicLink(sweepDir.resolve("link.yaml"), secret);
        Files.createSymbolicLink(sweepDir.resolve("linked-dir"), secret.getParent());

        for (String escape : List.of("link.yaml", "linked-dir/shadow")) {
            assertThat(resolver.resolve(escape)).as(escape).isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
                assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.REFUSED_PATH);
                assertThat(refused.reason()).contains("outside").doesNotContain("canary-hash")
                        .doesNotContain(secret.toString());
            });
        }
        assertThat(secret).hasContent("root:canary-hash:19000:0:99999:7:::\n");
    }

    @Test
    void aSymbolicLinkToARecipeInsideTheSameDirectoryResolves() throws IOException {
        RecipeResolver resolver = resolver();
        Path real = write(sweepDir, "recipes/real.yaml", RECIPE);
        Files.createSymbolicLink(sweepDir.resolve("recipes/alias.yaml"), real);

        assertThat(resolver.resolve("recipes/alias.yaml")).isInstanceOf(ResolvedRecipe.class);
    }

    @Test
    void aDirectoryNamedAsARecipeIsRefused() throws IOException {
        RecipeResolver resolver = resolver();
        Files.createDirectories(sweepDir.resolve("dir.yaml"));

        assertThat(resolver.resolve("dir.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> assertThat(refused.reason()).contains("not a regular file"));
    }

    @Test
    void emptyConfigFileIsRefused() throws IOException {
        assertThat(resolver().resolve(multinode(List.of("CONFIG_FILE="), null)))
                .get().isInstanceOfSatisfying(UnresolvedRecipe.class,
                        refused -> assertThat(refused.reason()).startsWith("CONFIG_FILE is empty"));
    }

    @Test
    void unparseableRecipeIsAResultNamingFileAndLine() throws IOException {
        RecipeResolver resolver = resolver();
        Path bad = write(sweepDir, "bad.yaml", "model:\n  path: m\n backend: [\n");

        assertThat(resolver.resolve("bad.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class, unreadable -> {
            assertThat(unreadable.problem()).isEqualTo(UnresolvedRecipe.Problem.UNREADABLE);
            assertThat(unreadable.reason()).startsWith(bad + ":").contains("not valid YAML");
            assertThat(unreadable.searched()).containsExactly(bad);
        });
    }

    @Test
    void recipeThatIsNotAMappingIsUnreadable() throws IOException {
        RecipeResolver resolver = resolver();
        write(sweepDir, "list.yaml", "- a\n- b\n");
        write(sweepDir, "empty.yaml", "");

        assertThat(resolver.resolve("list.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                unreadable -> assertThat(unreadable.reason()).contains("a recipe is a YAML mapping").endsWith("found array"));
        assertThat(resolver.resolve("empty.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                unreadable -> assertThat(unreadable.reason()).endsWith("found an empty file"));
    }

    @Test
    void parsedRecipeKeepsTheFilesKeyOrder() throws IOException {
        RecipeResolver resolver = resolver();
        write(sweepDir, "ordered.yaml", "zeta: 1\nalpha: 2\nmiddle: {b: 1, a: 2}\n");

        ResolvedRecipe recipe = (ResolvedRecipe) resolver.resolve("ordered.yaml");

        List<String> keys = new ArrayList<>();
        recipe.tree().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("zeta", "alpha", "middle");
        assertThat(recipe.tree().get("middle").toString()).isEqualTo("{\"b\":1,\"a\":2}");
    }

    @Test
    void configFileIsReadFromPrefillThenDecodeAdditionalSettings() {
        assertThat(RecipeResolver.configFile(multinode(List.of("OTHER=1", "CONFIG_FILE=p.yaml"), null))).contains("p.yaml");
        assertThat(RecipeResolver.configFile(multinode(null, List.of("CONFIG_FILE= d.yaml ")))).contains("d.yaml");
        assertThat(RecipeResolver.configFile(multinode(List.of("OTHER=1"), null))).isEmpty();
        assertThat(RecipeResolver.configFile(singleNode())).isEmpty();
    }

    @Test
    void pointWithoutARecipeResolvesToNothing() throws IOException {
        assertThat(resolver().resolve(singleNode())).isEmpty();
    }

    @Test
    void pointResolvesTheRecipeItsWorkersName() throws IOException {
        RecipeResolver resolver = resolver();
        write(sweepDir, "r.yaml", RECIPE);

        assertThat(resolver.resolve(multinode(List.of("CONFIG_FILE=r.yaml"), List.of("CONFIG_FILE=r.yaml"))))
                .get().isInstanceOf(ResolvedRecipe.class);
    }

    @Test
    void prefillAndDecodeNamingDifferentRecipesIsRefused() throws IOException {
        assertThat(resolver().resolve(multinode(List.of("CONFIG_FILE=a.yaml"), List.of("CONFIG_FILE=b.yaml"))))
                .get().isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
                    assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.REFUSED_PATH);
                    assertThat(refused.reason()).isEqualTo("prefill names recipe a.yaml but decode names b.yaml;"
                            + " one point runs one recipe");
                });
    }

    @Test
    void seedPrSweepRecipesResolveFromTheSweepDirectory() {
        Path seedPr = io.sweepd.Fixtures.fixture("seed-pr");
        RecipeResolver resolver = new RecipeResolver(seedPr, Optional.empty());

        for (String seqLen : List.of("1k1k", "8k1k")) {
            RecipeLookup lookup = resolver.resolve(
                    "recipes/vllm/deepseek-v4-pro/" + seqLen + "/disagg-h100-fp8-1p1d-dep16-dep16.yaml");
            assertThat(lookup).isInstanceOfSatisfying(ResolvedRecipe.class,
                    recipe -> assertThat(recipe.tree().at("/backend/type").asText()).isEqualTo("vllm"));
        }
    }
    private RecipeResolver resolverWithOverrideRecipe() throws IOException {
        RecipeResolver resolver = resolver();
        try (var in = getClass().getResourceAsStream("/recipes/dsr1-sglang-overrides.yaml")) {
            Files.createDirectories(sweepDir.resolve("recipes"));
            Files.copy(in, sweepDir.resolve("recipes/over.yaml"));
        }
        return resolver;
    }

    @Test
    void aSelectorResolvesToTheOneVariantItNamesAndKeepsTheReference() throws IOException {
        RecipeResolver resolver = resolverWithOverrideRecipe();

        RecipeLookup lookup = resolver.resolve(multinode(List.of("CONFIG_FILE=recipes/over.yaml:zip_override_lowlat[2]"), null))
                .orElseThrow();

        assertThat(lookup).isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> {
            assertThat(recipe.configFile()).isEqualTo("recipes/over.yaml:zip_override_lowlat[2]");
            assertThat(recipe.path()).isEqualTo(sweepDir.resolve("recipes/over.yaml"));
            assertThat(recipe.variant()).contains("zip_override_lowlat[2]");
            assertThat(recipe.reference()).isEqualTo(sweepDir.resolve("recipes/over.yaml") + ":zip_override_lowlat[2]");
            assertThat(recipe.tree().at("/resources/decode_nodes").intValue()).isEqualTo(4);
            assertThat(recipe.tree().get("name").asText()).isEqualTo("dsr1-fp8-1k1k_lowlat_2");
            assertThat(recipe.tree().has("base")).isFalse();
        });
    }

    @Test
    void aGlobOrGroupThatPicksOneVariantResolvesNamingThatVariant() throws IOException {
        RecipeResolver resolver = resolverWithOverrideRecipe();

        assertThat(resolver.resolve("recipes/over.yaml:*tp4")).isInstanceOfSatisfying(ResolvedRecipe.class,
                recipe -> assertThat(recipe.variant()).contains("override_tp4"));
        assertThat(resolver.resolve("recipes/over.yaml:base")).isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> {
            assertThat(recipe.variant()).contains("base");
            assertThat(recipe.tree().get("name").asText()).isEqualTo("dsr1-fp8-1k1k");
        });
    }

    @Test
    void aReferencePickingSeveralVariantsIsRefusedListingTheSingleSelectors() throws IOException {
        RecipeResolver resolver = resolverWithOverrideRecipe();

        assertThat(resolver.resolve("recipes/over.yaml:zip_override_maxtpt")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> {
                    assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.BAD_SELECTOR);
                    assertThat(refused.searched()).containsExactly(sweepDir.resolve("recipes/over.yaml"));
                    assertThat(refused.reason()).isEqualTo("CONFIG_FILE=recipes/over.yaml:zip_override_maxtpt selects 2"
                            + " configurations (zip_override_maxtpt[0], zip_override_maxtpt[1]); srtctl would submit a job"
                            + " for each, but a point runs one: name one, e.g. recipes/over.yaml:zip_override_maxtpt[0]");
                });
        // Without a selector srtctl submits every variant (never base): seven here.
        assertThat(resolver.resolve("recipes/over.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> assertThat(refused.reason()).contains("selects 7 configurations (override_lowmem, override_tp4,"));
    }

    @Test
    void aReferenceWithoutSelectorToAFileWithOneVariantResolvesToIt() throws IOException {
        RecipeResolver resolver = resolver();
        write(sweepDir, "one.yaml", "base: {name: b, model: {path: m}}\noverride_x: {model: {path: n}}\n");

        assertThat(resolver.resolve("one.yaml")).isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> {
            assertThat(recipe.variant()).contains("override_x");
            assertThat(recipe.tree().toString()).isEqualTo("{\"name\":\"b_x\",\"model\":{\"path\":\"n\"}}");
        });
    }

    @Test
    void aReferenceWithoutSelectorToAFileWithOnlyABaseIsRefusedPointingAtBase() throws IOException {
        RecipeResolver resolver = resolver();
        Path file = write(sweepDir, "only-base.yaml", "base: {name: b}\n");

        assertThat(resolver.resolve("only-base.yaml")).isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
            assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.BAD_SELECTOR);
            assertThat(refused.reason()).isEqualTo("CONFIG_FILE=only-base.yaml: " + file + " has only a base: section,"
                    + " and without a selector srtctl runs none of it; name it as only-base.yaml:base");
        });
    }

    @Test
    void selectorErrorsNameTheReferenceAndTheFile() throws IOException {
        RecipeResolver resolver = resolverWithOverrideRecipe();
        Path file = sweepDir.resolve("recipes/over.yaml");

        assertThat(resolver.resolve("recipes/over.yaml:zip_override_lowlat[3]")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> assertThat(refused.reason()).isEqualTo("CONFIG_FILE=recipes/over.yaml:zip_override_lowlat[3] ("
                        + file + "): index [3] is out of range: zip_override_lowlat has 3 variants (valid: 0-2)"));
        assertThat(resolver.resolve("recipes/over.yaml:override_nope")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> assertThat(refused.reason()).startsWith("CONFIG_FILE=recipes/over.yaml:override_nope ("
                        + file + "): no section override_nope; sections: override_lowmem"));
        assertThat(resolver.resolve("recipes/over.yaml:lowmem")).isInstanceOfSatisfying(UnresolvedRecipe.class, refused -> {
            assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.BAD_SELECTOR);
            assertThat(refused.searched()).isEmpty();
            assertThat(refused.reason()).startsWith("CONFIG_FILE=recipes/over.yaml:lowmem: 'lowmem' is not a recipe selector");
        });
    }

    @Test
    void theFileBeforeTheSelectorIsLookedUpAndCheckedLikeAnyPath() throws IOException {
        RecipeResolver resolver = resolver();

        assertThat(resolver.resolve("missing.yaml:base")).isInstanceOfSatisfying(UnresolvedRecipe.class, missing -> {
            assertThat(missing.problem()).isEqualTo(UnresolvedRecipe.Problem.NOT_FOUND);
            assertThat(missing.searched()).containsExactly(sweepDir.resolve("missing.yaml"), recipesDir.resolve("missing.yaml"));
        });
        assertThat(resolver.resolve("../x.yaml:base")).isInstanceOfSatisfying(UnresolvedRecipe.class,
                refused -> assertThat(refused.problem()).isEqualTo(UnresolvedRecipe.Problem.REFUSED_PATH));
    }

    @Test
    void aSelectorOnARecipeWithoutBaseIsIgnoredAsSrtctlIgnoresIt() throws IOException {
        RecipeResolver resolver = resolver();
        write(sweepDir, "plain.yaml", RECIPE);

        assertThat(resolver.resolve("plain.yaml:override_x")).isInstanceOfSatisfying(ResolvedRecipe.class, recipe -> {
            assertThat(recipe.variant()).isEmpty();
            assertThat(recipe.reference()).isEqualTo(sweepDir.resolve("plain.yaml").toString());
            assertThat(recipe.tree().get("name").asText()).isEqualTo("r");
        });
    }
}
