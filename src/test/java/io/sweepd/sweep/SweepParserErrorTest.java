package io.sweepd.sweep;

import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every way a sweep file can be wrong ends in a YamlFieldException that names the line (and column) of the
 * offending key or value, the dotted field path, and what was expected.
 */
class SweepParserErrorTest {

    /** Line numbers in the tests below refer to this text: line 1 is the config key. */
    private static final String SINGLE = """
            gptoss-fp4-h100-vllm:
              image: vllm/vllm-openai:v0.18.0
              model: openai/gpt-oss-120b
              model-prefix: gptoss
              runner: h100
              precision: fp4
              framework: vllm
              multinode: false
              seq-len-configs:
              - isl: 1024
                osl: 1024
                search-space:
                - {tp: 2, conc-start: 4, conc-end: 64}
            """;

    private static final String ITEM = "gptoss-fp4-h100-vllm.seq-len-configs[0].search-space[0]";

    /** Line numbers refer to this text: line 14 is the search-space item, 15 prefill, 21 decode. */
    private static final String MULTI = """
            dsv4-fp8-h100-dynamo-vllm:
              image: vllm/vllm-openai:deepseekv4-cu129
              model: deepseek-ai/DeepSeek-V4-Pro
              model-prefix: dsv4
              runner: h100-multinode
              precision: fp8
              framework: dynamo-vllm
              multinode: true
              disagg: true
              seq-len-configs:
              - isl: 8192
                osl: 1024
                search-space:
                - conc-list: [4, 8, 16]
                  prefill:
                    num-worker: 1
                    tp: 1
                    ep: 16
                    dp-attn: true
                    additional-settings: ["CONFIG_FILE=recipes/x.yaml"]
                  decode:
                    num-worker: 1
                    tp: 1
                    ep: 16
                    dp-attn: true
            """;

    private static final String MULTI_ITEM = "dsv4-fp8-h100-dynamo-vllm.seq-len-configs[0].search-space[0]";

    private final SweepParser parser = new SweepParser();

    @Test
    void templatesThemselvesAreValid() {
        assertThat(parser.parse(SINGLE, "single.yaml", null).entries()).hasSize(1);
        assertThat(parser.parse(MULTI, "multi.yaml", null).entries()).hasSize(1);
    }

    // ---- unknown keys ----

    @Test
    void misspelledConcListIsAnUnknownKeyAtItsLineWithTheAllowedKeys() throws URISyntaxException {
        Path file = SweepParserTest.resource("conc-list-typo.yaml");

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> parser.parse(file));

        assertThat(e.line()).isEqualTo(15);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.field()).isEqualTo("dsv4-fp8-h100-dynamo-vllm.seq-len-configs[0].search-space[0].conc-lst");
        assertThat(e.problem()).isEqualTo(
                "unknown key 'conc-lst' (did you mean 'conc-list'?); expected one of: conc-end, conc-list, conc-start, decode, prefill, spec-decoding");
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.getMessage()).isEqualTo(file + ":15:7: field '"
                + "dsv4-fp8-h100-dynamo-vllm.seq-len-configs[0].search-space[0].conc-lst': " + e.problem());
    }

    @Test
    void unknownEntryKeyIsAnErrorEvenWhenItLooksPlausible() {
        YamlFieldException e = error(line(SINGLE, 5, "  runner-type: h100"));

        assertError(e, 5, "gptoss-fp4-h100-vllm.runner-type", "unknown key 'runner-type'; expected one of: disagg,"
                + " framework, image, model, model-prefix, multinode, precision, runner, scenarios, seq-len-configs");
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void tpDirectlyOnAMultinodeItemIsAnUnknownKeyThatSaysWhereItBelongs() {
        YamlFieldException e = error(line(MULTI, 20, "      tp: 8"));

        assertError(e, 20, MULTI_ITEM + ".tp", "unknown key 'tp'; expected one of: conc-end, conc-list, conc-start,"
                + " decode, prefill, spec-decoding; in a multinode entry tp, ep and dp-attn go under prefill and decode");
    }

    @Test
    void prefillOnASingleNodeItemIsAnUnknownKeyThatPointsToMultinode() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {tp: 2, conc-list: [4], prefill: {num-worker: 1}}"));

        assertError(e, 13, ITEM + ".prefill", "unknown key 'prefill'; expected one of: conc-end, conc-list, conc-start,"
                + " dp-attn, ep, spec-decoding, tp; prefill and decode belong to multinode entries (multinode: true)");
        assertThat(e.column()).isEqualTo(31);
    }

    @Test
    void unknownKeyInsideAWorkerIsAnError() {
        YamlFieldException e = error(line(MULTI, 20, "        gpus: 8"));

        assertError(e, 20, MULTI_ITEM + ".prefill.gpus",
                "unknown key 'gpus'; expected one of: additional-settings, dp-attn, ep, num-worker, tp");
    }

    @Test
    void unknownKeyInASeqLenConfigIsAnError() {
        YamlFieldException e = error(line(SINGLE, 11, "    osl_: 1024"));

        assertError(e, 11, "gptoss-fp4-h100-vllm.seq-len-configs[0].osl_",
                "unknown key 'osl_' (did you mean 'osl'?); expected one of: isl, osl, search-space");
    }

    // ---- wrong types: no coercion ----

    @Test
    void quotedNumberIsNotAnInteger() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {tp: \"4\", conc-start: 4, conc-end: 64}"));

        assertError(e, 13, ITEM + ".tp", "expected an integer, got string \"4\"");
        assertThat(e.column()).isEqualTo(12);
    }

    @Test
    void quotedTrueIsNotABoolean() {
        YamlFieldException e = error(line(SINGLE, 8, "  multinode: \"true\""));

        assertError(e, 8, "gptoss-fp4-h100-vllm.multinode", "expected true or false, got string \"true\"");
        assertThat(e.column()).isEqualTo(14);
    }

    @Test
    void bareNumberIsNotAString() {
        YamlFieldException e = error(line(SINGLE, 6, "  precision: 8"));

        assertError(e, 6, "gptoss-fp4-h100-vllm.precision",
                "expected a string, got integer 8 (put it in quotes if it is meant as text)");
    }

    @Test
    void emptyStringIsNotAnImage() {
        YamlFieldException e = error(line(SINGLE, 2, "  image: \"\""));

        assertError(e, 2, "gptoss-fp4-h100-vllm.image", "expected a non-empty string");
    }

    @Test
    void decimalIsNotAnInteger() {
        YamlFieldException e = error(line(SINGLE, 10, "  - isl: 1024.0"));

        assertError(e, 10, "gptoss-fp4-h100-vllm.seq-len-configs[0].isl", "expected an integer, got number 1024.0");
    }

    @Test
    void integerBeyondIntRangeIsRejected() {
        YamlFieldException e = error(line(SINGLE, 10, "  - isl: 99999999999"));

        assertError(e, 10, "gptoss-fp4-h100-vllm.seq-len-configs[0].isl",
                "expected an integer no larger than 2147483647, got 99999999999");
    }

    @Test
    void emptyValueIsNotAnInteger() {
        YamlFieldException e = error(line(SINGLE, 11, "    osl:"));

        assertError(e, 11, "gptoss-fp4-h100-vllm.seq-len-configs[0].osl", "expected an integer, got an empty value");
    }

    @Test
    void entryThatIsNotAMapIsRejected() {
        YamlFieldException e = error("just-a-key: 5\n");

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("just-a-key");
        assertThat(e.problem()).startsWith("expected a config entry (a map with disagg, framework, image,")
                .endsWith("got integer 5");
    }

    @Test
    void workerListedAsAListIsRejected() {
        String yaml = line(MULTI, 15, "      prefill: [1, 1, 16, true]");
        for (int n = 16; n <= 20; n++) {
            yaml = line(yaml, n, "#");
        }

        YamlFieldException e = error(yaml);

        assertThat(e.line()).isEqualTo(15);
        assertThat(e.field()).isEqualTo(MULTI_ITEM + ".prefill");
        assertThat(e.problem()).startsWith("expected a worker map with").endsWith("got a list");
    }

    @Test
    void additionalSettingMustBeAString() {
        YamlFieldException e = error(line(MULTI, 20, "        additional-settings: [5]"));

        assertError(e, 20, MULTI_ITEM + ".prefill.additional-settings[0]",
                "expected a string, got integer 5 (put it in quotes if it is meant as text)");
    }

    @Test
    void specDecodingMustBeAKnownMode() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {tp: 2, spec-decoding: eagle, conc-list: [4]}"));

        assertError(e, 13, ITEM + ".spec-decoding", "expected one of: mtp, draft_model, none; got \"eagle\"");
    }

    // ---- missing keys point at the map's owner ----

    @Test
    void missingModelPointsAtTheConfigKey() {
        YamlFieldException e = error(line(SINGLE, 3, "  # model removed"));

        assertError(e, 1, "gptoss-fp4-h100-vllm.model", "missing required key 'model'");
        assertThat(e.column()).isEqualTo(1);
    }

    @Test
    void missingWorkerFieldPointsAtTheWorkerKey() {
        YamlFieldException e = error(line(MULTI, 25, "        # dp-attn removed"));

        assertError(e, 21, MULTI_ITEM + ".decode.dp-attn", "missing required key 'dp-attn'");
    }

    @Test
    void missingOslPointsAtTheListItem() {
        YamlFieldException e = error(line(SINGLE, 11, "    # osl removed"));

        assertError(e, 10, "gptoss-fp4-h100-vllm.seq-len-configs[0].osl", "missing required key 'osl'");
    }

    @Test
    void missingTpOnASingleNodeItemIsAnError() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {conc-list: [4]}"));

        assertError(e, 13, ITEM + ".tp", "missing required key 'tp'");
    }

    @Test
    void missingDecodeOnAMultinodeItemIsAnError() {
        String yaml = line(line(line(line(line(MULTI, 21, "#"), 22, "#"), 23, "#"), 24, "#"), 25, "#");

        assertError(error(yaml), 14, MULTI_ITEM + ".decode", "missing required key 'decode'");
    }

    @Test
    void missingMultinodeFlagIsAnError() {
        assertError(error(line(SINGLE, 8, "  #")), 1, "gptoss-fp4-h100-vllm.multinode",
                "missing required key 'multinode'");
    }

    // ---- duplicates ----

    @Test
    void duplicateKeyIsAnErrorAtTheSecondOccurrence() {
        YamlFieldException e = error(line(SINGLE, 7, "  precision: fp8"));

        assertError(e, 7, "gptoss-fp4-h100-vllm.precision", "duplicate key 'precision' (first given at line 6)");
    }

    @Test
    void duplicateConfigKeyIsAnError() {
        YamlFieldException e = error(SINGLE + SINGLE);

        assertError(e, 14, "gptoss-fp4-h100-vllm", "duplicate key 'gptoss-fp4-h100-vllm' (first given at line 1)");
    }

    // ---- concurrency rules ----

    @Test
    void concListAndRangeTogetherAreRejected() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {tp: 2, conc-list: [4], conc-start: 4, conc-end: 64}"));

        assertError(e, 13, ITEM + ".conc-list", "give either conc-list or conc-start and conc-end, not both");
    }

    @Test
    void itemWithoutAnyConcurrencyIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2}")), 13, ITEM,
                "give either conc-list or conc-start and conc-end");
    }

    @Test
    void concStartWithoutConcEndIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, conc-start: 4}")), 13, ITEM + ".conc-end",
                "missing required key 'conc-end' (conc-start needs it)");
    }

    @Test
    void concEndWithoutConcStartIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, conc-end: 4}")), 13, ITEM + ".conc-start",
                "missing required key 'conc-start' (conc-end needs it)");
    }

    @Test
    void concStartAboveConcEndIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, conc-start: 64, conc-end: 4}")), 13, ITEM + ".conc-end",
                "conc-end 4 is less than conc-start 64; expected conc-start <= conc-end");
    }

    @Test
    void emptyConcListWithoutARangeIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, conc-list: []}")), 13, ITEM,
                "give either conc-list or conc-start and conc-end");
    }

    @Test
    void emptyConcListBesideARangeIsIgnoredAsTheGeneratorDoes() {
        SweepFile sweep = parser.parse(line(SINGLE, 13, "    - {tp: 2, conc-list: [], conc-start: 4, conc-end: 8}"),
                "sweep.yaml", null);

        assertThat(sweep.entries().get(0).seqLenConfigs().get(0).searchSpace().get(0).concStart()).isEqualTo(4);
    }

    @Test
    void zeroInConcListIsRejectedAtItsIndex() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, conc-list: [4, 0]}")), 13, ITEM + ".conc-list[1]",
                "expected a positive integer, got 0");
    }

    @Test
    void multinodeConcListOnItsOwnLineIsCheckedToo() {
        assertError(error(line(MULTI, 14, "    - conc-list: [4, -8]")), 14, MULTI_ITEM + ".conc-list[1]",
                "expected a positive integer, got -8");
    }

    // ---- positive numbers ----

    @Test
    void zeroTpIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 0, conc-list: [4]}")), 13, ITEM + ".tp",
                "expected a positive integer, got 0");
    }

    @Test
    void negativeEpIsRejected() {
        assertError(error(line(SINGLE, 13, "    - {tp: 2, ep: -1, conc-list: [4]}")), 13, ITEM + ".ep",
                "expected a positive integer, got -1");
    }

    @Test
    void negativeWorkersAreRejected() {
        assertError(error(line(MULTI, 22, "        num-worker: -1")), 22, MULTI_ITEM + ".decode.num-worker",
                "expected 0 or a positive integer, got -1");
    }

    @Test
    void zeroWorkersOnBothSidesIsRejectedSinceNothingWouldServe() {
        String yaml = line(line(MULTI, 22, "        num-worker: 0"), 16, "        num-worker: 0");

        assertError(error(yaml), 22, MULTI_ITEM + ".decode.num-worker", "prefill and decode both have num-worker 0,"
                + " so nothing would serve; give the serving side its workers (num-worker 0 marks only the idle side"
                + " of an aggregated point)");
    }

    @Test
    void zeroDecodeWorkersMarkAnAggregatedPointAndAreAccepted() {
        SweepFile sweep = parser.parse(line(MULTI, 22, "        num-worker: 0"), "sweep.yaml", null);

        assertThat(sweep.entries().get(0).seqLenConfigs().get(0).searchSpace().get(0).decode().numWorker()).isZero();
    }

    @Test
    void zeroIslIsRejected() {
        assertError(error(line(SINGLE, 10, "  - isl: 0")), 10, "gptoss-fp4-h100-vllm.seq-len-configs[0].isl",
                "expected a positive integer, got 0");
    }

    // ---- entry-level rules ----

    @Test
    void disaggOnASingleNodeEntryIsAcceptedAndPassedThroughAsTheGeneratorDoes() {
        SweepFile sweep = parser.parse(line(SINGLE, 8, "  multinode: false\n  disagg: true"), "sweep.yaml", null);

        assertThat(sweep.entries().get(0).disagg()).isTrue();
    }

    @Test
    void emptySeqLenConfigsIsAcceptedAndGivesNoPointsAsInTheGenerator() {
        String yaml = line(line(line(line(line(SINGLE, 9, "  seq-len-configs: []"), 10, "#"), 11, "#"), 12, "#"), 13, "#");

        assertThat(parser.parse(yaml, "sweep.yaml", null).entries().get(0).seqLenConfigs()).isEmpty();
    }

    @Test
    void seqLenConfigsGivenAsAMapIsRejected() {
        String yaml = line(line(line(line(line(SINGLE, 9, "  seq-len-configs: {isl: 1}"), 10, "#"), 11, "#"), 12, "#"), 13, "#");

        assertError(error(yaml), 9, "gptoss-fp4-h100-vllm.seq-len-configs",
                "expected a list of {isl, osl, search-space}, got a map");
    }

    @Test
    void emptySearchSpaceIsAcceptedAsInTheGenerator() {
        String yaml = line(line(SINGLE, 12, "    search-space: []"), 13, "#");

        assertThat(parser.parse(yaml, "sweep.yaml", null).entries().get(0).seqLenConfigs().get(0).searchSpace()).isEmpty();
    }

    @Test
    void configKeyWithASpaceIsRejected() {
        YamlFieldException e = error(line(SINGLE, 1, "gptoss fp4:"));

        assertError(e, 1, "gptoss fp4", "config key 'gptoss fp4' must start with a letter or digit and hold only"
                + " letters, digits, '.', '_' and '-'");
    }

    // ---- whole-file problems ----

    @Test
    void emptyFileIsRejected() {
        YamlFieldException e = error("");

        assertError(e, 1, "", "the file is empty; expected a map of config-key -> entry (the InferenceMAX master-config format)");
    }

    @Test
    void fileWithOnlyCommentsIsEmpty() {
        assertThat(error("# nothing here\n\n# still nothing\n").problem()).startsWith("the file is empty");
    }

    @Test
    void listAtTheTopLevelIsRejected() {
        YamlFieldException e = error("\n- a\n- b\n");

        assertError(e, 2, "", "expected a map of config-key -> entry at the top level, got a list");
    }

    @Test
    void scalarAtTheTopLevelIsRejected() {
        assertThat(error("hello\n").problem()).isEqualTo(
                "expected a map of config-key -> entry at the top level, got string \"hello\"");
    }

    @Test
    void fileWithOnlyASweepBlockHasNoEntries() {
        YamlFieldException e = error("sweep:\n  name: lonely\n");

        assertError(e, 1, "", "the file has no config entries; expected at least one config-key -> entry"
                + " (image, model, ...) besides 'sweep'");
    }

    @Test
    void yamlSyntaxErrorKeepsTheScannersLineAndColumn() {
        YamlFieldException e = error(line(SINGLE, 13, "    - {tp: 2, conc-list: [4, 8}"));

        assertThat(e.line()).isEqualTo(13);
        assertThat(e.column()).isEqualTo(31);
        assertThat(e.field()).isEmpty();
        assertThat(e.problem()).startsWith("YAML syntax error: expected ',' or ']'")
                .endsWith("(while parsing a flow sequence)");
    }

    @Test
    void badIndentationIsASyntaxErrorWithItsLine() {
        YamlFieldException e = error(line(SINGLE, 5, "   runner: h100"));

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.problem()).startsWith("YAML syntax error:");
    }

    @Test
    void tabIndentationIsASyntaxError() {
        YamlFieldException e = error(line(SINGLE, 5, "\trunner: h100"));

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.problem()).startsWith("YAML syntax error:").contains("TAB");
    }

    @Test
    void yamlAliasIsRejectedWithAClearMessage() {
        String yaml = line(line(SINGLE, 2, "  image: &img vllm/vllm-openai:v0.18.0"), 3, "  model: *img");

        assertError(error(yaml), 3, "gptoss-fp4-h100-vllm.model",
                "YAML aliases (*img) are not supported; write the value out in full");
    }

    @Test
    void secondYamlDocumentIsRejected() {
        YamlFieldException e = error(SINGLE + "---\nother: 1\n");

        // The '---' that starts the second document (line 14), not its first key.
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.problem()).isEqualTo(
                "expected exactly one YAML document, found another one here (remove the '---' separator)");
    }

    // ---- the sweep: block ----

    @Test
    void unknownSettingsKeyIsRejected() {
        YamlFieldException e = error("sweep:\n  partition: batch\n" + SINGLE);

        assertError(e, 2, "sweep.partition",
                "unknown key 'partition'; expected one of: baseline, disable-workarounds, filters, generate, name,"
                        + " override-preflight, profile, runner-config, schedule");
    }

    @Test
    void sweepNameWithASpaceIsRejected() {
        YamlFieldException e = error("sweep:\n  name: my sweep\n" + SINGLE);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.field()).isEqualTo("sweep.name");
        assertThat(e.problem()).isEqualTo("expected a name of 1 to 100 letters, digits, '.', '_' or '-', starting with"
                + " a letter or digit; it becomes a directory name and part of Slurm job names, got \"my sweep\"");
    }

    @Test
    void sweepNameLongerThan100CharactersIsRejected() {
        YamlFieldException e = error("sweep:\n  name: " + "n".repeat(101) + "\n" + SINGLE);

        assertThat(e.field()).isEqualTo("sweep.name");
        assertThat(e.problem()).startsWith("expected a name of 1 to 100");
    }

    @Test
    void fileNameThatIsNotAValidSweepNameNeedsAnExplicitName() {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class,
                () -> parser.parse(SINGLE, "/inbox/my sweep.yaml", null));

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("sweep.name");
        assertThat(e.problem()).startsWith("the file name gives the sweep name 'my sweep', which is not a valid name")
                .endsWith("rename the file or set sweep.name");
        assertThat(parser.parse("sweep:\n  name: ok\n" + SINGLE, "/inbox/my sweep.yaml", null).name()).isEqualTo("ok");
    }

    @Test
    void unixFiveFieldScheduleIsRejectedWithAHint() {
        YamlFieldException e = error("sweep:\n  schedule: \"0 2 * * *\"\n" + SINGLE);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("sweep.schedule");
        assertThat(e.problem()).startsWith("expected a Quartz cron expression with 6 or 7 fields")
                .contains("got 5 fields").contains("e.g. '0 0 2 * * ?'");
    }

    @Test
    void scheduleThatIsNotAStringIsRejected() {
        assertError(error("sweep:\n  schedule: 5\n" + SINGLE), 2, "sweep.schedule",
                "expected a string, got integer 5 (put it in quotes if it is meant as text)");
    }

    @Test
    void unknownFilterKeyIsRejected() {
        YamlFieldException e = error("sweep:\n  filters:\n    min_conc: 4\n" + SINGLE);

        assertError(e, 3, "sweep.filters.min_conc", "unknown key 'min_conc' (did you mean 'min-conc'?); expected one"
                + " of: evals, framework, max-conc, max-ep, max-tp, min-conc, model-prefix, multi-node, precision,"
                + " runner-node-filter, runner-type, scenario-type, seq-lens, single-node, step-size");
    }

    @Test
    void filterListGivenAsAScalarIsRejected() {
        assertError(error("sweep:\n  filters:\n    precision: fp8\n" + SINGLE), 3, "sweep.filters.precision",
                "expected a list of strings, got string \"fp8\"");
    }

    @Test
    void unknownSeqLenNameIsRejectedAtItsIndex() {
        YamlFieldException e = error("sweep:\n  filters:\n    seq-lens: [1k1k, 2k1k]\n" + SINGLE);

        assertError(e, 3, "sweep.filters.seq-lens[1]", "expected one of: 1k1k, 8k1k; got \"2k1k\"");
        assertThat(e.column()).isEqualTo(22);
    }

    @Test
    void unknownEvalsModeIsRejected() {
        assertError(error("sweep:\n  filters:\n    evals: some\n" + SINGLE), 3, "sweep.filters.evals",
                "expected one of: all, only, exclude, none; got \"some\"");
    }

    @Test
    void zeroMaxConcIsRejected() {
        assertError(error("sweep:\n  filters:\n    max-conc: 0\n" + SINGLE), 3, "sweep.filters.max-conc",
                "expected a positive integer, got 0");
    }

    @Test
    void quotedSingleNodeFlagIsRejected() {
        assertError(error("sweep:\n  filters:\n    single-node: \"false\"\n" + SINGLE), 3, "sweep.filters.single-node",
                "expected true or false, got string \"false\"");
    }

    @Test
    void excludingBothNodeKindsIsRejected() {
        YamlFieldException e = error("sweep:\n  filters:\n    single-node: false\n    multi-node: false\n" + SINGLE);

        assertError(e, 4, "sweep.filters.multi-node",
                "single-node and multi-node are both false, so the sweep would select nothing");
    }

    @Test
    void sweepBlockThatIsNotAMapIsRejected() {
        YamlFieldException e = error("sweep: nightly\n" + SINGLE);

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("sweep");
        assertThat(e.problem()).endsWith("got string \"nightly\"");
    }

    @Test
    void anUnknownPreflightOverrideIsRejectedNamingTheOnesThatExist() {
        YamlFieldException e = error("sweep:\n  override-preflight: [pool]\n" + SINGLE);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("sweep.override-preflight");
        assertThat(e.problem()).contains("unknown preflight check 'pool'").contains("memory");
    }

    @Test
    void disabledWorkaroundsAndAMemoryOverrideAreRead() {
        var sweep = parser.parse("sweep:\n  disable-workarounds: [dsv4-no-chat-template]\n"
                + "  override-preflight: [memory]\n" + SINGLE, "test.yaml", null);

        assertThat(sweep.settings().disableWorkarounds()).containsExactly("dsv4-no-chat-template");
        assertThat(sweep.settings().overridePreflight()).containsExactly("memory");
    }

    // ---- helpers ----

    private YamlFieldException error(String yaml) {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class,
                () -> parser.parse(yaml, "test.yaml", null));
        assertThat(e).as("expected a YamlFieldException for:\n" + yaml).isNotNull();
        assertThat(e.file()).isEqualTo("test.yaml");
        return e;
    }

    private static void assertError(YamlFieldException e, int line, String field, String problem) {
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
    }

    /** {@code text} with its 1-based line {@code number} replaced, so the other lines keep their numbers. */
    private static String line(String text, int number, String replacement) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        lines.set(number - 1, replacement);
        return String.join("\n", lines);
    }
}
