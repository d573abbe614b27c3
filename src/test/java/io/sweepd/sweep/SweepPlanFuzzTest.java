package io.sweepd.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.plan.Planner;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderedJob;
import io.sweepd.render.Shell;
import io.sweepd.render.UnsafeValueException;
import io.sweepd.yaml.YamlFieldException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Valid sweeps, mutated: one value replaced by a random string, number, list or map, one key dropped or renamed.
 * Each either plans (and then every job of the plan renders: what {@code sweepd plan} calls fine, the daemon can
 * write) or is refused with a {@link YamlFieldException} naming the field. Values carrying shell metacharacters
 * either are refused with the field named or reach the job script only inside single quotes, and
 * {@link Shell#quote} round-trips such values through a real bash.
 */
class SweepPlanFuzzTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A valid sweep and the profile its points fit on. */
    private record Base(String name, Path file, String profile) {
    }

    private static List<Base> bases;
    private static Map<String, Planner> planners;
    private static Path home;
    private static Path out;

    @BeforeContainer
    static void plannersForEachProfile() throws IOException {
        home = Files.createTempDirectory("sweepd-plan-fuzz");
        out = Files.createDirectories(home.resolve("outputs"));
        bases = List.of(
                new Base("single-node", RenderFixtures.resource("gptoss-single-node.yaml"), "local"),
                new Base("disaggregated", RenderFixtures.resource("dsr1-disagg.yaml"), "local-h200"),
                new Base("agentic", RenderFixtures.resource("gptoss-agentic.yaml"), "local"),
                new Base("seed PR, with recipes", Fixtures.fixture("seed-pr/sweep.yaml"), "h200-dgxc-slurm"));
        planners = new java.util.HashMap<>();
        for (Base base : bases) {
            planners.computeIfAbsent(base.profile(), profile -> PlannerFactory.create(SweepdSettings.load(null,
                    Map.of(), Map.of("sweepd.home", home.toString(), "sweepd.profile", profile))));
        }
    }

    @AfterContainer
    static void removeHome() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    // ---- (b) one mutation of a valid sweep ----

    sealed interface Mutation {
        /** Applies itself to the tree; returns what it did, for the statistics and the failure message. */
        String apply(JsonNode root, int pick);
    }

    record Replace(JsonNode value) implements Mutation {
        @Override
        public String apply(JsonNode root, int pick) {
            Slot slot = pick(slots(root), pick);
            slot.set(value);
            return "replace " + slot.path() + " with " + value;
        }
    }

    record Drop() implements Mutation {
        @Override
        public String apply(JsonNode root, int pick) {
            Slot slot = pick(slots(root).stream().filter(s -> s.key() != null).toList(), pick);
            ((ObjectNode) slot.parent()).remove(slot.key());
            return "drop " + slot.path();
        }
    }

    record Rename(String newKey) implements Mutation {
        @Override
        public String apply(JsonNode root, int pick) {
            Slot slot = pick(slots(root).stream().filter(s -> s.key() != null).toList(), pick);
            ObjectNode parent = (ObjectNode) slot.parent();
            // Rebuild the map in order so the renamed key stays where it was written.
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            parent.fields().forEachRemaining(fields::add);
            parent.removeAll();
            for (Map.Entry<String, JsonNode> field : fields) {
                parent.set(field.getKey().equals(slot.key()) ? newKey : field.getKey(), field.getValue());
            }
            return "rename " + slot.path() + " to '" + newKey + "'";
        }
    }

    @Property(tries = 500)
    void aMutatedSweepPlansOrIsRefusedNamingTheField(@ForAll("bases") Base base, @ForAll("mutations") Mutation mutation,
                                                     @ForAll int pick) throws IOException {
        JsonNode tree = YAML.readTree(base.file().toFile());
        String what = mutation.apply(tree, pick);
        String text = YAML.writeValueAsString(tree);
        String outcome = planOrRefuse(base, text, what);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("mutation").collect(mutation.getClass().getSimpleName());
    }

    /**
     * Plans the text; a plan's jobs must then all render. Returns the outcome for the statistics.
     */
    private static String planOrRefuse(Base base, String text, String what) {
        Plan plan;
        try {
            SweepFile sweep = new SweepParser().parse(text, "mutated.yaml", base.file().getParent());
            plan = planners.get(base.profile()).plan(sweep);
        } catch (YamlFieldException e) {
            assertThat(e.file()).as(what + " -> " + e.getMessage()).isEqualTo("mutated.yaml");
            assertThat(e.line()).as(what + " -> " + e.getMessage()).isGreaterThanOrEqualTo(0);
            if (e.problem().startsWith("YAML syntax error")) {
                // What the YAML writer escaped in a way the reader does not take (\L for U+2028): line and column.
                assertThat(e.line()).as(what + " -> " + e.getMessage()).isPositive();
            } else if (e.field().isEmpty()) {
                // A whole-file error (no entries left): it must say what the file lacks.
                assertThat(e.problem()).as(what + " -> " + e.getMessage()).containsAnyOf("config", "file", "key");
            }
            return "refused: " + (e.field().isEmpty() ? "whole file" : "field named");
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": planning threw " + e + " instead of a YamlFieldException\n" + text, e);
        }
        for (PlannedPoint refused : plan.refusedPoints()) {
            assertThat(refused.enriched().refused()).as(what + ": a refused point says why").isNotBlank();
        }
        renderAll(plan, what);
        return plan.jobs().isEmpty() ? "planned, every point refused" : "planned and rendered";
    }

    private static List<RenderedJob> renderAll(Plan plan, String what) {
        List<RenderedJob> rendered = new ArrayList<>();
        for (PlannedJob job : plan.jobs()) {
            Path dir = out.resolve(job.jobKey());
            try {
                rendered.add(new JobRenderer().render(RenderFixtures.request(plan, job,
                        RenderFixtures.profile(job.profile()), dir)));
            } catch (RuntimeException e) {
                throw new AssertionError(what + ": job " + job.jobKey() + " planned but did not render: " + e, e);
            }
        }
        return rendered;
    }

    @Provide
    Arbitrary<Base> bases() {
        return Arbitraries.of(bases);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, values().map(Replace::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Drop())),
                net.jqwik.api.Tuple.of(2, Arbitraries.oneOf(Arbitraries.of(SweepParserFuzzTest.KEYS),
                        Arbitraries.strings().ofMaxLength(12)).map(Rename::new)));
    }

    /** A random YAML value: text (with metacharacters), numbers at the edges, booleans, null, lists and maps. */
    private static Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                metaStrings().map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.strings().all().ofMaxLength(30).map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.of("", "8", "true", "none", "mtp", "fp8", "1k1k", "CONFIG_FILE=x.yaml", "../../etc/passwd")
                        .map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.of(0, 1, -1, 2, 1024, 65536, Integer.MAX_VALUE).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
        Arbitrary<JsonNode> list = scalar.list().ofMaxSize(4).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> map = Combinators.combine(Arbitraries.of(SweepParserFuzzTest.KEYS), scalar)
                .as(Map::entry).list().ofMaxSize(3).map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(e -> object.set(e.getKey(), e.getValue()));
                    return object;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(2, list),
                net.jqwik.api.Tuple.of(2, map));
    }

    // ---- (c) values with shell metacharacters: refused, or quoted in the script ----

    /** The sweep's text fields that reach a job: each is set to a generated value. */
    private static final List<String> TEXT_FIELDS = List.of("image", "model", "model-prefix", "precision",
            "framework");

    @Property(tries = 300)
    void valuesWithShellMetacharactersAreRefusedOrQuotedInTheJobScript(
            @ForAll("metaStringLists") List<String> values, @ForAll boolean renameTheEntry) throws IOException {
        Base base = bases.get(0);
        ObjectNode tree = (ObjectNode) YAML.readTree(base.file().toFile());
        String entryKey = tree.fieldNames().next().equals("sweep") ? nthField(tree, 1) : nthField(tree, 0);
        ObjectNode entry = (ObjectNode) tree.get(entryKey);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < TEXT_FIELDS.size() && i < values.size(); i++) {
            entry.put(TEXT_FIELDS.get(i), values.get(i));
            placed.add(values.get(i));
        }
        if (renameTheEntry && values.size() > TEXT_FIELDS.size()) {
            String key = values.get(TEXT_FIELDS.size());
            new Rename(key).apply(tree, 0);
            placed.add(key);
        }
        String what = "values " + placed;
        String text = YAML.writeValueAsString(tree);
        Plan plan;
        try {
            plan = planners.get(base.profile()).plan(new SweepParser().parse(text, "meta.yaml", base.file().getParent()));
        } catch (YamlFieldException e) {
            // A value YAML cannot hold as written is a syntax error at its line; any other refusal names the field.
            if (e.problem().startsWith("YAML syntax error")) {
                assertThat(e.line()).as(what + " -> " + e.getMessage()).isPositive();
            } else {
                assertThat(e.field()).as(what + " -> " + e.getMessage()).isNotEmpty();
            }
            Statistics.collect("refused while parsing, field named");
            return;
        }
        for (PlannedPoint refused : plan.refusedPoints()) {
            String why = refused.enriched().refused();
            assertThat(why).as(what).isNotBlank();
            if (why.contains("render would refuse")) {
                assertThat(why).as(what).containsAnyOf("image", "model", "model-prefix", "precision", "framework",
                        "config key", "recipe");
            }
        }
        List<RenderedJob> rendered = renderAll(plan, what);
        for (RenderedJob job : rendered) {
            String script = Files.readString(job.script(), StandardCharsets.UTF_8);
            for (String value : placed) {
                assertQuotedWherever(value, script, what);
            }
        }
        Statistics.collect(rendered.isEmpty() ? "every point refused, field named" : "rendered, values quoted");
    }

    /** Through the one way the project runs programs: many values, one bash, each printed back verbatim. */
    @Property(tries = 60)
    void quotedValuesArriveVerbatimThroughBash(@ForAll("metaStringLists") List<String> values) throws IOException {
        Path canary = home.resolve("canary-" + System.nanoTime());
        List<String> words = new ArrayList<>(values);
        words.add("$(touch " + canary + ")");
        words.add("`touch " + canary + "`; touch " + canary);
        StringBuilder script = new StringBuilder("printf '%s\\0'");
        List<String> quotable = new ArrayList<>();
        for (String word : words) {
            try {
                script.append(' ').append(Shell.quote(word));
                quotable.add(word);
            } catch (UnsafeValueException e) {
                assertThat(word).as("only NUL and line breaks are refused").containsAnyOf("\0", "\n", "\r");
            }
        }
        CommandResult result = new CommandRunner(Map.of()).run(CommandSpec.of(Duration.ofSeconds(60), "bash", "-c",
                script.toString()));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(List.of(result.stdout().split("\0", -1))).as(script.toString())
                .containsExactlyElementsOf(withTrailingEmpty(quotable));
        assertThat(canary).as("no quoted value ran a command").doesNotExist();
        Statistics.collect(quotable.size() == words.size() ? "all quoted" : "some refused (NUL or line break)");
    }

    private static List<String> withTrailingEmpty(List<String> words) {
        List<String> out = new ArrayList<>(words);
        out.add("");
        return out;
    }

    /**
     * Text shaped to break out of a shell word: metacharacters, quotes, expansions, globs, plus the characters a
     * real image or model name has. No surrogate halves: bash would see their UTF-8 replacement, not them.
     */
    static Arbitrary<String> metaStrings() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                        .withChars("._:/@+=,#-").ofMinLength(1).ofMaxLength(8)),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().withChars(" \t$`;|&<>()[]{}*?~!\\'\"%^#=")
                        .ofMinLength(1).ofMaxLength(3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("$(id)", "${HOME}", "`id`", "'\\''", "\"$x\"", "a;b",
                        "&&", "||", "$((1+1))", "<(ls)", "\u00e9", "\u2028", "\u0000", "\n", "\r", "--flag", "-x")));
        return piece.list().ofMinSize(1).ofMaxSize(5).map(pieces -> String.join("", pieces));
    }

    @Provide
    Arbitrary<List<String>> metaStringLists() {
        return metaStrings().list().ofMinSize(1).ofMaxSize(8);
    }

    /**
     * Every occurrence of {@code value} in the script is plain text to bash: each character that bash would act on
     * stands inside single quotes (or is backslash-escaped, as {@code '\''} writes a quote), or in a comment line
     * the value cannot break out of.
     */
    static void assertQuotedWherever(String value, String script, String what) {
        if (value.isEmpty()) {
            return;
        }
        Literal[] state = quoting(script);
        for (int at = script.indexOf(value); at >= 0; at = script.indexOf(value, at + 1)) {
            for (int i = at; i < at + value.length(); i++) {
                char c = script.charAt(i);
                boolean harmless = Character.isLetterOrDigit(c) || "._:/@+=,-".indexOf(c) >= 0;
                if (!harmless && state[i] == Literal.NO) {
                    fail(what + ": value " + Shell.quote(value) + " stands unquoted in the job script at offset "
                            + i + ":\n" + line(script, i));
                }
            }
        }
    }

    /** The check above catches what it is for: a value outside quotes, or inside double quotes where $ expands. */
    @Example
    void theQuotingCheckFailsOnAnUnquotedValueAndPassesAQuotedOne() {
        assertThatThrownBy(() -> assertQuotedWherever("a;b", "echo a;b\n", "example")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertQuotedWherever("$(id)", "echo \"$(id)\"\n", "example"))
                .isInstanceOf(AssertionError.class);
        assertQuotedWherever("a;b", "echo 'a;b'\n# a;b in a comment\n", "example");
        assertQuotedWherever("it's", "echo " + Shell.quote("it's") + "\n", "example");
    }

    private enum Literal { YES, COMMENT, NO }

    /** For each character of a bash script, whether bash takes it literally: a small lexer of quotes and comments. */
    static Literal[] quoting(String script) {
        Literal[] state = new Literal[script.length()];
        boolean single = false;
        boolean dbl = false;
        boolean comment = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (comment) {
                state[i] = Literal.COMMENT;
                comment = c != '\n';
            } else if (single) {
                state[i] = c == '\'' ? Literal.NO : Literal.YES;
                single = c != '\'';
            } else if (c == '\\' && i + 1 < script.length()) {
                state[i] = Literal.YES;
                state[++i] = Literal.YES;
            } else if (dbl) {
                // Inside double quotes $ and ` still expand: nothing there counts as literal.
                state[i] = Literal.NO;
                dbl = c != '"';
            } else {
                state[i] = Literal.NO;
                if (c == '\'') {
                    single = true;
                } else if (c == '"') {
                    dbl = true;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(script.charAt(i - 1)))) {
                    comment = true;
                    state[i] = Literal.COMMENT;
                }
            }
        }
        return state;
    }

    private static String line(String script, int at) {
        int start = script.lastIndexOf('\n', at) + 1;
        int end = script.indexOf('\n', at);
        return script.substring(start, end < 0 ? script.length() : end);
    }

    // ---- the tree ----

    /** A place in the tree: a map's key or a list's index. */
    private record Slot(JsonNode parent, String key, int index, String path) {
        void set(JsonNode value) {
            if (key != null) {
                ((ObjectNode) parent).set(key, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, "", slots);
        return slots;
    }

    private static void collect(JsonNode node, String path, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String child = path.isEmpty() ? name : path + "." + name;
                slots.add(new Slot(object, name, -1, child));
                collect(object.get(name), child, slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                slots.add(new Slot(array, null, i, child));
                collect(array.get(i), child, slots);
            }
        }
    }

    private static Slot pick(List<Slot> slots, int pick) {
        return slots.get(Math.floorMod(pick, slots.size()));
    }

    private static String nthField(ObjectNode tree, int n) {
        Iterator<String> names = tree.fieldNames();
        for (int i = 0; i < n; i++) {
            names.next();
        }
        return names.next();
    }
}
