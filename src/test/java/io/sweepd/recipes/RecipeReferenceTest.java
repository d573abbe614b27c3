package io.sweepd.recipes;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecipeReferenceTest {

    @Test
    void aPlainFileHasNoSelector() {
        assertThat(RecipeReference.parse("recipes/vllm/x.yaml"))
                .isEqualTo(new RecipeReference("recipes/vllm/x.yaml", Optional.empty()));
    }

    @Test
    void everySelectorFormSrtctlAcceptsParsesToItsKind() {
        assertThat(selectorOf("x.yaml:base")).isEqualTo(new RecipeSelector.Base());
        assertThat(selectorOf("x.yaml:override_stp_tp4")).isEqualTo(new RecipeSelector.OverrideSection("override_stp_tp4"));
        assertThat(selectorOf("x.yaml:zip_override_mtp_lowlat")).isEqualTo(new RecipeSelector.ZipGroup("zip_override_mtp_lowlat"));
        assertThat(selectorOf("x.yaml:zip_override_mtp_lowlat[12]"))
                .isEqualTo(new RecipeSelector.ZipVariant("zip_override_mtp_lowlat", 12));
        assertThat(selectorOf("x.yaml:*maxtpt*")).isEqualTo(new RecipeSelector.Glob("*maxtpt*"));
        assertThat(selectorOf("x.yaml:override_mtp?")).isEqualTo(new RecipeSelector.Glob("override_mtp?"));
    }

    @Test
    void selectorTextIsWhatWasWritten() {
        for (String selector : List.of("base", "override_a.b", "zip_override_a-b", "zip_override_a[3]", "zip_*[0]")) {
            assertThat(selectorOf("x.yaml:" + selector).text()).isEqualTo(selector);
        }
    }

    @Test
    void theFileIsEverythingBeforeTheLastColon() {
        RecipeReference reference = RecipeReference.parse("dir:with:colons/x.yaml:override_a");

        assertThat(reference.file()).isEqualTo("dir:with:colons/x.yaml");
        assertThat(reference.selector()).contains(new RecipeSelector.OverrideSection("override_a"));
    }

    @Test
    void anOverrideNameMayCarryAnyNonSpaceCharacterButAZipGroupOnlyWordCharacters() {
        // override_\S+ is what srtctl accepts; whether such a section exists is checked when expanding.
        assertThat(selectorOf("x.yaml:override_a[1]")).isEqualTo(new RecipeSelector.OverrideSection("override_a[1]"));
        assertThatThrownBy(() -> RecipeReference.parse("x.yaml:zip_override_a.b[1]"))
                .isInstanceOf(RecipeSelectorException.class)
                .hasMessageContaining("'zip_override_a.b[1]' is not a recipe selector");
    }

    @Test
    void somethingElseAfterTheColonIsRefusedNamingWhatIsAccepted() {
        for (String bad : List.of("x.yaml:lowmem", "x.yaml:", "x.yaml:override_", "x.yaml:zip_override_a[-1]",
                "x.yaml:override_a b", "x.yaml:BASE")) {
            assertThatThrownBy(() -> RecipeReference.parse(bad)).as(bad)
                    .isInstanceOf(RecipeSelectorException.class)
                    .hasMessageContaining("is not a recipe selector")
                    .hasMessageContaining("zip_override_<name>[i]");
        }
    }

    @Test
    void aSelectorWithoutAFileIsRefused() {
        assertThatThrownBy(() -> RecipeReference.parse(":base"))
                .isInstanceOf(RecipeSelectorException.class).hasMessage("no recipe file before ':base'");
    }

    @Test
    void everyConfigFileSelectorInBothSnapshotsOfBothMasterConfigsParses() throws IOException {
        Pattern configFile = Pattern.compile("CONFIG_FILE=([^\"'\\s]+)");
        List<String> withSelector = new ArrayList<>();
        for (String date : List.of("2026-05-01", "2026-06-03")) {
            for (String master : List.of("nvidia-master.yaml", "amd-master.yaml")) {
                Path file = Fixtures.fixture("inferencemax/snapshots/" + date + "/" + master);
                Matcher m = configFile.matcher(Files.readString(file));
                while (m.find()) {
                    if (m.group(1).contains(":")) {
                        withSelector.add(m.group(1));
                    }
                }
            }
        }

        // The issue counts 26 selector references in one nvidia-master.yaml; both snapshots carry them.
        assertThat(withSelector).hasSizeGreaterThanOrEqualTo(26);
        for (String value : withSelector) {
            RecipeReference reference = RecipeReference.parse(value);
            assertThat(reference.file()).as(value).endsWith(".yaml");
            assertThat(reference.selector()).as(value).get()
                    .isInstanceOfAny(RecipeSelector.OverrideSection.class, RecipeSelector.ZipVariant.class)
                    .satisfies(selector -> assertThat(reference.file() + ":" + selector.text()).isEqualTo(value));
        }
    }

    private static RecipeSelector selectorOf(String configFile) {
        return RecipeReference.parse(configFile).selector().orElseThrow();
    }
}
