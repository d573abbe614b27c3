package io.sweepd.sweep;

import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The sweep parser fuzzed: whatever text or bytes land in the inbox, {@link SweepParser} (and {@link Yaml#read}
 * under it) either returns a sweep or throws the one error type of data files, {@link YamlFieldException}, naming
 * the file and a line (0 when the whole file is at fault) — never another exception, never a stack overflow,
 * never a hang. The daemon turns exactly that exception into an {@code .error.txt}; anything else would be a stack
 * trace in the log and no explanation for the user.
 *
 * <p>jqwik shrinks a failing input to a small one and keeps its seed in {@code .jqwik-database}, so the next run
 * tries it first. The tries are bounded so this class adds seconds, not minutes, to the unit layer.
 */
class SweepParserFuzzTest {

    private static final String FILE = "fuzzed.yaml";

    /** The default intake limits, as the daemon reads inbox files. */
    private final SweepParser parser = new SweepParser();

    private static Path dir;
    private static byte[] validSweep;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("sweepd-fuzz");
        try (InputStream in = SweepParserFuzzTest.class.getResourceAsStream("/render/dsr1-disagg.yaml")) {
            validSweep = in.readAllBytes();
        }
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Property(tries = 1000)
    void anyTextParsesOrIsRefusedWithFileAndLine(@ForAll("anyText") String text) {
        Statistics.collect(parsesOrRefuses(() -> parser.parse(text, FILE, dir)));
    }

    @Property(tries = 1000)
    void yamlShapedTextParsesOrIsRefusedWithFileAndLine(@ForAll("yamlish") String text) {
        Statistics.collect(parsesOrRefuses(() -> parser.parse(text, FILE, dir)));
    }

    /** Well-formed YAML of random shape with the sweep's keys: gets past the reader into the sweep's own checks. */
    @Property(tries = 1000)
    void wellFormedTreesOfSweepKeysParseOrAreRefused(@ForAll("trees") Object tree) {
        String text = block(tree, "");
        Statistics.collect(parsesOrRefuses(() -> parser.parse(text, FILE, dir)));
    }

    /** The reader alone, both with the intake limits and without (how profiles and rules are read). */
    @Property(tries = 500)
    void yamlReaderReturnsATreeOrAFieldError(@ForAll("yamlish") String text) {
        parsesOrRefuses(() -> Yaml.read(FILE, text, SweepLimits.DEFAULT.yaml()));
        Statistics.collect(parsesOrRefuses(() -> Yaml.read(FILE, text)));
    }

    /** Raw bytes from disk, through the same path intake takes (undecodable bytes included). */
    @Property(tries = 300)
    void anyBytesFromAFileParseOrAreRefused(@ForAll byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(FILE), bytes);
        Statistics.collect(parsesOrRefuses(() -> parser.parse(file), file.toString()));
    }

    /** A real sweep with a few bytes overwritten: gets much deeper into the parser than random bytes do. */
    @Property(tries = 1000)
    void aValidSweepWithBytesFlippedParsesOrIsRefused(@ForAll("flips") List<Tuple.Tuple2<Integer, Byte>> flips)
            throws IOException {
        byte[] bytes = validSweep.clone();
        for (Tuple.Tuple2<Integer, Byte> flip : flips) {
            bytes[flip.get1() % bytes.length] = flip.get2();
        }
        Path file = Files.write(dir.resolve(FILE), bytes);
        Statistics.collect(parsesOrRefuses(() -> parser.parse(file), file.toString()));
    }

    private static String parsesOrRefuses(Supplier<?> parse) {
        return parsesOrRefuses(parse, FILE);
    }

    /**
     * Runs the parse on a thread of its own with a generous bound, so a hang fails the try (and is shrunk) instead of
     * stopping the build; an Error such as StackOverflowError fails it too.
     */
    static String parsesOrRefuses(Supplier<?> parse, String file) {
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), parse::get, "the parser did not return");
            return "parsed";
        } catch (YamlFieldException e) {
            assertThat(e.file()).as(e.getMessage()).isEqualTo(file);
            assertThat(e.line()).as(e.getMessage()).isGreaterThanOrEqualTo(0);
            assertThat(e.column()).as(e.getMessage()).isGreaterThanOrEqualTo(0);
            assertThat(e.problem()).as(e.getMessage()).isNotBlank();
            return "refused";
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(400),
                Arbitraries.strings().withCharRange(' ', '~').withChars("\t\n\r\u0000\u0085\u2028\uFEFF")
                        .ofMaxLength(400));
    }

    /** Sweep keys the parser knows and a few it does not. */
    static final List<String> KEYS = List.of("sweep", "name", "schedule", "baseline", "profile", "generate",
            "filters", "runner-config", "disable-workarounds", "override-preflight", "image", "model", "model-prefix",
            "runner", "precision", "framework", "multinode", "disagg", "seq-len-configs", "scenarios",
            "fixed-seq-len", "agentic-coding", "isl", "osl", "search-space", "duration", "tp", "ep", "dp-attn",
            "spec-decoding", "prefill", "decode", "offloading", "conc-start", "conc-end", "conc-list", "num-worker",
            "additional-settings", "config-keys", "evals", "min-conc", "max-conc", "conc", "step-size",
            "single-node", "multi-node", "dsr1-fp8-h200-vllm", "gptoss-fp4-h100", "unknown-key", "Tp", "");

    private static final List<String> SCALARS = List.of("1", "8", "0", "-1", "1024", "8192", "true", "false",
            "yes", "no", "on", "~", "null", "1.5", ".inf", ".nan", "0x10", "0b101", "010", "1_000", "1:30", "0x_",
            "0b_", "+0x", "99999999999999999999999", "mtp", "none", "cpu", "vllm", "fp8", "h100", "all",
            "vllm/vllm-openai:v0.18.0", "CONFIG_FILE=recipes/x.yaml", "$(touch /tmp/pwned)", "`id`", "a; rm -rf /",
            "\"quoted\"", "'single'", "\"unterminated", "'unterminated", "!!binary aGVsbG8=", "!shell ls",
            "!!python/object:os.system ls", "!!int \"4\"", "!!str 4", "&anchor 4", "*anchor", "&a [1, 2]", "*a",
            "[1, 2, 4]", "[]", "{}", "{tp: 1, ep: 8}", "[", "{", "]", "}", "|", ">-", "? key", "%YAML 1.1", "---",
            "...", "#comment", "\t", "\u0000", "\u0007", "\u001b[31m", "\u00ff\u00fe", "\uFEFF", "\u2028");

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> indent = Arbitraries.oneOf(Arbitraries.of("", "  ", "    ", "      ", "\t", " \t"),
                Arbitraries.strings().withChars(' ').ofMaxLength(12));
        Arbitrary<String> dash = Arbitraries.of("", "", "- ", "-", "? ");
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(KEYS).map(k -> k + ": ")),
                Tuple.of(1, Arbitraries.of(KEYS).map(k -> "\"" + k + "\": ")),
                Tuple.of(1, Arbitraries.of(KEYS).map(k -> k + ":")),
                Tuple.of(2, Arbitraries.just("")));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of(SCALARS)),
                Tuple.of(2, Arbitraries.integers().map(String::valueOf)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(2, flow()),
                Tuple.of(1, Arbitraries.strings().withChars('[', '{').ofMinLength(1).ofMaxLength(200)),
                Tuple.of(1, Arbitraries.integers().between(60_000, 70_000).map("v"::repeat)),
                Tuple.of(2, Arbitraries.just("")));
        Arbitrary<String> line = Combinators.combine(indent, dash, key, value, Arbitraries.of("", "", " # note"))
                .as((i, d, k, v, c) -> i + d + k + v + c);
        return line.list().ofMaxSize(40).map(lines -> String.join("\n", lines));
    }

    /** Flow collections nested a few levels, with scalars and keys from the vocabulary. */
    private static Arbitrary<String> flow() {
        Arbitrary<String> leaf = Arbitraries.of(SCALARS);
        Arbitrary<String> list = leaf.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> map = Combinators.combine(Arbitraries.of(KEYS), Arbitraries.oneOf(leaf, list))
                .as((k, v) -> k + ": " + v).list().ofMaxSize(4).map(items -> "{" + String.join(", ", items) + "}");
        return Arbitraries.oneOf(list, map, map.list().ofMaxSize(3).map(items -> "[" + String.join(", ", items) + "]"));
    }

    /** Plain scalars that keep the document well-formed, typed every way YAML 1.1 types them. */
    private static final List<String> PLAIN = List.of("1", "8", "0", "-1", "1024", "8192", "65536", "true", "false",
            "yes", "off", "~", "1.5", ".inf", "0x10", "010", "1_000", "1:30", "99999999999999999999999", "mtp", "none",
            "cpu", "vllm", "fp8", "h100", "all", "full-sweep", "only", "\"8\"", "'true'", "\"\"", "[]", "{}",
            "vllm/vllm-openai:v0.18.0", "\"CONFIG_FILE=recipes/x.yaml\"", "\"$(touch /tmp/pwned)\"", "\"a b\"",
            "\"0 3 * * *\"", "runners.yaml", "../../etc/passwd", "!!str 4", "!!int 4", "!!binary aGVsbG8=");

    /** Maps of sweep keys, lists and scalars, nested up to five levels. */
    @Provide
    Arbitrary<Object> trees() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.of(PLAIN),
                Arbitraries.integers().map(String::valueOf), Arbitraries.strings().alpha().numeric().withChars("-_.")
                        .ofMinLength(1).ofMaxLength(12));
        return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(KEYS).filter(k -> !k.isEmpty()), inner).as(Map::entry).list()
                        .ofMinSize(1).ofMaxSize(4).uniqueElements(Map.Entry::getKey)
                        .map(entries -> (Object) new LinkedHashMap<>(Map.ofEntries(entries.toArray(Map.Entry[]::new)))),
                inner.list().ofMinSize(1).ofMaxSize(3).map(items -> (Object) items)), 1, 5);
    }

    /** The tree in block style, the way people write sweeps. */
    @SuppressWarnings("unchecked")
    static String block(Object node, String indent) {
        StringBuilder out = new StringBuilder();
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                out.append(indent).append(entry.getKey()).append(':');
                out.append(entry.getValue() instanceof String scalar ? " " + scalar + "\n"
                        : "\n" + block(entry.getValue(), indent + "  "));
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                out.append(indent).append('-');
                out.append(item instanceof String scalar ? " " + scalar + "\n" : "\n" + block(item, indent + "  "));
            }
        } else {
            out.append(indent).append(node).append('\n');
        }
        return out.toString();
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> flips() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.oneOf(Arbitraries.bytes(),
                        Arbitraries.of((byte) ':', (byte) '-', (byte) ' ', (byte) '\t', (byte) '\n', (byte) '[',
                                (byte) '{', (byte) '&', (byte) '*', (byte) '!', (byte) '"', (byte) '\'', (byte) '#',
                                (byte) '0', (byte) 0xC3)))
                .as(Tuple::of).list().ofMinSize(1).ofMaxSize(6);
    }
}
