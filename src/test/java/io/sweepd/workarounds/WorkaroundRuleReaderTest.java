package io.sweepd.workarounds;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading is strict: every mistake is an error naming file, line and field. */
class WorkaroundRuleReaderTest {

    private static WorkaroundFormatException error(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> WorkaroundRuleReader.read("rules.yaml", yaml));
        assertThat(thrown).isInstanceOf(WorkaroundFormatException.class);
        return (WorkaroundFormatException) thrown;
    }

    @Test
    void readsEveryPartOfAFullRule() {
        List<WorkaroundRule> rules = WorkaroundRuleReader.read("rules.yaml", """
                # a comment
                - id: full-rule
                  when:
                    model-prefix: [dsv4]
                    gpu-memory-gb-below: 100
                    cross-node-tp: false
                    recipe-has: [backend.vllm_config]
                  do:
                    remove: [dynamo.version]
                    set: {dynamo.hash: abc}
                    remove-args: {roles: [prefill], args: [a]}
                    set-args: {roles: [decode], args: {b: 1}}
                    cap-args: {args: {c: 0.5}}
                    remove-env: {names: [D]}
                    set-env: {roles: [aggregated], env: {E: "1"}}
                    deadlines: {healthy-seconds: 100}
                    refuse: "no {tp}"
                  why: because
                  ref: somewhere
                """);

        WorkaroundRule rule = rules.get(0);
        assertThat(rule.id()).isEqualTo("full-rule");
        assertThat(rule.source()).isEqualTo("rules.yaml:2");
        assertThat(rule.when().modelPrefix()).containsExactly("dsv4");
        assertThat(rule.when().gpuMemoryGbBelow()).isEqualTo(100.0);
        assertThat(rule.when().crossNodeTp()).isFalse();
        assertThat(rule.when().recipeHas()).containsExactly(DottedPath.parse("backend.vllm_config"));
        assertThat(rule.when().framework()).isNull();
        assertThat(rule.does().removeArgs().roles()).containsExactly(Role.PREFILL);
        assertThat(rule.does().capArgs().roles()).containsExactly(Role.PREFILL, Role.DECODE, Role.AGGREGATED);
        assertThat(rule.does().setEnv().env()).containsEntry("E", "1");
        assertThat(rule.does().deadlines()).isEqualTo(new RuleActions.DeadlineRaise(null, 100, null));
        assertThat(rule.does().refuse()).isEqualTo("no {tp}");
        assertThat(rule.ref()).isEqualTo("somewhere");
    }

    @Test
    void anEmptyFileHasNoRules() {
        assertThat(WorkaroundRuleReader.read("rules.yaml", "")).isEmpty();
        assertThat(WorkaroundRuleReader.read("rules.yaml", "# only a comment\n")).isEmpty();
    }

    @Test
    void unknownRuleKeyIsAnErrorNamingFileLineAndField() {
        WorkaroundFormatException e = error("""
                - id: r
                  do: {remove: [a]}
                  why: w
                  comment: typo
                """);

        assertThat(e.file()).isEqualTo("rules.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.comment");
        assertThat(e.getMessage()).isEqualTo("rules.yaml:4: field 'r.comment': unknown key 'comment';"
                + " expected one of id, when, do, why, ref");
    }

    @Test
    void unknownConditionIsAnError() {
        WorkaroundFormatException e = error("""
                - id: r
                  when:
                    model-prefix: [dsv4]
                    gpus: [h100]
                  do: {remove: [a]}
                  why: w
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.when.gpus");
        assertThat(e.problem()).startsWith("unknown key 'gpus'; expected one of model-prefix");
    }

    @Test
    void unknownActionIsAnError() {
        WorkaroundFormatException e = error("""
                - id: first
                  do: {remove: [a]}
                  why: w
                - id: second
                  do:
                    set-argz: {args: {a: 1}}
                  why: w
                """);

        assertThat(e.line()).isEqualTo(6);
        assertThat(e.field()).isEqualTo("second.do.set-argz");
    }

    @Test
    void unknownKeyInsideAnActionIsAnError() {
        WorkaroundFormatException e = error("""
                - id: r
                  do:
                    remove-args:
                      role: [prefill]
                      args: [a]
                  why: w
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.do.remove-args.role");
        assertThat(e.problem()).isEqualTo("unknown key 'role'; expected one of roles, args");
    }

    @Test
    void wrongValueTypesAreErrors() {
        assertThat(error("- {id: r, when: {multinode: \"yes\"}, do: {remove: [a]}, why: w}").problem())
                .isEqualTo("expected true or false, found 'yes'");
        assertThat(error("- {id: r, when: {gpu-memory-gb-below: lots}, do: {remove: [a]}, why: w}").field())
                .isEqualTo("r.when.gpu-memory-gb-below");
        assertThat(error("- {id: r, when: {gpu: {a: 1}}, do: {remove: [a]}, why: w}").problem())
                .isEqualTo("expected a list of strings, found a map");
        assertThat(error("- {id: r, do: {cap-args: {args: {gpu-memory-utilization: high}}}, why: w}").problem())
                .isEqualTo("a cap is a number, found 'high'");
        assertThat(error("- {id: r, do: {set-env: {env: {A: true}}}, why: w}").problem())
                .startsWith("an environment value is a string");
        assertThat(error("- {id: r, do: {deadlines: {healthy-seconds: -5}}, why: w}").field())
                .isEqualTo("r.do.deadlines.healthy-seconds");
        assertThat(error("- {id: r, do: {set: {a: null}}, why: w}").problem()).contains("use 'remove'");
    }

    @Test
    void idMustBeKebabCase() {
        WorkaroundFormatException e = error("- {id: Pin_Dynamo, do: {remove: [a]}, why: w}");

        assertThat(e.field()).isEqualTo("[0].id");
        assertThat(e.problem()).contains("not kebab-case");
    }

    @Test
    void repeatedIdInOneFileIsAnError() {
        WorkaroundFormatException e = error("""
                - {id: r, do: {remove: [a]}, why: w}
                - {id: r, do: {remove: [b]}, why: w}
                """);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("id 'r' is already used at line 1");
    }

    @Test
    void idDoAndWhyAreRequired() {
        assertThat(error("- {do: {remove: [a]}, why: w}").problem()).isEqualTo("missing 'id'");
        assertThat(error("- {id: r, why: w}").problem()).isEqualTo("missing 'do'");
        assertThat(error("- {id: r, do: {remove: [a]}}").problem()).isEqualTo("missing 'why'");
    }

    @Test
    void aRuleThatDoesNothingIsAnError() {
        assertThat(error("- {id: r, do: {}, why: w}").problem()).startsWith("'do' is empty");
        assertThat(error("- {id: r, do: {exclude-from-evals: false}, why: w}").problem()).contains("does nothing");
    }

    @Test
    void unknownRoleIsAnError() {
        WorkaroundFormatException e = error("- {id: r, do: {remove-args: {roles: [prefil], args: [a]}}, why: w}");

        assertThat(e.problem()).isEqualTo("unknown role 'prefil'; roles are prefill, decode, aggregated");
    }

    @Test
    void unknownRefusalPlaceholderIsAnError() {
        WorkaroundFormatException e = error("- {id: r, do: {refuse: \"tp {tensor-parallel} on {profile}\"}, why: w}");

        assertThat(e.field()).isEqualTo("r.do.refuse");
        assertThat(e.problem()).startsWith("unknown placeholder {tensor-parallel}; known: {framework}, {gpu}");
    }

    @Test
    void evalExclusionMayOnlyUsePointConditions() {
        WorkaroundFormatException e = error("- {id: r, when: {gpu: [h100]}, do: {exclude-from-evals: true}, why: w}");

        assertThat(e.field()).isEqualTo("r.do.exclude-from-evals");
        assertThat(e.problem()).contains("before a profile or recipe is known");
    }

    @Test
    void emptyConditionListIsAnError() {
        assertThat(error("- {id: r, when: {framework: []}, do: {remove: [a]}, why: w}").problem())
                .isEqualTo("empty list; leave the key out instead");
    }

    @Test
    void badDottedPathIsAnError() {
        WorkaroundFormatException e = error("- {id: r, do: {remove: [dynamo..version]}, why: w}");

        assertThat(e.field()).isEqualTo("r.do.remove[0]");
        assertThat(e.problem()).contains("empty key");
    }

    @Test
    void repeatedYamlKeyIsAnError() {
        WorkaroundFormatException e = error("""
                - id: r
                  do: {remove: [a]}
                  why: w
                  why: again
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.problem()).isEqualTo("repeated key 'why' (first at line 3)");
    }

    @Test
    void yamlSyntaxErrorNamesItsLine() {
        WorkaroundFormatException e = error("""
                - id: r
                  do: {remove: [a]
                  why: w
                """);

        assertThat(e.line()).isGreaterThanOrEqualTo(2);
        assertThat(e.problem()).startsWith("not valid YAML");
    }

    @Test
    void fileMustBeAListOfRules() {
        assertThat(error("id: r\ndo: {remove: [a]}\nwhy: w\n").problem()).startsWith("a workaround file is a YAML list");
        assertThat(error("- just a string").problem()).startsWith("expected a rule");
    }

    @Test
    void secondYamlDocumentIsAnError() {
        assertThat(error("- {id: a, do: {remove: [a]}, why: w}\n---\n- {id: b, do: {remove: [a]}, why: w}\n").problem())
                .contains("one YAML document");
    }

    @Test
    void exceptionMessageWithoutLineOrFieldStaysReadable() {
        assertThatThrownBy(() -> {
            throw new WorkaroundFormatException("x.yaml", 0, null, "broken");
        }).hasMessage("x.yaml: broken");
    }

    @Test
    void aPointExpressionThatDoesNotParseIsAnErrorNamingItsField() {
        WorkaroundFormatException condition = error(
                "- {id: r, when: {multinode: false, if: \"concurrency > 4\"}, do: {remove: [a]}, why: w}");
        assertThat(condition.field()).isEqualTo("r.when.if");
        assertThat(condition.problem()).contains("unknown variable 'concurrency'");

        WorkaroundFormatException arg = error("- {id: r, when: {multinode: false}, do: {set-args: {args: {max-num-seqs: \"${conc *}\"}}}, why: w}");
        assertThat(arg.field()).isEqualTo("r.do.set-args.args.max-num-seqs");
        assertThat(arg.problem()).startsWith("placeholder ${conc *}: expression ends too early");

        WorkaroundFormatException env = error("- {id: r, when: {multinode: false}, do: {set-env: {env: {N: \"${tpp}\"}}}, why: w}");
        assertThat(env.field()).isEqualTo("r.do.set-env.env.N");

        WorkaroundFormatException seq = error("- {id: r, when: {multinode: false}, do: {set-args: {args: {l: [\"${seq(1, 2)}\"]}}}, why: w}");
        assertThat(seq.problem()).contains("seq takes three arguments");
    }

    @Test
    void pointValuesNeedASingleNodeRule() {
        WorkaroundFormatException noCondition = error("- {id: r, do: {set-args: {args: {max-num-seqs: \"${conc}\"}}}, why: w}");
        assertThat(noCondition.field()).isEqualTo("r.when");
        assertThat(noCondition.problem()).contains("say 'multinode: false'");

        assertThat(error("- {id: r, when: {if: \"tp == 8\"}, do: {remove: [a]}, why: w}").problem())
                .contains("say 'multinode: false'");
    }

    @Test
    void unknownScenarioTypeIsAnError() {
        WorkaroundFormatException e = error("- {id: r, when: {scenario-type: [agentic]}, do: {remove: [a]}, why: w}");

        assertThat(e.field()).isEqualTo("r.when.scenario-type");
        assertThat(e.problem()).isEqualTo("unknown scenario type 'agentic'; known: fixed-seq-len, agentic-coding");
    }
}
