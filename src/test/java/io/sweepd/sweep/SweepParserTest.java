package io.sweepd.sweep;

import io.sweepd.Fixtures;
import io.sweepd.sweep.SweepFilters.EvalSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a valid sweep file becomes. Error cases are in {@link SweepParserErrorTest}. */
class SweepParserTest {

    private final SweepParser parser = new SweepParser();

    @Test
    void masterExcerptParsesEveryEntryInFileOrder() {
        SweepFile sweep = parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml"));

        assertThat(sweep.entries()).extracting(ConfigEntry::key).containsExactly(
                "gptoss-fp4-h100-vllm", "minimaxm2.5-fp8-h100-vllm", "dsr1-fp8-h100-dynamo-sglang",
                "dsr1-fp8-h100-dynamo-trt", "dsv4-fp8-h200-vllm", "dsv4-fp4-gb200-dynamo-vllm");
        ConfigEntry gptoss = sweep.entries().get(0);
        assertThat(gptoss.image()).isEqualTo("vllm/vllm-openai:v0.18.0");
        assertThat(gptoss.model()).isEqualTo("openai/gpt-oss-120b");
        assertThat(gptoss.modelPrefix()).isEqualTo("gptoss");
        assertThat(gptoss.runner()).isEqualTo("h100");
        assertThat(gptoss.precision()).isEqualTo("fp4");
        assertThat(gptoss.framework()).isEqualTo("vllm");
        assertThat(gptoss.multinode()).isFalse();
        assertThat(gptoss.disagg()).isFalse();
        assertThat(gptoss.seqLenConfigs()).extracting(SeqLenConfig::isl).containsExactly(1024, 8192);
        SearchSpaceItem first = gptoss.seqLenConfigs().get(0).searchSpace().get(0);
        assertThat(first).isEqualTo(new SearchSpaceItem(2, null, null, null, 4, 64, null, null, null));
    }

    @Test
    void multinodeItemKeepsWorkersAndLeavesAbsentAdditionalSettingsNull() {
        SweepFile sweep = parser.parse(Fixtures.fixture("inferencemax/master-excerpt.yaml"));

        ConfigEntry sglang = sweep.entries().get(2);
        assertThat(sglang.multinode()).isTrue();
        assertThat(sglang.disagg()).isTrue();
        SearchSpaceItem item = sglang.seqLenConfigs().get(0).searchSpace().get(0);
        assertThat(item.specDecoding()).isEqualTo("mtp");
        assertThat(item.concList()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
        assertThat(item.tp()).isNull();
        assertThat(item.prefill()).isEqualTo(new WorkerSpec(1, 16, 1, false,
                List.of("CONFIG_FILE=recipes/h100/1k1k/mtp/h100-fp8-1p2d-max-tp-mtp.yaml")));
        assertThat(item.decode()).isEqualTo(new WorkerSpec(2, 16, 1, false, null));
    }

    @Test
    void sweepNameDefaultsToTheFileNameWithoutExtensionAndBaseDirIsTheAbsoluteParent() {
        Path file = Fixtures.fixture("seed-pr/sweep.yaml");

        SweepFile sweep = parser.parse(file);

        assertThat(sweep.name()).isEqualTo("sweep");
        assertThat(sweep.settings().name()).isEqualTo("sweep");
        assertThat(sweep.baseDir()).isEqualTo(file.toAbsolutePath().normalize().getParent());
        assertThat(sweep.baseDir().isAbsolute()).isTrue();
        assertThat(sweep.source()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(sweep.settings().filters()).isEqualTo(SweepFilters.NONE);
    }

    @Test
    void relativePathStillGivesAnAbsoluteBaseDir(@TempDir Path dir) throws IOException {
        Path file = Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), dir.resolve("dsv4-h100.yml"));
        Path relative = Path.of("").toAbsolutePath().relativize(file);

        SweepFile sweep = parser.parse(relative);

        assertThat(sweep.name()).isEqualTo("dsv4-h100");
        assertThat(sweep.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void sweepBlockIsReadIntoSettingsAndFilters() throws URISyntaxException {
        SweepFile sweep = parser.parse(resource("with-settings.yaml"));

        SweepBlock settings = sweep.settings();
        assertThat(sweep.name()).isEqualTo("nightly-h100");
        assertThat(settings.name()).isEqualTo("nightly-h100");
        assertThat(settings.schedule()).isEqualTo("0 0 2 ? * MON-FRI");
        assertThat(settings.baseline()).isEqualTo("previous");
        assertThat(settings.profile()).isEqualTo("local");
        assertThat(settings.filters()).isEqualTo(new SweepFilters(
                List.of("dsv4", "gptoss"), List.of("fp8"), List.of("vllm", "dynamo-vllm"),
                List.of("h100"), List.of("1k1k", "8k1k"), 4, 256, 8, 8, true, false,
                EvalSelection.EXCLUDE));
        assertThat(sweep.entries()).hasSize(1);
        SearchSpaceItem item = sweep.entries().get(0).seqLenConfigs().get(0).searchSpace().get(0);
        assertThat(item).isEqualTo(new SearchSpaceItem(2, 2, true, "mtp", null, null, List.of(8, 16), null, null));
    }

    @Test
    void sweepBlockMayComeAfterTheEntriesAndFiltersDefaultToNone() {
        String yaml = """
                a-key:
                  image: i
                  model: m
                  model-prefix: p
                  runner: r
                  precision: fp8
                  framework: vllm
                  multinode: false
                  seq-len-configs:
                  - {isl: 1, osl: 1, search-space: [{tp: 1, conc-list: [1]}]}
                sweep:
                  name: later
                """;

        SweepFile sweep = parser.parse(yaml, "x.yaml", Path.of("/srv/sweeps"));

        assertThat(sweep.name()).isEqualTo("later");
        assertThat(sweep.settings().filters()).isEqualTo(SweepFilters.NONE);
        assertThat(sweep.baseDir()).isEqualTo(Path.of("/srv/sweeps"));
        assertThat(sweep.source()).isEqualTo(Path.of("/srv/sweeps/x.yaml"));
    }

    @Test
    void yamlOneOneBooleanWordsAreBooleansAsInPyYaml() {
        String yaml = """
                k:
                  image: i
                  model: m
                  model-prefix: p
                  runner: r
                  precision: fp8
                  framework: vllm
                  multinode: no
                  seq-len-configs:
                  - {isl: 1, osl: 1, search-space: [{tp: 1, dp-attn: yes, conc-start: 1, conc-end: 2}]}
                """;

        SweepFile sweep = parser.parse(yaml, "k.yaml", null);

        assertThat(sweep.entries().get(0).multinode()).isFalse();
        assertThat(sweep.entries().get(0).seqLenConfigs().get(0).searchSpace().get(0).dpAttn()).isTrue();
    }

    @Test
    void defaultNameStripsYamlAndYmlOnly() {
        assertThat(SweepParser.defaultName("/a/b/nightly.yaml")).isEqualTo("nightly");
        assertThat(SweepParser.defaultName("nightly.YML")).isEqualTo("nightly");
        assertThat(SweepParser.defaultName("nightly.v2.json")).isEqualTo("nightly.v2.json");
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SweepParserTest.class.getResource("/sweeps/" + name).toURI());
    }
}
