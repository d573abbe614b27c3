package io.sweepd.workarounds;

import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkaroundCatalogTest {

    @TempDir
    Path tmp;

    private Path write(String relative, String text) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String rule(String id, String why) {
        return "- {id: " + id + ", do: {remove: [x]}, why: " + why + "}\n";
    }

    @Test
    void directoryRulesAreReadFromYamlFilesInNameOrder() throws IOException {
        write("base/b.yaml", rule("from-b", "b"));
        write("base/a.yml", rule("from-a", "a") + rule("also-a", "a"));
        write("base/notes.txt", "not rules");
        write("base/index.txt", "b.yaml\n");

        WorkaroundCatalog catalog = WorkaroundCatalog.fromDirectory(tmp.resolve("base"));

        assertThat(catalog.ids()).containsExactly("from-a", "also-a", "from-b");
        assertThat(catalog.rules().get(2).source()).isEqualTo(tmp.resolve("base/b.yaml") + ":1");
    }

    @Test
    void laterDirectoryReplacesARuleByIdInPlaceAndAppendsNewOnes() throws IOException {
        write("shipped/rules.yaml", rule("first", "shipped") + rule("second", "shipped") + rule("third", "shipped"));
        write("site/override.yaml", rule("second", "site") + rule("site-only", "site"));

        WorkaroundCatalog catalog = WorkaroundCatalog.load(false, List.of(tmp.resolve("shipped"), tmp.resolve("site")));

        assertThat(catalog.ids()).containsExactly("first", "second", "third", "site-only");
        assertThat(catalog.byId("second").orElseThrow().why()).isEqualTo("site");
        assertThat(catalog.byId("first").orElseThrow().why()).isEqualTo("shipped");
    }

    @Test
    void sameIdInTwoFilesOfOneDirectoryIsAnError() throws IOException {
        write("dir/a.yaml", rule("dup", "a"));
        write("dir/b.yaml", "# header\n" + rule("dup", "b"));

        assertThatThrownBy(() -> WorkaroundCatalog.fromDirectory(tmp.resolve("dir")))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining(tmp.resolve("dir/b.yaml") + ":2")
                .hasMessageContaining("already used at " + tmp.resolve("dir/a.yaml") + ":1");
    }

    @Test
    void missingDirectoryIsAnError() {
        assertThatThrownBy(() -> WorkaroundCatalog.fromDirectory(tmp.resolve("absent")))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void badFileInADirectoryNamesTheFile() throws IOException {
        Path file = write("dir/bad.yaml", "- {id: r, do: {remove: [x]}, why: w, extra: 1}\n");

        assertThatThrownBy(() -> WorkaroundCatalog.fromDirectory(tmp.resolve("dir")))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageStartingWith(file + ":1:38: field 'r.extra'");
    }

    @Test
    void withoutLeavesTheNamedRulesOutAndKeepsTheOrder() {
        WorkaroundCatalog catalog = TestData.catalog(rule("a", "w") + rule("b", "w") + rule("c", "w"));

        WorkaroundCatalog withoutB = catalog.without(Set.of("b"));

        assertThat(withoutB.ids()).containsExactly("a", "c");
        assertThat(withoutB.byId("b")).isEmpty();
        assertThat(catalog.ids()).as("the original is unchanged").containsExactly("a", "b", "c");
        assertThat(catalog.without(Set.of())).extracting(WorkaroundCatalog::ids).isEqualTo(List.of("a", "b", "c"));
    }

    @Test
    void withoutAnUnknownIdIsAnErrorSoATypoNeverRunsWithEveryRule() {
        WorkaroundCatalog catalog = TestData.catalog(rule("a", "w"));

        assertThatThrownBy(() -> catalog.without(Set.of("a", "typo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no workaround with id typo; known ids: a");
    }

    @Test
    void byIdFindsARule() {
        WorkaroundCatalog catalog = TestData.shipped();

        assertThat(catalog.byId("dsv4-no-chat-template")).get()
                .extracting(WorkaroundRule::ref).isEqualTo("InferenceMAX PR 1142, case 6");
        assertThat(catalog.byId("nope")).isEmpty();
    }

    @Test
    void classpathRulesAreTheFilesTheIndexListsInIndexOrder() throws IOException {
        write("cp/workarounds/index.txt", "# shipped\nz.yaml\n\na.yaml  # comment\n");
        write("cp/workarounds/z.yaml", rule("from-z", "z"));
        write("cp/workarounds/a.yaml", rule("from-a", "a"));
        write("cp/workarounds/unlisted.yaml", rule("unlisted", "u"));

        try (URLClassLoader loader = loaderFor(tmp.resolve("cp"))) {
            WorkaroundCatalog catalog = WorkaroundCatalog.fromClasspath(loader);

            assertThat(catalog.ids()).containsExactly("from-z", "from-a");
            assertThat(catalog.rules().get(0).source()).isEqualTo("classpath:workarounds/z.yaml:1");
        }
    }

    @Test
    void classpathWithoutAnIndexIsAnErrorNotAnEmptyCatalog() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        try (URLClassLoader loader = loaderFor(tmp.resolve("empty"))) {
            assertThatThrownBy(() -> WorkaroundCatalog.fromClasspath(loader))
                    .isInstanceOf(YamlFieldException.class)
                    .hasMessageStartingWith("classpath:workarounds/index.txt: not on the classpath");
        }
    }

    @Test
    void indexListingAMissingFileIsAnErrorNamingItsLine() throws IOException {
        write("cp/workarounds/index.txt", "a.yaml\ngone.yaml\n");
        write("cp/workarounds/a.yaml", rule("a", "a"));
        try (URLClassLoader loader = loaderFor(tmp.resolve("cp"))) {
            assertThatThrownBy(() -> WorkaroundCatalog.fromClasspath(loader))
                    .isInstanceOf(YamlFieldException.class)
                    .hasMessage("classpath:workarounds/index.txt:2: lists gone.yaml, which is not on the classpath");
        }
    }

    @Test
    void ofRejectsTwoRulesWithOneId() {
        List<WorkaroundRule> rules = WorkaroundRuleReader.read("x.yaml", rule("a", "w"));

        assertThatThrownBy(() -> WorkaroundCatalog.of(List.of(rules.get(0), rules.get(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' is used twice");
    }

    private static URLClassLoader loaderFor(Path root) throws IOException {
        // No parent: the test classpath must not leak a packaged workarounds/ folder into these tests.
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }
}
