package io.sweepd.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** srtctl's override expansion, on a recipe written in its format (src/test/resources/recipes/). */
class RecipeOverridesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static ObjectNode yaml(String text) throws IOException {
        return (ObjectNode) YAML.readTree(text);
    }

    private static ObjectNode recipe() throws IOException {
        try (InputStream in = RecipeOverridesTest.class.getResourceAsStream("/recipes/dsr1-sglang-overrides.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        }
    }

    private static List<RecipeVariant> select(ObjectNode recipe, String selector) {
        return RecipeOverrides.expand(recipe, Optional.of(RecipeSelector.parse(selector)));
    }

    private static RecipeVariant only(ObjectNode recipe, String selector) {
        List<RecipeVariant> variants = select(recipe, selector);
        assertThat(variants).hasSize(1);
        return variants.get(0);
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void deepMergeMergesMappingsReplacesListsAndScalarsAndNullDeletes() throws IOException {
        ObjectNode base = yaml("""
                a: {x: 1, y: {deep: 1, keep: 2}, list: [1, 2, 3]}
                b: 1
                gone: 5
                """);
        ObjectNode override = yaml("""
                a: {y: {deep: 9}, list: [7], z: new}
                b: {now: mapping}
                gone: null
                absent: null
                c: [x]
                """);

        ObjectNode merged = RecipeOverrides.deepMerge(base, override);

        assertThat(merged).isEqualTo(yaml("""
                a: {x: 1, y: {deep: 9, keep: 2}, list: [7], z: new}
                b: {now: mapping}
                c: [x]
                """));
        // Base's keys keep their place; keys only the override has come last.
        assertThat(keys(merged)).containsExactly("a", "b", "c");
        assertThat(keys(merged.get("a"))).containsExactly("x", "y", "list", "z");
    }

    @Test
    void deepMergeLeavesBothInputsAsTheyWere() throws IOException {
        ObjectNode base = yaml("a: {x: 1}\nl: [1]\n");
        ObjectNode override = yaml("a: {x: 2, y: {z: 1}}\nl: [2]\n");
        ObjectNode baseBefore = base.deepCopy();
        ObjectNode overrideBefore = override.deepCopy();

        ObjectNode merged = RecipeOverrides.deepMerge(base, override);
        ((ObjectNode) merged.at("/a/y")).put("z", 99);

        assertThat(base).isEqualTo(baseBefore);
        assertThat(override).isEqualTo(overrideBefore);
    }

    @Test
    void baseSelectorGivesBaseUnchanged() throws IOException {
        ObjectNode recipe = recipe();

        RecipeVariant base = only(recipe, "base");

        assertThat(base.selector()).isEqualTo("base");
        assertThat(base.config()).isEqualTo(recipe.get("base"));
        assertThat(base.config().get("name").asText()).isEqualTo("dsr1-fp8-1k1k");
    }

    @Test
    void overrideIsMergedOntoBaseAndNamedAfterBaseAndItsSuffix() throws IOException {
        RecipeVariant lowmem = only(recipe(), "override_lowmem");
        ObjectNode config = lowmem.config();

        assertThat(lowmem.selector()).isEqualTo("override_lowmem");
        assertThat(config.get("name").asText()).isEqualTo("dsr1-fp8-1k1k_lowmem");
        assertThat(config.at("/backend/sglang_config/prefill/mem-fraction-static").doubleValue()).isEqualTo(0.7);
        assertThat(config.at("/backend/sglang_config/decode/mem-fraction-static").doubleValue()).isEqualTo(0.7);
        // Untouched siblings come from base.
        assertThat(config.at("/backend/sglang_config/prefill/context-length").intValue()).isEqualTo(2200);
        assertThat(config.at("/resources/decode_workers").intValue()).isEqualTo(2);
        assertThat(config.has("override_lowmem")).isFalse();
        assertThat(config.has("base")).isFalse();
    }

    @Test
    void overrideWithItsOwnNameKeepsItAndItsNullsAndListsFollowTheMergeRules() throws IOException {
        ObjectNode config = only(recipe(), "override_tp4").config();

        assertThat(config.get("name").asText()).isEqualTo("dsr1-tp4-named");
        assertThat(config.at("/backend/prefill_environment").has("SGLANG_ENABLE_JIT_DEEPGEMM")).isFalse();
        assertThat(config.at("/backend/prefill_environment/PYTHONUNBUFFERED").asText()).isEqualTo("1");
        assertThat(config.at("/backend/sglang_config/decode/cuda-graph-bs")).isEqualTo(yaml("l: [16]").get("l"));
        assertThat(config.at("/benchmark/concurrencies")).isEqualTo(yaml("l: [1, 2]").get("l"));
        assertThat(config.at("/backend/sglang_config/decode/tensor-parallel-size").intValue()).isEqualTo(4);
    }

    @Test
    void zipVariantTakesTheIthElementBroadcastsSingletonsAndScalarsAndUsesListsOfListsLiterally() throws IOException {
        ObjectNode recipe = recipe();

        List<RecipeVariant> group = select(recipe, "zip_override_lowlat");

        assertThat(group).extracting(RecipeVariant::selector)
                .containsExactly("zip_override_lowlat[0]", "zip_override_lowlat[1]", "zip_override_lowlat[2]");
        assertThat(group).extracting(v -> v.config().at("/resources/decode_nodes").intValue()).containsExactly(1, 2, 4);
        assertThat(group).extracting(v -> v.config().at("/benchmark/concurrencies").toString())
                .containsExactly("[1,2]", "[4,8]", "[16]");
        assertThat(group).allSatisfy(v -> {
            assertThat(v.config().at("/backend/sglang_config/decode/mem-fraction-static").doubleValue()).isEqualTo(0.8);
            assertThat(v.config().at("/backend/sglang_config/decode/disable-radix-cache").asBoolean(true)).isFalse();
            assertThat(v.config().at("/backend/sglang_config/decode/cuda-graph-bs").size()).isEqualTo(4);
            assertThat(v.config().at("/backend/decode_environment/PYTHONUNBUFFERED").asText()).isEqualTo("1");
        });
        assertThat(group).extracting(v -> v.config().get("name").asText())
                .containsExactly("dsr1-fp8-1k1k_lowlat_0", "dsr1-fp8-1k1k_lowlat_1", "dsr1-fp8-1k1k_lowlat_2");
        // A null element deletes the key in that variant only.
        assertThat(group.get(1).config().at("/backend/decode_environment/SGLANG_DECODE_BOOTSTRAP_TIMEOUT").asText())
                .isEqualTo("1000");
        assertThat(group.get(2).config().at("/backend/decode_environment").has("SGLANG_DECODE_BOOTSTRAP_TIMEOUT"))
                .isFalse();
        assertThat(only(recipe, "zip_override_lowlat[1]")).isEqualTo(group.get(1));
    }

    @Test
    void zipNamesComeFromANameListOnly() throws IOException {
        assertThat(select(recipe(), "zip_override_maxtpt")).extracting(v -> v.config().get("name").asText())
                .containsExactly("dsr1-maxtpt-a", "dsr1-maxtpt-b");

        ObjectNode scalarName = yaml("""
                base: {name: b, x: 1}
                zip_override_g: {name: same, x: [1, 2]}
                """);
        assertThat(select(scalarName, "zip_override_g")).extracting(v -> v.config().get("name").asText())
                .containsExactly("b_g_0", "b_g_1");
    }

    @Test
    void aBaseWithoutNameIsUnnamed() throws IOException {
        ObjectNode recipe = yaml("""
                base: {x: 1}
                override_a: {x: 2}
                zip_override_g: {x: [3]}
                """);

        assertThat(only(recipe, "override_a").config().get("name").asText()).isEqualTo("unnamed_a");
        assertThat(only(recipe, "zip_override_g[0]").config().get("name").asText()).isEqualTo("unnamed_g_0");
    }

    @Test
    void withoutASelectorEveryOverrideThenEveryZipVariantInKeyOrderButNeverBase() throws IOException {
        assertThat(RecipeOverrides.expand(recipe(), Optional.empty())).extracting(RecipeVariant::selector)
                .containsExactly("override_lowmem", "override_tp4",
                        "zip_override_lowlat[0]", "zip_override_lowlat[1]", "zip_override_lowlat[2]",
                        "zip_override_maxtpt[0]", "zip_override_maxtpt[1]");
        assertThat(RecipeOverrides.expand(yaml("base: {x: 1}"), Optional.empty())).isEmpty();
    }

    @Test
    void globMatchesOverrideAndZipSectionNamesButNeverBase() throws IOException {
        ObjectNode recipe = recipe();

        assertThat(select(recipe, "*low*")).extracting(RecipeVariant::selector).containsExactly("override_lowmem",
                "zip_override_lowlat[0]", "zip_override_lowlat[1]", "zip_override_lowlat[2]");
        assertThat(select(recipe, "override_tp?")).extracting(RecipeVariant::selector).containsExactly("override_tp4");
        // [seq] is fnmatch's character set, not an index: these keys end in m or 4.
        assertThat(select(recipe, "*[m4]")).extracting(RecipeVariant::selector)
                .containsExactly("override_lowmem", "override_tp4");
        assertThat(select(recipe, "override_[!l]*")).extracting(RecipeVariant::selector).containsExactly("override_tp4");
        assertThatThrownBy(() -> select(recipe, "ba*"))
                .isInstanceOf(RecipeSelectorException.class)
                .hasMessage("no section matches 'ba*'; sections: override_lowmem, override_tp4,"
                        + " zip_override_lowlat[i], zip_override_maxtpt[i]");
    }

    @Test
    void globCharactersOtherThanStarQuestionAndSetsAreLiteral() {
        assertThat(io.sweepd.files.Fnmatch.pattern("a.b+(c)*").matcher("a.b+(c)xyz").matches()).isTrue();
        assertThat(io.sweepd.files.Fnmatch.pattern("a.b*").matcher("aXb").matches()).isFalse();
        assertThat(io.sweepd.files.Fnmatch.pattern("x[&&y]?").matcher("x&z").matches()).isTrue();
        assertThat(io.sweepd.files.Fnmatch.pattern("x[*").matcher("x[abc").matches()).isTrue();
    }

    @Test
    void selectorsNamingNothingSayWhatTheRecipeOffers() throws IOException {
        ObjectNode recipe = recipe();

        assertThatThrownBy(() -> select(recipe, "override_highmem"))
                .isInstanceOf(RecipeSelectorException.class)
                .hasMessage("no section override_highmem; sections: override_lowmem, override_tp4,"
                        + " zip_override_lowlat[i], zip_override_maxtpt[i]");
        assertThatThrownBy(() -> select(recipe, "zip_override_midlat[0]"))
                .hasMessage("no section zip_override_midlat; zip sections: zip_override_lowlat[i], zip_override_maxtpt[i]");
        assertThatThrownBy(() -> select(recipe, "zip_override_midlat"))
                .hasMessageStartingWith("no section zip_override_midlat; sections:");
    }

    @Test
    void anIndexPastTheLastVariantIsOutOfRange() throws IOException {
        assertThatThrownBy(() -> select(recipe(), "zip_override_lowlat[3]"))
                .isInstanceOf(RecipeSelectorException.class)
                .hasMessage("index [3] is out of range: zip_override_lowlat has 3 variants (valid: 0-2)");
        assertThatThrownBy(() -> select(recipe(), "zip_override_lowlat[99999999999]"))
                .hasMessageContaining("is out of range");
    }

    @Test
    void zipSectionsWhoseListsDoNotLineUpAreRefused() throws IOException {
        assertThatThrownBy(() -> select(yaml("base: {}\nzip_override_g: {a: [1, 2], b: {c: [1, 2, 3]}}"), "zip_override_g"))
                .isInstanceOf(RecipeSelectorException.class)
                .hasMessage("zip_override_g zips lists of lengths [2, 3]; every list must have the same length,"
                        + " or length 1 to apply to all");
        assertThatThrownBy(() -> select(yaml("base: {}\nzip_override_g: {a: 1}"), "zip_override_g[0]"))
                .hasMessage("zip_override_g has no list values, so nothing to zip");
        assertThatThrownBy(() -> select(yaml("base: {}\nzip_override_g: {a: [], b: [1, 2]}"), "zip_override_g[0]"))
                .hasMessageContaining("has an empty list");
    }

    @Test
    void allSingletonListsMakeOneVariant() throws IOException {
        assertThat(select(yaml("base: {a: 0}\nzip_override_g: {a: [5]}"), "zip_override_g"))
                .singleElement().satisfies(v -> assertThat(v.config().get("a").intValue()).isEqualTo(5));
    }

    @Test
    void sectionsThatAreNotMappingsAreRefused() throws IOException {
        assertThatThrownBy(() -> select(yaml("base: [1]\noverride_a: {}"), "override_a"))
                .isInstanceOf(RecipeSelectorException.class).hasMessage("base must be a mapping of recipe keys, found array");
        assertThatThrownBy(() -> select(yaml("base: {}\noverride_a:\n"), "override_a"))
                .hasMessage("override_a must be a mapping of recipe keys, found null");
    }
}
