package io.sweepd.workarounds;

import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Loading is strict: every mistake is an error naming file, line and field. */
class WorkaroundRuleReaderTest {

    private static YamlFieldException error(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> WorkaroundRuleReader.read("rules.yaml", yaml));
        assertThat(thrown).isInstanceOf(YamlFieldException.class);
        return (YamlFieldException) thrown;
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
        YamlFieldException e = error("""
                - id: r
                  do: {remove: [a]}
                  why: w
                  comment: typo
                """);

        assertThat(e.file()).isEqualTo("rules.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.comment");
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("rules.yaml:4:3: field 'r.comment': unknown key 'comment';"
                + " expected one of: id, when, do, why, ref");
    }

    @Test
    void unknownConditionIsAnError() {
        YamlFieldException e = error("""
                - id: r
                  when:
                    model-prefix: [dsv4]
                    gpus: [h100]
                  do: {remove: [a]}
                  why: w
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.when.gpus");
        assertThat(e.problem()).startsWith("unknown key 'gpus' (did you mean 'gpu'?); expected one of: model-prefix");
    }

    @Test
    void unknownActionIsAnError() {
        YamlFieldException e = error("""
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
        YamlFieldException e = error("""
                - id: r
                  do:
                    remove-args:
                      role: [prefill]
                      args: [a]
                  why: w
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("r.do.remove-args.role");
        assertThat(e.problem()).isEqualTo("unknown key 'role' (did you mean 'roles'?); expected one of: roles, args");
    }

    @Test
    void wrongValueTypesAreErrors() {
        assertThat(error("- {id: r, when: {multinode: \"yes\"}, do: {remove: [a]}, why: w}").problem())
                .isEqualTo("expected true or false, got string \"yes\"");
        assertThat(error("- {id: r, when: {gpu-memory-gb-below: lots}, do: {remove: [a]}, why: w}").field())
                .isEqualTo("r.when.gpu-memory-gb-below");
        assertThat(error("- {id: r, when: {gpu: {a: 1}}, do: {remove: [a]}, why: w}").problem())
                .isEqualTo("expected a list of strings, got a map");
        assertThat(error("- {id: r, do: {cap-args: {args: {gpu-memory-utilization: high}}}, why: w}").problem())
                .isEqualTo("a cap is a number, got string \"high\"");
        assertThat(error("- {id: r, do: {set-env: {env: {A: true}}}, why: w}").problem())
                .startsWith("an environment value is a string");
        assertThat(error("- {id: r, do: {deadlines: {healthy-seconds: -5}}, why: w}").field())
                .isEqualTo("r.do.deadlines.healthy-seconds");
        assertThat(error("- {id: r, do: {set: {a: null}}, why: w}").problem()).contains("use 'remove'");
    }

    @Test
    void idMustBeKebabCase() {
        YamlFieldException e = error("- {id: Pin_Dynamo, do: {remove: [a]}, why: w}");

        assertThat(e.field()).isEqualTo("[0].id");
        assertThat(e.problem()).contains("not kebab-case");
    }

    @Test
    void repeatedIdInOneFileIsAnError() {
        YamlFieldException e = error("""
                - {id: r, do: {remove: [a]}, why: w}
                - {id: r, do: {remove: [b]}, why: w}
                """);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("id 'r' is already used at line 1");
    }

    @Test
    void idDoAndWhyAreRequired() {
        YamlFieldException noId = error("- {do: {remove: [a]}, why: w}");
        assertThat(noId.problem()).isEqualTo("missing required key 'id'");
        assertThat(noId.field()).isEqualTo("[0].id");
        YamlFieldException noDo = error("- {id: r, why: w}");
        assertThat(noDo.problem()).isEqualTo("missing required key 'do'");
        assertThat(noDo.field()).isEqualTo("r.do");
        assertThat(error("- {id: r, do: {remove: [a]}}").problem()).isEqualTo("missing required key 'why'");
    }

    @Test
    void aRuleThatDoesNothingIsAnError() {
        assertThat(error("- {id: r, do: {}, why: w}").problem()).startsWith("'do' is empty");
        assertThat(error("- {id: r, do: {exclude-from-evals: false}, why: w}").problem()).contains("does nothing");
    }

    @Test
    void unknownRoleIsAnError() {
        YamlFieldException e = error("- {id: r, do: {remove-args: {roles: [prefil], args: [a]}}, why: w}");

        assertThat(e.problem()).isEqualTo("unknown role 'prefil'; roles are prefill, decode, aggregated");
    }

    @Test
    void unknownRefusalPlaceholderIsAnError() {
        YamlFieldException e = error("- {id: r, do: {refuse: \"tp {tensor-parallel} on {profile}\"}, why: w}");

        assertThat(e.field()).isEqualTo("r.do.refuse");
        assertThat(e.problem()).startsWith("unknown placeholder {tensor-parallel}; known: {framework}, {gpu}");
    }

    @Test
    void evalExclusionMayOnlyUsePointConditions() {
        YamlFieldException e = error("- {id: r, when: {gpu: [h100]}, do: {exclude-from-evals: true}, why: w}");

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
        YamlFieldException e = error("- {id: r, do: {remove: [dynamo..version]}, why: w}");

        assertThat(e.field()).isEqualTo("r.do.remove[0]");
        assertThat(e.problem()).contains("empty key");
    }

    @Test
    void repeatedYamlKeyIsAnError() {
        YamlFieldException e = error("""
                - id: r
                  do: {remove: [a]}
                  why: w
                  why: again
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.problem()).isEqualTo("duplicate key 'why' (first given at line 3)");
    }

    @Test
    void yamlSyntaxErrorNamesItsLine() {
        YamlFieldException e = error("""
                - id: r
                  do: {remove: [a]
                  why: w
                """);

        assertThat(e.line()).isGreaterThanOrEqualTo(2);
        assertThat(e.problem()).startsWith("YAML syntax error: expected ',' or '}'");
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
    void aPointExpressionThatDoesNotParseIsAnErrorNamingItsField() {
        YamlFieldException condition = error(
                "- {id: r, when: {multinode: false, if: \"concurrency > 4\"}, do: {remove: [a]}, why: w}");
        assertThat(condition.field()).isEqualTo("r.when.if");
        assertThat(condition.problem()).contains("unknown variable 'concurrency'");

        YamlFieldException arg = error("- {id: r, when: {multinode: false}, do: {set-args: {args: {max-num-seqs: \"${conc *}\"}}}, why: w}");
        assertThat(arg.field()).isEqualTo("r.do.set-args.args.max-num-seqs");
        assertThat(arg.problem()).startsWith("placeholder ${conc *}: expression ends too early");

        YamlFieldException env = error("- {id: r, when: {multinode: false}, do: {set-env: {env: {N: \"${tpp}\"}}}, why: w}");
        assertThat(env.field()).isEqualTo("r.do.set-env.env.N");

        YamlFieldException seq = error("- {id: r, when: {multinode: false}, do: {set-args: {args: {l: [\"${seq(1, 2)}\"]}}}, why: w}");
        assertThat(seq.problem()).contains("seq takes three arguments");
    }

    @Test
    void pointValuesNeedASingleNodeRule() {
        YamlFieldException noCondition = error("- {id: r, do: {set-args: {args: {max-num-seqs: \"${conc}\"}}}, why: w}");
        assertThat(noCondition.field()).isEqualTo("r");
        assertThat(noCondition.problem()).contains("add 'when: {multinode: false}'");

        assertThat(error("- {id: r, when: {if: \"tp == 8\"}, do: {remove: [a]}, why: w}").problem())
                .contains("say 'multinode: false'");
    }

    @Test
    void unknownScenarioTypeIsAnError() {
        YamlFieldException e = error("- {id: r, when: {scenario-type: [agentic]}, do: {remove: [a]}, why: w}");

        assertThat(e.field()).isEqualTo("r.when.scenario-type");
        assertThat(e.problem()).isEqualTo("unknown scenario type 'agentic'; known: fixed-seq-len, agentic-coding");
    }
}
