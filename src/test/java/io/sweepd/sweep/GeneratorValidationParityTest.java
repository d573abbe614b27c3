package io.sweepd.sweep;

import io.sweepd.matrix.MatrixExpander;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The situations InferenceMAX's own validation tests (test_validation.py at 5959abc4, seq-len-configs schema, and
 * at 4d69c38b, scenarios schema) put to its pydantic models, written as sweep files: what the generator rejects,
 * sweepd rejects with line, field path and problem; what it accepts, sweepd accepts and reads the same way.
 * Cases that depend on the schema run under both.
 *
 * <p>Not ported, having no meaning for sweepd: the Fields enum tests (Python constants), the changelog models
 * (sweepd has no perf-changelog), and load_config_files / load_runner_file with {@code validate=False} (sweepd
 * always validates).
 */
class GeneratorValidationParityTest {

    private static final String SN_KEY = "dsr1-fp8-mi300x-sglang";
    private static final String MN_KEY = "dsr1-fp4-gb200-dynamo-trt";

    /** The two master-config schemas; each knows how its entries list the fixed-seq-len configs. */
    enum Schema {
        MAY_SEQ_LEN_CONFIGS("  seq-len-configs:\n", "", ".seq-len-configs[0]"),
        JUNE_SCENARIOS("  scenarios:\n    fixed-seq-len:\n", "  ", ".scenarios.fixed-seq-len[0]");

        final String listHeader;
        final String indent;
        final String seqLenPath;

        Schema(String listHeader, String indent, String seqLenPath) {
            this.listHeader = listHeader;
            this.indent = indent;
            this.seqLenPath = seqLenPath;
        }

        /** Lines before the first search-space item (entry fields, the list header, isl, osl, search-space). */
        int headerLines(boolean multinode) {
            return (multinode ? 9 : 8) + (int) listHeader.lines().count() + 3;
        }

        /** The line of the first search-space item. */
        int itemLine(boolean multinode) {
            return headerLines(multinode) + 1;
        }

        String itemPath(String key) {
            return key + seqLenPath + ".search-space[0]";
        }
    }

    private final SweepParser parser = new SweepParser();

    // ---- the master-config entries (TestMasterConfigEntries, TestValidateMasterConfig, TestSeqLenConfigs) ----

    /** The fixtures' dsr1-fp8-mi300x-sglang entry, {@code items} as its 1k1k search space. */
    static String singleNode(Schema s, int isl, int osl, String... items) {
        StringBuilder yaml = new StringBuilder(SN_KEY + """
                :
                  image: rocm/sgl-dev:v0.5.2-rocm7.0-mi30x-20250915
                  model: deepseek-ai/DeepSeek-R1-0528
                  model-prefix: dsr1
                  precision: fp8
                  framework: sglang
                  runner: mi300x
                  multinode: false
                """).append(s.listHeader);
        String in = s.indent;
        yaml.append(in).append("  - isl: ").append(isl).append('\n').append(in).append("    osl: ").append(osl)
                .append('\n').append(in).append("    search-space:\n");
        for (String item : items) {
            yaml.append(in).append("    - ").append(item).append('\n');
        }
        return yaml.toString();
    }

    static String singleNode(Schema s, String... items) {
        return singleNode(s, 1024, 1024, items);
    }

    /** The fixtures' dsr1-fp4-gb200-dynamo-trt entry (disagg), {@code item} a block-style search-space item. */
    static String multinode(Schema s, String item) {
        StringBuilder yaml = new StringBuilder(MN_KEY + """
                :
                  image: nvcr.io#nvidia/ai-dynamo/tensorrtllm-runtime:0.5.1-rc0.pre3
                  model: deepseek-r1-fp4
                  model-prefix: dsr1
                  precision: fp4
                  framework: dynamo-trt
                  runner: gb200
                  multinode: true
                  disagg: true
                """).append(s.listHeader);
        String in = s.indent;
        yaml.append(in).append("  - isl: 1024\n").append(in).append("    osl: 1024\n").append(in)
                .append("    search-space:\n");
        item.lines().forEach(line -> yaml.append(in).append("    ").append(line).append('\n'));
        return yaml.toString();
    }

    /** The fixture's multinode item; line 0 is its first line, 1 prefill, 7 decode (offsets from the item line). */
    static final String MN_ITEM = """
            - conc-list: [2150]
              prefill:
                num-worker: 5
                tp: 4
                ep: 4
                dp-attn: true
                additional-settings: [PREFILL_MAX_NUM_TOKENS=8448, PREFILL_MAX_BATCH_SIZE=1]
              decode:
                num-worker: 1
                tp: 8
                ep: 8
                dp-attn: true
                additional-settings: [DECODE_MAX_NUM_TOKENS=256, DECODE_MAX_BATCH_SIZE=256]
            """;

    @ParameterizedTest
    @EnumSource(Schema.class)
    void singleNodeMasterConfigIsAcceptedWithItsFields(Schema s) {
        ConfigEntry entry = only(singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}"));

        assertThat(entry.key()).isEqualTo(SN_KEY);
        assertThat(entry.multinode()).isFalse();
        assertThat(entry.modelPrefix()).isEqualTo("dsr1");
        assertThat(entry.runner()).isEqualTo("mi300x");
        assertThat(entry.framework()).isEqualTo("sglang");
        assertThat(entry.schema().key()).isEqualTo(s == Schema.MAY_SEQ_LEN_CONFIGS ? "seq-len-configs" : "scenarios");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodeMasterConfigIsAcceptedWithItsWorkers(Schema s) {
        ConfigEntry entry = only(multinode(s, MN_ITEM));

        assertThat(entry.multinode()).isTrue();
        assertThat(entry.disagg()).isTrue();
        assertThat(entry.runner()).isEqualTo("gb200");
        SearchSpaceItem item = entry.seqLenConfigs().get(0).searchSpace().get(0);
        assertThat(item.concList()).containsExactly(2150);
        assertThat(item.prefill()).isEqualTo(new WorkerSpec(5, 4, 4, true,
                List.of("PREFILL_MAX_NUM_TOKENS=8448", "PREFILL_MAX_BATCH_SIZE=1")));
        assertThat(item.decode().numWorker()).isEqualTo(1);
        assertThat(item.decode().tp()).isEqualTo(8);
        assertThat(item.decode().dpAttn()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void singleNodeAndMultinodeEntriesMixInOneFile(Schema s) {
        SweepFile sweep = parse(singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}") + multinode(s, MN_ITEM));

        assertThat(sweep.entries()).extracting(ConfigEntry::key).containsExactly(SN_KEY, MN_KEY);
        assertThat(sweep.entries()).extracting(ConfigEntry::multinode).containsExactly(false, true);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void singleNodeEntryMarkedMultinodeIsValidatedAsMultinodeAndItsTpRejected(Schema s) {
        // pydantic picks MultiNodeMasterConfigEntry by the flag; a single-node item then has no prefill/decode.
        String yaml = singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}").replace("multinode: false", "multinode: true");

        YamlFieldException e = error(yaml);

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".tp", "unknown key 'tp'; expected one of: conc-end,"
                + " conc-list, conc-start, decode, prefill, spec-decoding; in a multinode entry tp, ep and dp-attn go"
                + " under prefill and decode");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodeEntryMarkedSingleNodeIsValidatedAsSingleNodeAndItsWorkersRejected(Schema s) {
        String yaml = multinode(s, MN_ITEM).replace("multinode: true", "multinode: false");

        YamlFieldException e = error(yaml);

        assertError(e, s.itemLine(true) + 1, s.itemPath(MN_KEY) + ".prefill", "unknown key 'prefill'; expected one"
                + " of: conc-end, conc-list, conc-start, dp-attn, ep, spec-decoding, tp; prefill and decode belong to"
                + " multinode entries (multinode: true)");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void disaggDefaultsToFalse(Schema s) {
        assertThat(only(singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}")).disagg()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void missingModelIsAnErrorNamingTheConfigKey(Schema s) {
        String yaml = singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}")
                .replace("  model: deepseek-ai/DeepSeek-R1-0528\n", "");

        YamlFieldException e = error(yaml);

        assertError(e, 1, SN_KEY + ".model", "missing required key 'model'");
    }

    @Test
    void entryWithOnlyAnImageIsRejectedAtItsFirstMissingKey() {
        YamlFieldException e = error("invalid-config:\n  image: test-image\n");

        assertError(e, 1, "invalid-config.model", "missing required key 'model'");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void seqLenConfigsAreReadWithTheirIslAndOsl(Schema s) {
        ConfigEntry oneK = only(singleNode(s, 1024, 1024, "{tp: 8, conc-start: 4, conc-end: 64}"));
        ConfigEntry eightK = only(singleNode(s, 8192, 1024, "{tp: 8, conc-start: 4, conc-end: 64}"));
        ConfigEntry multi = only(multinode(s, MN_ITEM));

        assertThat(oneK.seqLenConfigs()).extracting(SeqLenConfig::isl, SeqLenConfig::osl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1024, 1024));
        assertThat(eightK.seqLenConfigs().get(0).isl()).isEqualTo(8192);
        assertThat(eightK.seqLenConfigs().get(0).osl()).isEqualTo(1024);
        assertThat(multi.seqLenConfigs().get(0).searchSpace()).hasSize(1);
    }

    // ---- single-node search-space items (TestSingleNodeSearchSpaceEntry) ----

    @ParameterizedTest
    @EnumSource(Schema.class)
    void concRangeIsAccepted(Schema s) {
        SearchSpaceItem item = firstItem(singleNode(s, "{tp: 8, conc-start: 4, conc-end: 64}"));

        assertThat(item.tp()).isEqualTo(8);
        assertThat(item.concStart()).isEqualTo(4);
        assertThat(item.concEnd()).isEqualTo(64);
        assertThat(item.concList()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void concListIsAccepted(Schema s) {
        assertThat(firstItem(singleNode(s, "{tp: 4, conc-list: [4, 8, 16, 32, 64, 128]}")).concList())
                .containsExactly(4, 8, 16, 32, 64, 128);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void concRangeAndListTogetherAreRejected(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 4, conc-start: 4, conc-end: 64, conc-list: [4, 8, 16]}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-list",
                "give either conc-list or conc-start and conc-end, not both");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void itemWithNeitherRangeNorListIsRejected(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 8}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY), "give either conc-list or conc-start and conc-end");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void concStartAboveConcEndIsRejected(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 8, conc-start: 64, conc-end: 4}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-end",
                "conc-end 4 is less than conc-start 64; expected conc-start <= conc-end");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void zeroInConcListIsRejectedAtItsIndex(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 4, conc-list: [4, 0, 16]}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-list[1]", "expected a positive integer, got 0");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void optionalFieldsDefaultAsInTheGenerator(Schema s) {
        SearchSpaceItem item = firstItem(singleNode(s, "{tp: 8, conc-list: [4, 8]}"));
        // Left out in the file; the generator's points then carry ep 1, dp-attn false, spec-decoding none.
        assertThat(item.ep()).isNull();
        assertThat(item.dpAttn()).isNull();
        assertThat(item.specDecoding()).isNull();

        MatrixPoint point = expand(singleNode(s, "{tp: 8, conc-list: [4, 8]}")).get(0);
        assertThat(point.ep()).isEqualTo(1);
        assertThat(point.dpAttn()).isFalse();
        assertThat(point.specDecoding()).isEqualTo("none");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void nullForAnOptionalFieldIsLeftOutAsPydanticsNone(Schema s) {
        // The generator's models declare ep, dp-attn and the conc fields Optional, so null passes and means unset.
        SearchSpaceItem item = firstItem(singleNode(s,
                "{tp: 8, ep: null, dp-attn: null, conc-start: 4, conc-end: 8, conc-list: null}"));

        assertThat(item.ep()).isNull();
        assertThat(item.dpAttn()).isNull();
        assertThat(item.concList()).isNull();
        assertThat(item.concStart()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void nullConcFieldsCountAsMissing(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 8, conc-start: null, conc-end: 8}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-start",
                "missing required key 'conc-start' (conc-end needs it)");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void epAndDpAttnAreRead(Schema s) {
        SearchSpaceItem item = firstItem(singleNode(s, "{tp: 4, ep: 4, dp-attn: true, conc-start: 4, conc-end: 128}"));

        assertThat(item.ep()).isEqualTo(4);
        assertThat(item.dpAttn()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void mtpSpecDecodingIsRead(Schema s) {
        assertThat(firstItem(singleNode(s, "{tp: 8, spec-decoding: mtp, conc-list: [1, 2, 4]}")).specDecoding())
                .isEqualTo("mtp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mtp", "draft_model", "none"})
    void everySpecDecodingTheGeneratorKnowsIsAcceptedAndPassedToThePoint(String mode) {
        MatrixPoint point = expand(singleNode(Schema.JUNE_SCENARIOS, "{tp: 8, spec-decoding: " + mode
                + ", conc-list: [4]}")).get(0);

        assertThat(point.toInferenceMax()).containsEntry("spec-decoding", mode);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void unknownSpecDecodingIsRejected(Schema s) {
        YamlFieldException e = error(singleNode(s, "{tp: 8, spec-decoding: invalid, conc-list: [4]}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".spec-decoding",
                "expected one of: mtp, draft_model, none; got \"invalid\"");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void missingTpIsRejected(Schema s) {
        YamlFieldException e = error(singleNode(s, "{ep: 1, conc-list: [4]}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".tp", "missing required key 'tp'");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void quotedNumberIsRejectedWherePydanticWouldCoerceIt(Schema s) {
        // Deliberately stricter (README "Sweep files": no "4" for 4): pydantic's lax mode would accept "64".
        YamlFieldException e = error(singleNode(s, "{tp: 8, conc-start: 4, conc-end: \"64\"}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-end", "expected an integer, got string \"64\"");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void zeroConcStartIsRejectedWhereTheGeneratorWouldLoopForever(Schema s) {
        // Deliberately stricter (README: conc-start must be positive); 0 * step never reaches conc-end.
        YamlFieldException e = error(singleNode(s, "{tp: 8, conc-start: 0, conc-end: 4}"));

        assertError(e, s.itemLine(false), s.itemPath(SN_KEY) + ".conc-start", "expected a positive integer, got 0");
    }

    // ---- multinode search-space items and workers (TestMultiNodeSearchSpaceEntry, TestWorkerConfig) ----

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodeConcRangeIsAccepted(Schema s) {
        SearchSpaceItem item = firstItem(multinode(s, MN_ITEM.replace("conc-list: [2150]", "conc-start: 1\n  conc-end: 64")));

        assertThat(item.concStart()).isEqualTo(1);
        assertThat(item.concEnd()).isEqualTo(64);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodeMtpSpecDecodingIsRead(Schema s) {
        SearchSpaceItem item = firstItem(multinode(s, MN_ITEM.replace("conc-list: [2150]",
                "spec-decoding: mtp\n  conc-list: [1, 2, 4, 8, 16, 36]")));

        assertThat(item.specDecoding()).isEqualTo("mtp");
        assertThat(item.concList()).containsExactly(1, 2, 4, 8, 16, 36);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodeItemWithoutConcurrencyIsRejected(Schema s) {
        YamlFieldException e = error(multinode(s, MN_ITEM.replace("- conc-list: [2150]\n  prefill:", "- prefill:")));

        assertError(e, s.itemLine(true), s.itemPath(MN_KEY), "give either conc-list or conc-start and conc-end");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void workerWithoutAdditionalSettingsIsAccepted(Schema s) {
        SearchSpaceItem item = firstItem(multinode(s,
                MN_ITEM.replace("    additional-settings: [PREFILL_MAX_NUM_TOKENS=8448, PREFILL_MAX_BATCH_SIZE=1]\n", "")));

        assertThat(item.prefill()).isEqualTo(new WorkerSpec(5, 4, 4, true, null));
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void workerMissingEpAndDpAttnIsRejectedAtTheWorkerKey(Schema s) {
        String item = MN_ITEM.replace("    ep: 4\n    dp-attn: true\n", "");

        YamlFieldException e = error(multinode(s, item));

        assertError(e, s.itemLine(true) + 1, s.itemPath(MN_KEY) + ".prefill.ep", "missing required key 'ep'");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void unknownWorkerFieldIsRejected(Schema s) {
        String item = MN_ITEM.replace("    dp-attn: true\n    additional-settings: [DECODE",
                "    dp-attn: true\n    unknown-field: value\n    additional-settings: [DECODE");

        YamlFieldException e = error(multinode(s, item));

        assertError(e, s.itemLine(true) + 12, s.itemPath(MN_KEY) + ".decode.unknown-field",
                "unknown key 'unknown-field'; expected one of: additional-settings, dp-attn, ep, num-worker, tp");
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void missingDecodeIsRejected(Schema s) {
        String item = MN_ITEM.substring(0, MN_ITEM.indexOf("  decode:"));

        YamlFieldException e = error(multinode(s, item));

        assertError(e, s.itemLine(true), s.itemPath(MN_KEY) + ".decode", "missing required key 'decode'");
    }

    // ---- agentic-coding (4d69c38b TestAgenticMatrixEntries, and the agentic models of validation.py) ----

    static String agentic(String item) {
        return """
                qwen-agentic:
                  image: img
                  model: Qwen/Qwen3
                  model-prefix: qwen
                  precision: fp8
                  framework: sglang
                  runner: mi300x
                  multinode: false
                  scenarios:
                    agentic-coding:
                    - duration: 1800
                      search-space:
                      - %s
                """.formatted(item);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmcache-mp", "lmcache", "hicache", "cpu", "ssd", "none"})
    void everyOffloadingBackendTheGeneratorKnowsIsAccepted(String offloading) {
        MatrixPoint point = expand(agentic("{tp: 8, offloading: " + offloading + ", conc-list: [1, 2]}")).get(0);

        assertThat(point.agentic().offloading()).isEqualTo(offloading);
        assertThat(point.toInferenceMax()).containsEntry("offloading", offloading);
    }

    @Test
    void unknownOffloadingIsRejected() {
        YamlFieldException e = error(agentic("{tp: 8, offloading: nvme, conc-list: [1]}"));

        assertError(e, 13, "qwen-agentic.scenarios.agentic-coding[0].search-space[0].offloading",
                "expected one of: none, cpu, ssd, lmcache, lmcache-mp, hicache; got \"nvme\"");
    }

    @Test
    void agenticItemWithTpAndPrefillIsRejected() {
        YamlFieldException e = error(agentic("{tp: 8, prefill: {num-worker: 1, tp: 8, ep: 1, dp-attn: false},"
                + " conc-list: [1]}"));

        assertError(e, 13, "qwen-agentic.scenarios.agentic-coding[0].search-space[0].prefill",
                "an agentic-coding item gives either tp or both prefill and decode, not both");
    }

    @Test
    void agenticItemWithNeitherTpNorWorkersIsRejected() {
        YamlFieldException e = error(agentic("{ep: 1, conc-list: [1]}"));

        assertError(e, 13, "qwen-agentic.scenarios.agentic-coding[0].search-space[0].prefill",
                "an agentic-coding item gives either tp or both prefill and decode; missing 'prefill'");
    }

    @Test
    void scenariosWithNoScenarioAreRejected() {
        String yaml = agentic("{tp: 8, conc-list: [1]}").replace("""
                    agentic-coding:
                    - duration: 1800
                      search-space:
                      - {tp: 8, conc-list: [1]}
                """, "    fixed-seq-len: []\n");

        YamlFieldException e = error(yaml);

        assertError(e, 9, "qwen-agentic.scenarios", "at least one scenario type must be given: a non-empty"
                + " fixed-seq-len or agentic-coding list");
    }

    // ---- the generator's output contract (TestSingleNodeMatrixEntry, TestMultiNodeMatrixEntry,
    //      TestValidateMatrixEntry, SingleNodeAgenticMatrixEntry): sweepd's points carry exactly those fields ----

    private static final Set<String> SINGLE_NODE_ENTRY_FIELDS = Set.of("image", "model", "model-prefix", "precision",
            "framework", "spec-decoding", "runner", "isl", "osl", "tp", "ep", "dp-attn", "conc", "max-model-len",
            "exp-name", "disagg", "run-eval");
    private static final Set<String> MULTINODE_ENTRY_FIELDS = Set.of("image", "model", "model-prefix", "precision",
            "framework", "spec-decoding", "runner", "isl", "osl", "prefill", "decode", "conc", "max-model-len",
            "exp-name", "disagg", "run-eval");
    private static final Set<String> SINGLE_NODE_AGENTIC_FIELDS = Set.of("image", "model", "model-prefix",
            "precision", "framework", "runner", "tp", "ep", "dp-attn", "conc", "offloading", "duration", "exp-name",
            "scenario-type");

    @ParameterizedTest
    @EnumSource(Schema.class)
    void singleNodePointHasExactlyTheMatrixEntryFieldsWithAnIntegerConc(Schema s) {
        Map<String, Object> point = expand(singleNode(s, "{tp: 8, conc-list: [4]}")).get(0).toInferenceMax();

        assertThat(point.keySet()).containsExactlyInAnyOrderElementsOf(SINGLE_NODE_ENTRY_FIELDS);
        assertThat(point.get("conc")).isEqualTo(4);
        assertThat(point.get("tp")).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(Schema.class)
    void multinodePointHasExactlyTheMatrixEntryFieldsWithAConcList(Schema s) {
        Map<String, Object> point = expand(multinode(s, MN_ITEM)).get(0).toInferenceMax();

        assertThat(point.keySet()).containsExactlyInAnyOrderElementsOf(MULTINODE_ENTRY_FIELDS);
        assertThat(point.get("conc")).isEqualTo(List.of(2150));
        assertThat(point.get("disagg")).isEqualTo(true);
        assertThat(worker(point, "prefill")).containsEntry("num-worker", 5).containsEntry("tp", 4);
        assertThat(worker(point, "decode")).containsEntry("tp", 8).containsEntry("dp-attn", true);
    }

    @Test
    void singleNodeAgenticPointHasExactlyTheAgenticEntryFields() {
        Map<String, Object> point = expand(agentic("{tp: 8, offloading: lmcache-mp, conc-list: [1]}")).get(0)
                .toInferenceMax();

        assertThat(point.keySet()).containsExactlyInAnyOrderElementsOf(SINGLE_NODE_AGENTIC_FIELDS);
        assertThat(point).containsEntry("exp-name", "qwen_tp8_conc1_offloadlmcache-mp")
                .containsEntry("scenario-type", "agentic-coding").containsEntry("duration", 1800);
    }

    // ---- loading files (TestLoadConfigFiles, TestLoadRunnerFile, TestValidateRunnerConfig) ----

    @Test
    void wildcardInAConfigKeyIsRejected() {
        // The generator reserves '*' for config-key patterns.
        String yaml = singleNode(Schema.JUNE_SCENARIOS, "{tp: 8, conc-list: [4]}").replace(SN_KEY + ":", "dsr1-*:");

        YamlFieldException e = error(yaml);

        assertError(e, 1, "dsr1-*", "config key 'dsr1-*' must start with a letter or digit and hold only letters,"
                + " digits, '.', '_' and '-'");
    }

    @Test
    void duplicateConfigKeyInConcatenatedMasterConfigsIsRejected() {
        // The generator rejects a key that two --config-files share; sweepd reads them concatenated into one file.
        String entry = singleNode(Schema.JUNE_SCENARIOS, "{tp: 8, conc-list: [4]}");

        YamlFieldException e = error(entry + entry);

        assertThat(e.line()).isEqualTo(entry.lines().count() + 1);
        assertThat(e.problem()).contains("duplicate key '" + SN_KEY + "'");
    }

    @Test
    void configFileThatDoesNotExistIsAnError(@TempDir Path dir) {
        Path missing = dir.resolve("nonexistent.yaml");

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> parser.parse(missing));

        assertThat(e.file()).isEqualTo(missing.toString());
        assertThat(e.problem()).startsWith("cannot read the file");
    }

    @Test
    void runnersFileMapsEachLabelToItsNodesInOrder(@TempDir Path dir) throws IOException {
        RunnerConfig runners = RunnerConfig.read(write(dir, """
                h100: [h100-cr_0, h100-cr_1, h100-cw_0, h100-cw_1]
                mi300x: [mi300x-amd_0, mi300x-amd_1, mi300x-cr_0]
                gb200: [gb200-nv_0]
                """));

        assertThat(runners.nodes().keySet()).containsExactly("h100", "mi300x", "gb200");
        assertThat(runners.nodes().get("mi300x")).containsExactly("mi300x-amd_0", "mi300x-amd_1", "mi300x-cr_0");
        assertThat(runners.labelOfNode("gb200-nv_0")).contains("gb200");
    }

    @Test
    void runnerLabelWithAStringInsteadOfAListIsRejected(@TempDir Path dir) throws IOException {
        Path file = write(dir, "h200: [h200-cw_0]\nh100: h100-cr_0\n");

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> RunnerConfig.read(file));

        assertError(e, 2, "h100", "runner label 'h100' must list at least one runner node");
    }

    @Test
    void runnerNodeThatIsNotAStringIsRejected(@TempDir Path dir) throws IOException {
        Path file = write(dir, "h100: [h100-cr_0, 123]\n");

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> RunnerConfig.read(file));

        assertError(e, 1, "h100[1]", "expected a runner node name, got integer 123");
    }

    @Test
    void runnerLabelWithAnEmptyListIsRejected(@TempDir Path dir) throws IOException {
        Path file = write(dir, "mi355x: []\n");

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> RunnerConfig.read(file));

        assertError(e, 1, "mi355x", "runner label 'mi355x' must list at least one runner node");
    }

    @Test
    void namedRunnersFileThatDoesNotExistIsAnError(@TempDir Path dir) throws IOException {
        Path sweep = write(dir, "sweep:\n  runner-config: nonexistent.yaml\n"
                + singleNode(Schema.JUNE_SCENARIOS, "{tp: 8, conc-list: [4]}"));

        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> parser.parse(sweep));

        assertThat(e.field()).isEqualTo("sweep.runner-config");
        assertThat(e.line()).as("the line of the runner-config value").isEqualTo(2);
        assertThat(e.problem()).startsWith("no runners file at ").endsWith("nonexistent.yaml");
    }

    // ---- helpers ----

    private SweepFile parse(String yaml) {
        return parser.parse(yaml, "test.yaml", null);
    }

    private ConfigEntry only(String yaml) {
        List<ConfigEntry> entries = parse(yaml).entries();
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    private SearchSpaceItem firstItem(String yaml) {
        return only(yaml).seqLenConfigs().get(0).searchSpace().get(0);
    }

    private List<MatrixPoint> expand(String yaml) {
        return new MatrixExpander().expand(parse(yaml));
    }

    private YamlFieldException error(String yaml) {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> parse(yaml));
        assertThat(e).as("expected a YamlFieldException for:\n" + yaml).isNotNull();
        assertThat(e.file()).isEqualTo("test.yaml");
        return e;
    }

    private static void assertError(YamlFieldException e, long line, String field, String problem) {
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.field()).isEqualTo(field);
        assertThat((long) e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> worker(Map<String, Object> point, String side) {
        return (Map<String, Object>) point.get(side);
    }

    private static Path write(Path dir, String text) throws IOException {
        Path file = dir.resolve(text.startsWith("sweep:") ? "sweep.yaml" : "runners.yaml");
        Files.writeString(file, text);
        return file;
    }
}
