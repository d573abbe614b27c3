package io.sweepd.yaml;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The strict reader and its binding helpers: positions, paths, types and the one error type. */
class YamlTest {

    private static final String DOC = """
            # a comment
            entry:
              search-space:
              - {tp: 2, conc-list: [4, 8]}
              - tp: 8
                dp-attn: yes
              name: "8"
            """;

    private static YamlMap entry() {
        return Yaml.read("doc.yaml", DOC).map("a map").require("entry").map("a map");
    }

    private static YamlFieldException error(Runnable read) {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, read::run);
        assertThat(e).as("expected a YamlFieldException").isNotNull();
        return e;
    }

    @Test
    void everyValueKnowsItsPathLineAndColumnAndItsKeysPosition() {
        YamlList space = entry().require("search-space").list("a list");
        YamlMap flow = space.get(0).map("a map");
        YamlNode tp = space.get(1).map("a map").require("tp");

        assertThat(space.path()).isEqualTo("entry.search-space");
        assertThat(space.keyPosition()).isEqualTo(new YamlNode.Position(3, 3));
        assertThat(space.position()).isEqualTo(new YamlNode.Position(4, 3));
        assertThat(flow.path()).isEqualTo("entry.search-space[0]");
        assertThat(flow.position()).isEqualTo(new YamlNode.Position(4, 5));
        assertThat(flow.require("conc-list").list("a list").get(1).path()).isEqualTo("entry.search-space[0].conc-list[1]");
        assertThat(tp.path()).isEqualTo("entry.search-space[1].tp");
        assertThat(tp.key()).isEqualTo("tp");
        assertThat(tp.keyPosition()).isEqualTo(new YamlNode.Position(5, 5));
        assertThat(tp.position()).isEqualTo(new YamlNode.Position(5, 9));
    }

    @Test
    void scalarsAreTypedAsPyYamlTypesThemAndQuotesMakeText() {
        YamlMap map = Yaml.read("t.yaml", """
                a: yes
                b: "yes"
                c: 010
                d: 1_000
                e: 0x1F
                f: 1024.0
                g: 1e3
                h: 1:30
                i: 99999999999
                j:
                k: ~
                l: 08
                m: 123456789012345678901234567890
                """).map("a map");

        assertThat(map.bool("a")).isTrue();
        assertThat(map.string("b")).isEqualTo("yes");
        assertThat(map.integer("c")).isEqualTo(8);
        assertThat(map.integer("d")).isEqualTo(1000);
        assertThat(map.integer("e")).isEqualTo(31);
        assertThat(map.number("f")).isEqualTo(1024.0);
        assertThat(map.number("g")).isEqualTo(1000.0);
        assertThat(map.string("h")).isEqualTo("1:30");
        assertThat(map.get("i").plain()).isEqualTo(99999999999L);
        assertThat(map.get("j").isNull()).isTrue();
        assertThat(map.get("k").isNull()).isTrue();
        assertThat(map.string("l")).isEqualTo("08");
        assertThat(map.get("m").plain()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(map.present("j")).isNull();
        assertThat(map.plain()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("a", true).containsEntry("c", 8).containsEntry("j", null);
    }

    @Test
    void aWrongTypeIsAnErrorAtTheValueNamingFileLineColumnAndField() {
        YamlFieldException e = error(() -> entry().require("search-space").list("a list").get(0).map("a map")
                .bool("tp"));

        assertThat(e.file()).isEqualTo("doc.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(10);
        assertThat(e.field()).isEqualTo("entry.search-space[0].tp");
        assertThat(e.problem()).isEqualTo("expected true or false, got integer 2");
        assertThat(e).hasMessage("doc.yaml:4:10: field 'entry.search-space[0].tp': expected true or false, got integer 2");
    }

    @Test
    void nothingIsCoerced() {
        assertThat(error(() -> entry().integer("name")).problem()).isEqualTo("expected an integer, got string \"8\"");
        assertThat(error(() -> entry().string("search-space")).problem()).isEqualTo("expected a string, got a list");
        YamlMap item = entry().require("search-space").list("a list").get(1).map("a map");
        assertThat(error(() -> item.string("tp")).problem())
                .isEqualTo("expected a string, got integer 8 (put it in quotes if it is meant as text)");
        assertThat(error(() -> Yaml.read("t.yaml", "a: 2147483648\n").map("a map").integer("a")).problem())
                .isEqualTo("expected an integer no larger than 2147483647, got 2147483648");
        assertThat(error(() -> Yaml.read("t.yaml", "a: \" \"\n").map("a map").string("a")).problem())
                .isEqualTo("expected a non-empty string");
        assertThat(error(() -> Yaml.read("t.yaml", "a: 0\n").map("a map").positiveInt("a")).problem())
                .isEqualTo("expected a positive integer, got 0");
        assertThat(error(() -> Yaml.read("t.yaml", "a: x\n").map("a map").require("a").oneOf(List.of("y", "z")))
                .problem()).isEqualTo("expected one of: y, z; got \"x\"");
        assertThat(error(() -> Yaml.read("t.yaml", "a: []\n").map("a map").require("a").nonEmptyList("a list of"
                + " sizes")).problem()).isEqualTo("expected a list of sizes, got an empty list");
    }

    @Test
    void aMissingKeyIsReportedAtTheKeyThatHoldsTheMap() {
        YamlFieldException e = error(() -> entry().require("model"));

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("entry.model");
        assertThat(e.problem()).isEqualTo("missing required key 'model'");
    }

    @Test
    void optionalAndNullableKeysDifferOnAWrittenNull() {
        YamlMap map = Yaml.read("t.yaml", "a:\nb: 3\n").map("a map");

        assertThat(map.optional("c", YamlNode::integer)).isNull();
        assertThat(map.nullable("a", YamlNode::integer)).isNull();
        assertThat(map.nullable("b", YamlNode::integer)).isEqualTo(3);
        assertThat(map.bool("c", true)).isTrue();
        assertThat(error(() -> map.optional("a", YamlNode::integer)).problem())
                .isEqualTo("expected an integer, got an empty value");
    }

    @Test
    void anUnknownKeyNamesTheAllowedKeysAndTheLikeliestOne() {
        YamlMap map = Yaml.read("t.yaml", "isl: 1\nconc-lst: [4]\n").map("a map");

        YamlFieldException e = error(() -> map.allowOnly(List.of("isl", "conc-list", "conc-start")));

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("conc-lst");
        assertThat(e.problem()).isEqualTo("unknown key 'conc-lst' (did you mean 'conc-list'?);"
                + " expected one of: isl, conc-list, conc-start");
        assertThat(error(() -> map.allowOnly(List.of("isl", "osl"), List.of("isl"), key -> "; it goes elsewhere"))
                .problem()).isEqualTo("unknown key 'conc-lst'; expected one of: isl; it goes elsewhere");
    }

    @Test
    void didYouMeanOnlyGuessesCloseKeys() {
        assertThat(YamlMap.closest("partion", List.of("partition", "account"))).isEqualTo("partition");
        assertThat(YamlMap.closest("lgo", List.of("log", "literal"))).isEqualTo("log");
        assertThat(YamlMap.closest("pollIntervalSeconds", List.of("poll-interval-seconds")))
                .isEqualTo("poll-interval-seconds");
        assertThat(YamlMap.closest("runner-type", List.of("runner", "model"))).isNull();
        assertThat(YamlMap.closest("tp", List.of("ep"))).isEqualTo("ep");
        assertThat(YamlMap.closest("gpus", List.of("tp", "ep"))).isNull();
    }

    @Test
    void aDuplicateKeyIsRefusedAtItsSecondOccurrence() {
        YamlFieldException e = error(() -> Yaml.read("t.yaml", "a:\n  b: 1\n  c: 2\n  b: 3\n"));

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("a.b");
        assertThat(e.problem()).isEqualTo("duplicate key 'b' (first given at line 2)");
    }

    @Test
    void anAliasIsRefusedWhereItIsWrittenAndAnAnchorIsIgnored() {
        YamlFieldException e = error(() -> Yaml.read("t.yaml", "a: &x [1]\nb:\n  c: *x\n"));

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(6);
        assertThat(e.field()).isEqualTo("b.c");
        assertThat(e.problem()).isEqualTo("YAML aliases (*x) are not supported; write the value out in full");
        assertThat(Yaml.read("t.yaml", "a: &x 1\n").map("a map").integer("a")).isEqualTo(1);
        assertThat(error(() -> Yaml.read("t.yaml", "a: &k x\n*k : 2\n")).field()).isEqualTo("");
    }

    @Test
    void aTagOtherThanThePlainTypesIsRefusedWhereItIsWritten() {
        YamlFieldException custom = error(() -> Yaml.read("t.yaml", "a:\n  model: !shell \"touch x\"\n"));
        assertThat(custom.line()).isEqualTo(2);
        assertThat(custom.field()).isEqualTo("a.model");
        assertThat(custom.problem()).isEqualTo("YAML tags (!shell) are not supported; write the plain value");
        assertThat(error(() -> Yaml.read("t.yaml", "image: !!binary dG91Y2g=\n")).problem()).contains("(!!binary)");
        assertThat(error(() -> Yaml.read("t.yaml", "x: !!python/object/apply:os.system [\"id\"]\n")).field())
                .isEqualTo("x");
        // The plain types, written out, are what they would be without the tag.
        assertThat(Yaml.read("t.yaml", "a: !!str 12\nb: !!int \"3\"\n").map("a map").string("a")).isEqualTo("12");
    }

    @Test
    void aSecondDocumentASyntaxErrorAndANonTextKeyNameTheirLine() {
        YamlFieldException second = error(() -> Yaml.read("t.yaml", "a: 1\n---\nb: 2\n"));
        assertThat(second.line()).isEqualTo(2);
        assertThat(second.problem()).startsWith("expected exactly one YAML document, found another one here");

        YamlFieldException syntax = error(() -> Yaml.read("t.yaml", "a:\n  - {tp: 2, conc: [4, 8}\n"));
        assertThat(syntax.line()).isEqualTo(2);
        assertThat(syntax.column()).isEqualTo(24);
        assertThat(syntax.field()).isEmpty();
        assertThat(syntax.problem()).isEqualTo("YAML syntax error: expected ',' or ']', but got }"
                + " (while parsing a flow sequence)");

        YamlFieldException key = error(() -> Yaml.read("t.yaml", "a:\n  ? [x]\n  : 1\n"));
        assertThat(key.line()).isEqualTo(2);
        assertThat(key.field()).isEqualTo("a");
        assertThat(key.problem()).isEqualTo("a key must be text, found a list");
    }

    @Test
    void anEmptyFileIsANullAtTheStartAndAByteOrderMarkIsNotPartOfTheFirstKey() {
        YamlNode empty = Yaml.read("t.yaml", "# nothing\n");

        assertThat(empty.isNull()).isTrue();
        assertThat(empty.position()).isEqualTo(YamlNode.Position.START);
        assertThat(Yaml.read("t.yaml", "\uFEFFa: 1\n").map("a map").keys()).containsExactly("a");
    }

    @Test
    void aListItemCanBeRenamedOnceItsIdIsKnown() {
        YamlMap rule = Yaml.read("t.yaml", "- id: r\n  do: {set: {a: 1}}\n").list("a list").get(0).map("a map");

        YamlMap named = rule.withPath("r");

        assertThat(rule.require("do").path()).isEqualTo("[0].do");
        assertThat(named.find(List.of("do", "set", "a")).path()).isEqualTo("r.do.set.a");
        assertThat(named.find(List.of("do", "nope"))).isNull();
        assertThat(named.require("do").plain()).isEqualTo(Map.of("set", Map.of("a", 1)));
    }

    @Test
    void theMessageLeavesOutWhatIsUnknown() {
        assertThat(new YamlFieldException("x.yaml", 0, 0, null, "broken")).hasMessage("x.yaml: broken");
        assertThat(new YamlFieldException("x.yaml", 3, 0, "a.b", "broken")).hasMessage("x.yaml:3: field 'a.b': broken");
        assertThat(new YamlFieldException("x.yaml", 3, 5, "", "broken")).hasMessage("x.yaml:3:5: broken");
    }
}
