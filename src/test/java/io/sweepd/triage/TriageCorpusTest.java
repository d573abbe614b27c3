package io.sweepd.triage;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triage over the corpus of real failures ({@code triage-corpus/cases.yaml}: excerpts of public bug reports of
 * the engines, launchers and tools sweepd's jobs run) and over the second set ({@code triage-heldout/}), collected
 * after the signatures were written and measured once before any of them changed (README keeps that first look).
 * Measured, not case by case: the sets are what users meet, and a signature tuned to one excerpt would not move
 * these figures much. README's triage section shows them.
 */
class TriageCorpusTest {

    static final double CATEGORY_AT_LEAST = 0.90;
    static final double RETRY_AT_LEAST = 0.95;
    static final double EVIDENCE_AT_LEAST = 0.95;

    private static Triage triage;
    private static Corpus first;
    private static Corpus heldOut;
    /** The first corpus, which the helpers below ({@link #byId}, {@link #copy}) serve to other tests. */
    private static Path corpus;
    private static List<Case> cases;

    record Case(Path dir, String id, String source, String framework, Category category, boolean retryable,
            String evidence, String slurmState) {

        Path log() {
            return dir.resolve(id + ".log");
        }
    }

    record Corpus(String name, Path dir, List<Case> cases) {
    }

    @BeforeAll
    static void readCorpora() throws IOException, URISyntaxException {
        triage = new Triage(SignatureCatalog.shipped());
        first = read("triage-corpus");
        heldOut = read("triage-heldout");
        corpus = first.dir();
        cases = first.cases();
    }

    static Corpus read(String name) throws IOException, URISyntaxException {
        URL index = TriageCorpusTest.class.getResource("/" + name + "/cases.yaml");
        assertThat(index).as(name + "/cases.yaml on the test classpath").isNotNull();
        Path dir = Path.of(index.toURI()).getParent();
        List<Case> read = new ArrayList<>();
        for (JsonNode node : Json.YAML.readTree(index)) {
            String category = node.path("category").asText();
            read.add(new Case(dir, node.path("id").asText(), node.path("source").asText(),
                    node.path("framework").asText(),
                    Category.fromId(category).orElseThrow(() -> new AssertionError("unknown category " + category)),
                    node.path("retryable").asBoolean(), node.path("evidence").asText(),
                    node.hasNonNull("slurm-state") ? node.path("slurm-state").asText() : null));
        }
        return new Corpus(name, dir, read);
    }

    static TriageResult classify(Case c) {
        Path log = c.log();
        JobEvidence evidence = new JobEvidence(log.toString(), List.of(new JobEvidence.LogSource(log, c.id() + ".log")),
                c.slurmState() == null ? null : SlurmRecord.fromScontrol("scontrol.txt",
                        "JobId=4242 JobName=sweepd-" + c.id() + "\n   JobState=" + c.slurmState()
                                + " Reason=None Dependency=(null)\n   ExitCode=0:15\n"),
                null, null).withFramework(c.framework());
        return triage.classify(evidence);
    }

    /**
     * The quoted line is the expected one, whole or cut at triage's evidence limit. Triage quotes a line without
     * its leading and trailing blanks (a pasted log's indentation, a dashboard's {@code "  | "} gutter keeps only
     * its bar), so the expected line is compared the same way.
     */
    static boolean sameEvidence(String actual, String expected) {
        String line = expected.strip();
        if (actual.equals(line)) {
            return true;
        }
        return actual.endsWith("...") && line.startsWith(actual.substring(0, actual.length() - 3));
    }

    @Test
    void theCorpusHoldsEightyRealFailuresEachWithItsSourceAndItsLog() {
        assertThat(cases).hasSizeGreaterThanOrEqualTo(80);
        assertWellFormed(first);
    }

    /** The second set is new material: at least 40 cases, none from a thread the first corpus already quotes. */
    @Test
    void theHeldOutSetHoldsFortyNewFailuresFromOtherSources() {
        assertThat(heldOut.cases()).hasSizeGreaterThanOrEqualTo(40);
        assertWellFormed(heldOut);
        List<String> firstSources = first.cases().stream().map(Case::source).toList();
        assertThat(heldOut.cases()).allSatisfy(c -> assertThat(firstSources).as(c.id()).doesNotContain(c.source()));
    }

    private static void assertWellFormed(Corpus set) {
        assertThat(set.cases()).allSatisfy(c -> {
            assertThat(c.source()).as(c.id()).startsWith("https://");
            assertThat(c.log()).as(c.id()).isRegularFile();
            assertThat(c.evidence()).as(c.id()).isNotBlank();
            assertThat(Files.readString(c.log()).replaceAll("\u001B\\[[0-9;]*m", ""))
                    .as(c.id() + ": its evidence line is in its log").contains(c.evidence());
        });
        assertThat(set.cases().stream().map(Case::id).distinct().count()).isEqualTo(set.cases().size());
    }

    @Test
    void triageNamesTheCorpusRightOftenEnough() {
        assertMeetsThresholds(first);
    }

    @Test
    void triageNamesTheHeldOutSetRightOftenEnough() {
        assertMeetsThresholds(heldOut);
    }

    private static void assertMeetsThresholds(Corpus set) {
        int category = 0;
        int retry = 0;
        int evidence = 0;
        List<String> misses = new ArrayList<>();
        Map<String, int[]> byFamily = new TreeMap<>();
        for (Case c : set.cases()) {
            TriageResult result = classify(c);
            boolean categoryRight = result.category() == c.category();
            boolean retryRight = result.retryable() == c.retryable();
            boolean evidenceRight = sameEvidence(result.evidence(), c.evidence());
            category += categoryRight ? 1 : 0;
            retry += retryRight ? 1 : 0;
            evidence += evidenceRight ? 1 : 0;
            int[] family = byFamily.computeIfAbsent(c.framework(), f -> new int[2]);
            family[0]++;
            family[1] += categoryRight ? 1 : 0;
            if (!categoryRight || !retryRight || !evidenceRight) {
                misses.add(String.format(Locale.ROOT, "%s: expected %s/%s, got %s/%s via %s; evidence %s%n    %s",
                        c.id(), c.category(), c.retryable() ? "retry" : "no-retry", result.category(),
                        result.retryable() ? "retry" : "no-retry", result.signature(),
                        evidenceRight ? "right" : "wrong", evidenceRight ? "" : result.evidence()));
            }
        }
        int n = set.cases().size();
        String figures = String.format(Locale.ROOT,
                "%s: %d cases; category %d/%d (%.1f%%), retry decision %d/%d (%.1f%%), evidence line %d/%d"
                        + " (%.1f%%)", set.name(), n, category, n, 100.0 * category / n, retry, n, 100.0 * retry / n,
                evidence, n, 100.0 * evidence / n);
        System.out.println(figures);
        byFamily.forEach((family, counts) -> System.out.println("  " + family + ": " + counts[1] + "/" + counts[0]));
        misses.forEach(miss -> System.out.println("  miss " + miss));

        assertThat((double) category / n).as(figures + "\n" + String.join("\n", misses))
                .isGreaterThanOrEqualTo(CATEGORY_AT_LEAST);
        assertThat((double) retry / n).as(figures + "\n" + String.join("\n", misses))
                .isGreaterThanOrEqualTo(RETRY_AT_LEAST);
        assertThat((double) evidence / n).as(figures + "\n" + String.join("\n", misses))
                .isGreaterThanOrEqualTo(EVIDENCE_AT_LEAST);
    }

    /**
     * Every case of both sets as another collector would have kept it: each line stamped with a timestamp, tracebacks through
     * dist-packages instead of site-packages (and back), other numbers in the Python paths. The verdict must not
     * change: signatures match the error, not one log's surroundings.
     */
    @Test
    void everyCaseIsNamedAlikeWithTimestampsAndOtherInstallPaths(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        List<String> changed = new ArrayList<>();
        for (Case c : Stream.concat(first.cases().stream(), heldOut.cases().stream()).toList()) {
            TriageResult original = classify(c);
            List<String> variant = new ArrayList<>();
            int second = 0;
            for (String line : Files.readAllLines(c.log())) {
                String moved = line.contains("site-packages") ? line.replace("site-packages", "dist-packages")
                        : line.replace("dist-packages", "site-packages");
                moved = moved.replaceAll("python3\\.\\d+", "python3.13");
                variant.add(String.format(Locale.ROOT, "2026-01-%02dT10:%02d:%02d.%06dZ %s", 1 + second % 28,
                        second / 60 % 60, second % 60, 1000 + second, moved));
                second++;
            }
            Path log = Files.write(Files.createDirectories(dir.resolve(c.dir().getFileName().toString()))
                    .resolve(c.id() + ".log"), variant);
            TriageResult result = triage.classify(new JobEvidence(log.toString(),
                    List.of(new JobEvidence.LogSource(log, c.id() + ".log")),
                    c.slurmState() == null ? null : SlurmRecord.fromScontrol("scontrol.txt", "JobId=4242\n   JobState="
                            + c.slurmState() + " Reason=None\n   ExitCode=0:15\n"), null, null)
                    .withFramework(c.framework()));
            if (result.category() != original.category() || result.retryable() != original.retryable()
                    || !result.signature().equals(original.signature())) {
                changed.add(c.id() + ": " + original.signature() + " became " + result.signature());
            }
        }
        assertThat(changed).isEmpty();
    }

    static Case byId(String id) {
        return cases.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static String copy(Path dir, String id) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(id + ".log"), Files.readString(corpus.resolve(id + ".log"))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
