package io.sweepd.workarounds;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The rules in the project's workarounds/ folder, as the jar ships them. */
class ShippedRulesTest {

    @Test
    void indexListsEveryRuleFileInFileNameOrder() throws IOException {
        List<String> listed = Files.readAllLines(TestData.SHIPPED_RULES.resolve(WorkaroundCatalog.INDEX)).stream()
                .map(line -> line.replaceFirst("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .toList();
        List<String> files;
        try (Stream<Path> listing = Files.list(TestData.SHIPPED_RULES)) {
            files = listing.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        }

        // Same order, so the jar (index) and a directory load apply rules in the same order.
        assertThat(listed).isEqualTo(files);
    }

    @Test
    void shipsARuleForEachWorkaroundCaseOfTheSeedPrAndTheGeneratorsEvalExclusion() {
        WorkaroundCatalog catalog = TestData.shipped();

        // InferenceMAX's per-model settings (inferencemax-single-node-*.yaml) have their own test: InferenceMaxSettingsTest.
        assertThat(catalog.ids().stream().filter(id -> !id.startsWith("inferencemax-"))).containsExactlyInAnyOrder(
                "dsv4-dynamo-vllm-pin-dynamo-commit",
                "dynamo-vllm-no-frontend-flags-on-workers",
                "dsv4-hopper-nccl-instead-of-nvshmem",
                "dsv4-indexer-memory-headroom",
                "dsv4-no-chat-template",
                "dynamo-vllm-cross-node-tp-needs-headless",
                "dsv4-multinode-slow-weight-load",
                "dsv4-h200-single-node-memory-fraction",
                "dsv4-pro-gb300-cw-dynamo-sglang-no-evals");
        for (int seedCase = 2; seedCase <= 8; seedCase++) {
            String ref = "InferenceMAX PR 1142, case " + seedCase;
            assertThat(catalog.rules()).as(ref).filteredOn(rule -> ref.equals(rule.ref())).hasSize(1);
        }
        assertThat(catalog.rules()).allSatisfy(rule -> {
            assertThat(rule.why()).isNotBlank();
            assertThat(rule.ref()).isNotBlank();
        });
    }

    @Test
    void classpathCopyMatchesTheSourceFolderWhenTheBuildPackagesIt() {
        assumeTrue(getClass().getClassLoader().getResource("workarounds/" + WorkaroundCatalog.INDEX) != null,
                "workarounds/ is not on the test classpath in this build");

        assertThat(WorkaroundCatalog.fromClasspath().rules()).isEqualTo(TestData.shipped().rules().stream()
                .map(rule -> new WorkaroundRule(rule.id(), rule.when(), rule.does(), rule.why(), rule.ref(),
                        "classpath:workarounds/" + Path.of(rule.file()).getFileName(), rule.line()))
                .toList());
    }
}
