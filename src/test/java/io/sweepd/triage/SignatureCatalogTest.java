package io.sweepd.triage;

import io.sweepd.files.CatalogFiles;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped signatures, and how strictly a signature file is read. */
class SignatureCatalogTest {

    /** The source folder; the build copies it into the jar as classpath workarounds/signatures/. */
    private static final Path SHIPPED = Path.of("workarounds", "signatures");
    private static final Set<String> RULES = Set.of("rule-a", "rule-b");

    private static SignatureCatalog read(String yaml) {
        return SignatureCatalog.of(List.of(new CatalogFiles.Source("sigs.yaml", "sigs.yaml", yaml)), RULES);
    }

    private static final String VALID = """
            - id: gpu-oom
              category: gpu-out-of-memory
              match:
                log: 'CUDA out of memory.*capacity of (?<capacity>[\\d.]+) GiB'
              retryable: false
              diagnosis: "out of memory on a {capacity} GiB GPU ({exit-code})"
              suggested-workaround: rule-a
              why: test
            """;

    @Test
    void theIndexListsEverySignatureFileInFileNameOrderBecauseOrderIsPrecedence() throws IOException {
        List<String> listed = Files.readAllLines(SHIPPED.resolve("index.txt")).stream()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .toList();
        List<String> files;
        try (Stream<Path> listing = Files.list(SHIPPED)) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }

        assertThat(listed).isEqualTo(files);
    }

    @Test
    void theJarsSignaturesAreTheSourceFoldersInTheSameOrder() {
        Set<String> rules = Set.copyOf(WorkaroundCatalog.fromClasspath().ids());

        List<String> fromJar = SignatureCatalog.fromClasspath(CatalogFiles.defaultLoader(), rules).signatures()
                .stream().map(Signature::id).toList();
        List<String> fromFolder = SignatureCatalog.fromDirectory(SHIPPED, rules).signatures().stream()
                .map(Signature::id).toList();

        assertThat(fromJar).isEqualTo(fromFolder).hasSizeGreaterThan(30);
    }

    @Test
    void everySuggestedWorkaroundIsAShippedRuleAndEverySeedRuleIsSuggestedBySomeSignature() {
        Set<String> rules = Set.copyOf(WorkaroundCatalog.fromClasspath().ids());
        List<String> suggested = SignatureCatalog.shipped().signatures().stream()
                .map(Signature::suggestedWorkaround).filter(id -> id != null).toList();

        assertThat(rules).containsAll(suggested);
        assertThat(suggested).contains("dsv4-dynamo-vllm-pin-dynamo-commit", "dynamo-vllm-no-frontend-flags-on-workers",
                "dsv4-hopper-nccl-instead-of-nvshmem", "dsv4-indexer-memory-headroom", "dsv4-no-chat-template",
                "dynamo-vllm-cross-node-tp-needs-headless", "dsv4-multinode-slow-weight-load");
    }

    @Test
    void theShippedCatalogCoversEveryCategory() {
        Set<Category> covered = Set.copyOf(SignatureCatalog.shipped().signatures().stream()
                .map(Signature::category).toList());

        assertThat(covered).containsAll(Stream.of(Category.values()).filter(c -> c != Category.UNKNOWN).toList());
    }

    @Test
    void theSpecificOomComesBeforeTheGenericOneAndTheKnownNvshmemCaseBeforeTheFlakes() {
        List<String> ids = SignatureCatalog.shipped().signatures().stream().map(Signature::id).toList();

        assertThat(ids.indexOf("gpu-oom-weights-fill-gpu")).isLessThan(ids.indexOf("gpu-oom"));
        assertThat(ids.indexOf("dsv4-sparse-attention-indexer-oom")).isLessThan(ids.indexOf("gpu-oom"));
        assertThat(ids.indexOf("nvshmem-ipc-bootstrap-cu129")).isLessThan(ids.indexOf("communication-bootstrap-failed"));
        assertThat(SignatureCatalog.shipped().byId("nvshmem-ipc-bootstrap-cu129").orElseThrow().retryable()).isFalse();
        assertThat(SignatureCatalog.shipped().byId("communication-bootstrap-failed").orElseThrow().retryable()).isTrue();
    }

    @Test
    void aValidFileReadsIntoASignatureWithItsLine() {
        Signature signature = read("# comment\n" + VALID).signatures().get(0);

        assertThat(signature.id()).isEqualTo("gpu-oom");
        assertThat(signature.category()).isEqualTo(Category.GPU_OUT_OF_MEMORY);
        assertThat(signature.suggestedWorkaround()).isEqualTo("rule-a");
        assertThat(signature.source()).isEqualTo("sigs.yaml:2");
    }

    @Test
    void anUnknownKeyNamesFileLineAndField() {
        assertThatThrownBy(() -> read(VALID.replace("    log:", "    lgo:")))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining("sigs.yaml:4")
                .hasMessageContaining("sigs.yaml:4:5: field '[0].match.lgo'")
                .hasMessageContaining("unknown key 'lgo' (did you mean 'log'?)");
    }

    @Test
    void aWorkaroundIdNoRuleHasIsAnError() {
        assertThatThrownBy(() -> read(VALID.replace("rule-a", "rule-typo")))
                .isInstanceOf(YamlFieldException.class)
                .hasMessageContaining("sigs.yaml:7")
                .hasMessageContaining("no workaround rule has id 'rule-typo'");
    }

    @Test
    void leavingOutTheSuggestedWorkaroundIsAnErrorButNullIsADecision() {
        assertThat(read(VALID.replace("rule-a", "null")).signatures().get(0).suggestedWorkaround()).isNull();
        assertThatThrownBy(() -> read(VALID.replace("  suggested-workaround: rule-a\n", "")))
                .hasMessageContaining("sigs.yaml:1")
                .hasMessageContaining("has no 'suggested-workaround'");
    }

    @Test
    void aBadRegexAnUnknownCategoryAndAnUnknownPlaceholderAreErrorsAtTheirLine() {
        assertThatThrownBy(() -> read(VALID.replace("(?<capacity>", "(?<capacity")))
                .hasMessageContaining("sigs.yaml:4").hasMessageContaining("is not a valid regex");
        assertThatThrownBy(() -> read(VALID.replace("gpu-out-of-memory", "oom")))
                .hasMessageContaining("sigs.yaml:2").hasMessageContaining("unknown category 'oom'");
        assertThatThrownBy(() -> read(VALID.replace("{capacity}", "{capcity}")))
                .hasMessageContaining("sigs.yaml:6").hasMessageContaining("placeholder {capcity}");
    }

    @Test
    void slurmStatesExitCodesRatiosAndMissingFieldsAreChecked() {
        String stateOnly = VALID.replace("    log: 'CUDA out of memory.*capacity of (?<capacity>[\\d.]+) GiB'",
                "    slurm-state: [FAILD]").replace("{capacity}", "80");
        assertThatThrownBy(() -> read(stateOnly)).hasMessageContaining("'FAILD' is not a Slurm job state");
        assertThatThrownBy(() -> read(stateOnly.replace("slurm-state: [FAILD]", "exit-code: 53")))
                .hasMessageContaining("field '[0].match.exit-code': expected a string, got integer 53");
        assertThatThrownBy(() -> read(VALID.replace("GiB'\n", "GiB'\n    ratio: {of: weights, to: capacity, at-least: 0.9}\n")))
                .hasMessageContaining("'weights' is not a named group");
        assertThatThrownBy(() -> read(VALID.replace("  why: test\n", "")))
                .hasMessageContaining("missing required key 'why'");
        assertThatThrownBy(() -> read(VALID.replace("    log: 'CUDA out of memory.*capacity of (?<capacity>[\\d.]+) GiB'",
                "    no-log: true").replace("{capacity}", "80")))
                .hasMessageContaining("needs at least one of log, literal, slurm, slurm-state, exit-code, reason");
    }

    @Test
    void anIdUsedTwiceNamesBothPlaces() {
        assertThatThrownBy(() -> read(VALID + VALID))
                .hasMessageContaining("sigs.yaml:9")
                .hasMessageContaining("already used at sigs.yaml:1");
    }
}
