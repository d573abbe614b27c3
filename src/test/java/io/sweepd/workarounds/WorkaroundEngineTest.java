package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.EvalExclusions;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkaroundEngineTest {

    private static final String DISAGG = """
            dynamo: {version: "1.0.1", install: true}
            backend:
              type: vllm
              prefill_environment: {A: "1"}
              decode_environment: {A: "1", B: "2"}
              vllm_config:
                prefill: {tool-call-parser: x, gpu-memory-utilization: 0.95, max-num-seqs: 512}
                decode: {tool-call-parser: x, gpu-memory-utilization: 0.8}
            benchmark: {type: sa-bench, use_chat_template: true}
            """;

    private final MatrixPoint point = TestData.dsv4Seed1k1k();
    private final ClusterProfile profile = TestData.h100(false);

    private Enrichment apply(String rules, String config) {
        return new WorkaroundEngine(TestData.catalog(rules)).apply(point, profile, TestData.yaml(config));
    }

    private static String rule(String does) {
        return """
                - id: r
                  do: %s
                  why: test
                  ref: test ref
                """.formatted(does);
    }

    @Test
    void removeArgsDeletesOnlyFromTheNamedRoles() {
        Enrichment result = apply(rule("{remove-args: {roles: [decode], args: [tool-call-parser, absent-arg]}}"), DISAGG);

        assertThat(result.patchedConfig().at("/backend/vllm_config/decode").has("tool-call-parser")).isFalse();
        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill").has("tool-call-parser")).isTrue();
        assertThat(result.applied()).singleElement().satisfies(applied -> {
            assertThat(applied.id()).isEqualTo("r");
            assertThat(applied.changes()).containsExactly("decode: removed engine arg tool-call-parser");
            assertThat(applied.why()).isEqualTo("test");
            assertThat(applied.ref()).isEqualTo("test ref");
        });
    }

    @Test
    void perRoleActionsWithoutRolesApplyToEveryRoleTheConfigHas() {
        Enrichment result = apply(rule("{remove-args: {args: [tool-call-parser]}}"), DISAGG);

        assertThat(result.applied().get(0).changes()).containsExactly(
                "prefill: removed engine arg tool-call-parser", "decode: removed engine arg tool-call-parser");
        assertThat(result.patchedConfig().at("/backend/vllm_config").has("aggregated")).isFalse();
        assertThat(result.patchedConfig().at("/backend").has("aggregated_environment")).isFalse();
    }

    @Test
    void setArgsSetsAndReportsThePreviousValue() {
        Enrichment result = apply(rule("{set-args: {roles: [prefill], args: {max-num-seqs: 256, enforce-eager: true}}}"), DISAGG);

        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/max-num-seqs").intValue()).isEqualTo(256);
        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/enforce-eager").booleanValue()).isTrue();
        assertThat(result.applied().get(0).changes()).containsExactly(
                "prefill: engine arg max-num-seqs = 256 (was 512)", "prefill: engine arg enforce-eager = true");
    }

    @Test
    void capArgsLowersHigherValuesAndLeavesLowerOnes() {
        Enrichment result = apply(rule("{cap-args: {args: {gpu-memory-utilization: 0.85}}}"), DISAGG);

        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/gpu-memory-utilization").doubleValue()).isEqualTo(0.85);
        assertThat(result.patchedConfig().at("/backend/vllm_config/decode/gpu-memory-utilization").doubleValue()).isEqualTo(0.8);
        assertThat(result.applied().get(0).changes())
                .containsExactly("prefill: engine arg gpu-memory-utilization capped 0.95 -> 0.85");
    }

    @Test
    void capArgsSetsTheCapWhenTheArgIsAbsentBecauseTheEngineDefaultMayBeHigher() {
        Enrichment result = apply(rule("{cap-args: {roles: [prefill], args: {max-num-batched-tokens: 8192}}}"), DISAGG);

        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/max-num-batched-tokens").intValue()).isEqualTo(8192);
        assertThat(result.applied().get(0).changes())
                .containsExactly("prefill: engine arg max-num-batched-tokens = 8192 (was unset; capped)");
    }

    @Test
    void capArgsComparesNumbersWrittenAsStrings() {
        Enrichment result = apply(rule("{cap-args: {args: {gpu-memory-utilization: 0.85}}}"), """
                backend:
                  type: vllm
                  vllm_config: {prefill: {gpu-memory-utilization: "0.9"}, decode: {gpu-memory-utilization: "0.7"}}
                """);

        assertThat(result.patchedConfig().at("/backend/vllm_config/prefill/gpu-memory-utilization").doubleValue()).isEqualTo(0.85);
        assertThat(result.patchedConfig().at("/backend/vllm_config/decode/gpu-memory-utilization").asText()).isEqualTo("0.7");
    }

    @Test
    void setEnvSetsStringsAndCreatesAMissingEnvironmentForAnExistingRole() {
        Enrichment result = apply(rule("{set-env: {env: {A: \"1\", C: 3}}}"), """
                backend:
                  type: vllm
                  prefill_environment: {A: "1"}
                  vllm_config: {prefill: {}, decode: {}}
                """);

        assertThat(result.patchedConfig().at("/backend/prefill_environment/C").isTextual()).isTrue();
        assertThat(result.patchedConfig().at("/backend/decode_environment/A").asText()).isEqualTo("1");
        assertThat(result.applied().get(0).changes()).containsExactly(
                "prefill: env C=3", "decode: env A=1", "decode: env C=3");
    }

    @Test
    void setEnvReportsAReplacedValue() {
        Enrichment result = apply(rule("{set-env: {roles: [decode], env: {B: \"0\"}}}"), DISAGG);

        assertThat(result.applied().get(0).changes()).containsExactly("decode: env B=0 (was 2)");
    }

    @Test
    void removeEnvDeletesNamedVariablesInTheNamedRoles() {
        Enrichment result = apply(rule("{remove-env: {roles: [decode], names: [A, B, MISSING]}}"), DISAGG);

        assertThat(result.patchedConfig().at("/backend/decode_environment").isEmpty()).isTrue();
        assertThat(result.patchedConfig().at("/backend/prefill_environment/A").asText()).isEqualTo("1");
        assertThat(result.applied().get(0).changes()).containsExactly("decode: removed env A", "decode: removed env B");
    }

    @Test
    void setWritesDottedPathsCreatingMapsOnTheWay() {
        Enrichment result = apply(rule("{set: {health_check.max_attempts: 1440, benchmark.use_chat_template: false}}"), DISAGG);

        assertThat(result.patchedConfig().at("/health_check/max_attempts").intValue()).isEqualTo(1440);
        assertThat(result.applied().get(0).changes()).containsExactly(
                "health_check.max_attempts = 1440", "benchmark.use_chat_template = false (was true)");
    }

    @Test
    void setRefusesThePointWhenAValueStandsWhereAMapIsNeeded() {
        Enrichment result = apply(rule("{set: {dynamo.version.major: 1}}"), DISAGG);

        assertThat(result.refusal()).isEqualTo("workaround r cannot patch this configuration: cannot set"
                + " dynamo.version.major because dynamo.version is 1.0.1, not a map");
        assertThat(result.patchedConfig().at("/dynamo/version").asText()).isEqualTo("1.0.1");
    }

    @Test
    void removeDeletesDottedPathsAndIgnoresAbsentOnes() {
        Enrichment result = apply(rule("{remove: [dynamo.version, dynamo.absent, nothing.here]}"), DISAGG);

        assertThat(result.patchedConfig().at("/dynamo").has("version")).isFalse();
        assertThat(result.applied().get(0).changes()).containsExactly("removed dynamo.version");
    }

    @Test
    void actionsRunInTheDocumentedOrderWhateverTheFileOrder() {
        Enrichment result = apply(rule("{set: {dynamo.version: \"2.0\"}, remove: [dynamo.version]}"), DISAGG);

        assertThat(result.patchedConfig().at("/dynamo/version").asText()).isEqualTo("2.0");
        assertThat(result.applied().get(0).changes()).containsExactly("removed dynamo.version", "dynamo.version = 2.0");
    }

    @Test
    void deadlinesAreOnlyRaisedNeverLowered() {
        Enrichment result = apply(rule("{deadlines: {first-log-seconds: 60, healthy-seconds: 7200}}"), DISAGG);

        assertThat(result.deadlinesOverride()).isEqualTo(new ClusterProfile.Deadlines(600, 7200, 14400));
        assertThat(result.applied().get(0).changes()).containsExactly("deadline healthy-seconds 1800 -> 7200");
    }

    @Test
    void severalDeadlineRulesKeepTheLongestDeadline() {
        Enrichment result = apply("""
                - {id: a, do: {deadlines: {healthy-seconds: 9000}}, why: a}
                - {id: b, do: {deadlines: {healthy-seconds: 3600, total-seconds: 20000}}, why: b}
                """, DISAGG);

        assertThat(result.deadlinesOverride()).isEqualTo(new ClusterProfile.Deadlines(600, 9000, 20000));
        assertThat(result.applied()).extracting(AppliedWorkaround::changes).containsExactly(
                List.of("deadline healthy-seconds 1800 -> 9000"), List.of("deadline total-seconds 14400 -> 20000"));
    }

    @Test
    void noDeadlineOverrideWhenNoRuleRaisesOne() {
        assertThat(apply(rule("{deadlines: {healthy-seconds: 60}}"), DISAGG).deadlinesOverride()).isNull();
        assertThat(apply(rule("{remove: [dynamo]}"), DISAGG).deadlinesOverride()).isNull();
    }

    @Test
    void refusalFillsPlaceholdersFromPointAndProfile() {
        Enrichment result = apply(rule("{refuse: \"{model} ({model-prefix}, {precision}) via {framework} on {runner}:"
                + " tp {tp} on {gpu} with {gpu-memory-gb} GB and {gpus-per-node} per node of {profile}\"}"), DISAGG);

        assertThat(result.refusal()).isEqualTo("deepseek-ai/DeepSeek-V4-Pro (dsv4, fp8) via dynamo-vllm on"
                + " h100-multinode: tp 1 on h100 with 80 GB and 8 per node of h100-multinode");
        assertThat(result.isRefused()).isTrue();
    }

    @Test
    void refusalsOfSeveralRulesAreAllReported() {
        Enrichment result = apply("""
                - {id: a, do: {refuse: first}, why: a}
                - {id: b, do: {refuse: second}, why: b}
                """, DISAGG);

        assertThat(result.refusal()).isEqualTo("first; second");
        assertThat(result.applied()).extracting(AppliedWorkaround::id).containsExactly("a", "b");
    }

    @Test
    void aMatchingRuleThatChangesNothingIsNotListed() {
        Enrichment result = apply(rule("{remove-args: {args: [not-there]}, set: {benchmark.type: sa-bench}}"), DISAGG);

        assertThat(result.applied()).isEmpty();
        assertThat(result.patchedConfig()).isEqualTo(TestData.yaml(DISAGG));
    }

    @Test
    void aRuleWhoseConditionFailsDoesNothing() {
        Enrichment result = apply("""
                - {id: r, when: {gpu: [gb200]}, do: {remove: [dynamo]}, why: w}
                """, DISAGG);

        assertThat(result.applied()).isEmpty();
        assertThat(result.patchedConfig().has("dynamo")).isTrue();
    }

    @Test
    void conditionsSeeTheConfigAsGivenNotAsEarlierRulesLeftIt() {
        Enrichment result = apply("""
                - {id: drop-version, do: {remove: [dynamo.version]}, why: w}
                - {id: needs-version, when: {recipe-has: [dynamo.version]}, do: {set: {dynamo.hash: abc}}, why: w}
                """, DISAGG);

        assertThat(result.applied()).extracting(AppliedWorkaround::id).containsExactly("drop-version", "needs-version");
    }

    @Test
    void theInputConfigIsNeverModified() {
        ObjectNode config = TestData.yaml(DISAGG);
        ObjectNode copy = config.deepCopy();

        Enrichment result = new WorkaroundEngine(TestData.shipped()).apply(point, profile, config);

        assertThat(config).isEqualTo(copy);
        assertThat(result.patchedConfig()).isNotSameAs(config).isNotEqualTo(config);
    }

    @Test
    void patchedValuesAreCopiesNotSharedWithTheRule() {
        WorkaroundEngine engine = new WorkaroundEngine(TestData.catalog(rule("{set: {extra: {a: 1}}}")));
        ObjectNode first = engine.apply(point, profile, TestData.yaml(DISAGG)).patchedConfig();
        ((ObjectNode) first.get("extra")).put("a", 2);

        ObjectNode second = engine.apply(point, profile, TestData.yaml(DISAGG)).patchedConfig();

        assertThat(second.at("/extra/a").intValue()).isEqualTo(1);
    }

    @Test
    void argActionsPatchTheAggregatedRoleOfASynthesizedSingleNodeConfig() {
        MatrixPoint single = TestData.singleNode("dsv4", "vllm", "fp8", 8);
        ObjectNode config = ServerConfigs.synthesize(single);

        Enrichment result = new WorkaroundEngine(TestData.shipped()).apply(single, profile, config);

        assertThat(result.patchedConfig().at("/backend/vllm_config/aggregated/gpu-memory-utilization").doubleValue())
                .isEqualTo(0.85);
        assertThat(result.patchedConfig().at("/benchmark/use_chat_template").booleanValue()).isFalse();
        assertThat(result.applied()).extracting(AppliedWorkaround::id)
                .containsExactly("dsv4-indexer-memory-headroom", "dsv4-no-chat-template");
    }

    @Test
    void argActionsDoNothingWithoutABackendType() {
        Enrichment result = apply(rule("{remove-args: {args: [tool-call-parser]}, set-env: {env: {A: \"2\"}}}"), """
                backend:
                  vllm_config: {prefill: {tool-call-parser: x}}
                """);

        assertThat(result.applied()).isEmpty();
    }

    @Test
    void excludeFromEvalsIsDecidedFromThePointAloneAndRecordedWhenApplied() {
        WorkaroundEngine engine = new WorkaroundEngine(TestData.catalog("""
                - {id: no-evals, when: {model-prefix: [dsv4], runner: [h100-multinode]}, do: {exclude-from-evals: true}, why: w}
                """));
        EvalExclusions exclusions = engine::excludedFromEvals;

        assertThat(exclusions.excludes(point, "seq-len-configs")).isTrue();
        assertThat(exclusions.excludes(point, "scenarios")).as("no master-schema condition: every schema").isTrue();
        assertThat(exclusions.excludes(point.withRunner("h200"), "seq-len-configs")).isFalse();
        assertThat(engine.apply(point, profile, TestData.yaml(DISAGG)).applied())
                .singleElement()
                .satisfies(a -> assertThat(a.changes()).containsExactly("eval group excluded from eval marking"));
    }

    @Test
    void placeholdersAreFilledFromTheSingleNodePointNumbersAsNumbersOrDigits() {
        MatrixPoint single = TestData.singleNode("gptoss", "vllm", "fp4", 2); // 1k1k, concurrency 16
        WorkaroundEngine engine = new WorkaroundEngine(TestData.catalog("""
                - id: per-point
                  when: {multinode: false}
                  do:
                    set-args:
                      args:
                        max-num-seqs: "${conc}"
                        max-model-len: "${isl == 1024 && osl == 1024 ? isl + osl + 20 : max_model_len}"
                        tokenizer-worker-num: "${tp * 2}"
                        compilation-config: {note: "tp${tp}-c${conc}", sizes: [1, 2, "${seq(256, 256, 1024)}", "${seq(8, 1, 0)}"]}
                    set-env: {env: {WORKERS: "${tp * 2}"}}
                  why: w
                """));

        Enrichment result = engine.apply(single, profile, ServerConfigs.synthesize(single));

        ObjectNode args = (ObjectNode) result.patchedConfig().at("/backend/vllm_config/aggregated");
        assertThat(args.get("max-num-seqs").isInt()).isTrue();
        assertThat(args.get("max-num-seqs").intValue()).isEqualTo(16);
        assertThat(args.get("max-model-len").intValue()).isEqualTo(2068);
        assertThat(args.get("tokenizer-worker-num").intValue()).isEqualTo(4);
        assertThat(args.get("compilation-config").toString())
                .isEqualTo("{\"note\":\"tp2-c16\",\"sizes\":[1,2,256,512,768,1024]}");
        assertThat(result.patchedConfig().at("/backend/aggregated_environment/WORKERS").textValue()).isEqualTo("4");
        assertThat(result.applied()).singleElement().satisfies(a -> assertThat(a.changes())
                .contains("aggregated: engine arg max-num-seqs = 16", "aggregated: engine arg max-model-len = 2068 (was 2304)"));
    }

    @Test
    void aPlaceholderThatCannotBeFilledRefusesThePoint() {
        MatrixPoint single = TestData.singleNode("gptoss", "vllm", "fp4", 2);
        WorkaroundEngine engine = new WorkaroundEngine(TestData.catalog("""
                - {id: div, when: {multinode: false}, do: {set-args: {args: {x: "${conc / (tp - 2)}"}}}, why: w}
                """));

        Enrichment result = engine.apply(single, profile, ServerConfigs.synthesize(single));

        assertThat(result.refusal()).startsWith("workaround div cannot patch this configuration: cannot fill ${conc / (tp - 2)}");
    }
}
