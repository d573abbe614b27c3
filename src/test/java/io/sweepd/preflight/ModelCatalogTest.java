package io.sweepd.preflight;

import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ModelCatalogTest {

    private static final Path SHIPPED = Path.of("models").toAbsolutePath();

    @TempDir
    Path tmp;

    private YamlFieldException loadError(String text) throws IOException {
        Files.writeString(tmp.resolve("facts.yaml"), text);
        try {
            ModelCatalog.load(List.of(tmp));
        } catch (YamlFieldException e) {
            return e;
        }
        throw new AssertionError("expected a YamlFieldException");
    }

    @Test
    void shippedFactsCoverTheSweepModels() {
        ModelCatalog catalog = ModelCatalog.load(List.of(SHIPPED));

        assertThat(catalog.lookup("deepseek-ai/DeepSeek-V4-Pro", "fp8")).isPresent();
        assertThat(catalog.lookup("deepseek-ai/DeepSeek-V4-Pro", "fp4")).isPresent();
        assertThat(catalog.lookup("deepseek-ai/DeepSeek-R1-0528", "fp8")).isPresent();
        assertThat(catalog.lookup("openai/gpt-oss-120b", "fp4")).isPresent();
        assertThat(catalog.lookup("MiniMaxAI/MiniMax-M2.5", "fp8")).isPresent();
        assertThat(catalog.lookup("openai/gpt-oss-120b", "fp8")).isEmpty();
    }

    @Test
    void dsv4Fp8TotalsTheQuotedSizeAndReproducesTheMeasuredPerRankLoad() {
        ModelFacts dsv4 = ModelCatalog.load(List.of(SHIPPED)).lookup("deepseek-ai/DeepSeek-V4-Pro", "fp8").orElseThrow();

        assertThat(dsv4.totalGb()).isCloseTo(862, within(0.5));
        assertThat(dsv4.replicatedGb()).isCloseTo(28.4, within(0.05));
        assertThat(RankWeights.of(dsv4, 16, 16, true).perRankGib()).isCloseTo(74.99, within(0.005));
    }

    @Test
    void shippedSizesMatchThePublishedCheckpoints() {
        ModelCatalog catalog = ModelCatalog.load(List.of(SHIPPED));

        assertThat(catalog.lookup("deepseek-ai/DeepSeek-V4-Pro", "fp4").orElseThrow().expertsGb())
                .isCloseTo(833.58 / 2, within(833.58 * 0.05)); // about half the FP8 expert bytes
        assertThat(catalog.lookup("deepseek-ai/DeepSeek-R1-0528", "fp8").orElseThrow().totalGb()).isCloseTo(690, within(5.0));
        assertThat(catalog.lookup("openai/gpt-oss-120b", "fp4").orElseThrow().totalGb()).isCloseTo(65, within(1.0));
        assertThat(catalog.lookup("MiniMaxAI/MiniMax-M2.5", "fp8").orElseThrow().totalGb()).isCloseTo(230, within(2.0));
    }

    @Test
    void lookupIgnoresCase() {
        ModelCatalog catalog = ModelCatalog.load(List.of(SHIPPED));

        assertThat(catalog.lookup("DeepSeek-AI/deepseek-v4-pro", "FP8")).isPresent();
    }

    @Test
    void defaultsAreReadThroughTheClasspathIndex() throws IOException {
        try (URLClassLoader jarLike = new URLClassLoader(new URL[]{SHIPPED.getParent().toUri().toURL()}, null)) {
            assertThat(ModelCatalog.loadDefaults(jarLike, List.of()).all()).hasSize(5);
        }
    }

    @Test
    void theBuildPutsTheShippedFactsOnTheClasspath() {
        assertThat(ModelCatalog.loadDefaults().lookup("deepseek-ai/DeepSeek-V4-Pro", "fp8")).isPresent();
    }

    @Test
    void aLaterDirectoryOverridesOneEntry() throws IOException {
        Files.writeString(tmp.resolve("site.yaml"), """
                deepseek-ai/DeepSeek-V4-Pro:
                  fp8: {replicated-gb: 30, experts-gb: 832, source: "measured on our cluster"}
                """);

        ModelCatalog catalog = ModelCatalog.load(List.of(SHIPPED, tmp));

        assertThat(catalog.lookup("deepseek-ai/DeepSeek-V4-Pro", "fp8").orElseThrow().replicatedGb()).isEqualTo(30);
        assertThat(catalog.lookup("deepseek-ai/DeepSeek-V4-Pro", "fp4").orElseThrow().replicatedGb()).isEqualTo(28.42);
    }

    @Test
    void aMissingSourceIsAnErrorAtItsEntry() throws IOException {
        YamlFieldException e = loadError("""
                org/Model:
                  fp8:
                    replicated-gb: 1
                    experts-gb: 2
                """);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("org/Model.fp8.source");
        assertThat(e.problem()).contains("missing required key 'source'");
    }

    @Test
    void anUnknownKeyIsAnError() throws IOException {
        YamlFieldException e = loadError("""
                org/Model:
                  fp8:
                    replicated-gb: 1
                    expert-gb: 2
                    source: x
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("org/Model.fp8.expert-gb");
        assertThat(e.problem()).contains("unknown key").contains("experts-gb");
    }

    @Test
    void aQuotedSizeIsAWrongType() throws IOException {
        YamlFieldException e = loadError("""
                org/Model:
                  fp8: {replicated-gb: "1", experts-gb: 2, source: x}
                """);

        assertThat(e.field()).isEqualTo("org/Model.fp8.replicated-gb");
        assertThat(e.problem()).contains("expected a number");
    }

    @Test
    void aNegativeSizeIsAnError() throws IOException {
        YamlFieldException e = loadError("""
                org/Model:
                  fp8: {replicated-gb: -1, experts-gb: 2, source: x}
                """);

        assertThat(e.field()).isEqualTo("org/Model.fp8");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void theSamePrecisionTwiceInAnotherCaseIsAnError() throws IOException {
        YamlFieldException e = loadError("""
                org/Model:
                  fp8: {replicated-gb: 1, experts-gb: 2, source: x}
                  FP8: {replicated-gb: 1, experts-gb: 2, source: x}
                """);

        assertThat(e.problem()).contains("listed twice");
    }

    @Test
    void aModelWithoutPrecisionsIsAnError() throws IOException {
        YamlFieldException e = loadError("org/Model: {}\n");

        assertThat(e.field()).isEqualTo("org/Model");
        assertThat(e.problem()).contains("lists no precision");
    }
}
