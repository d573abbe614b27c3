package io.sweepd.slurm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandSpec;
import io.sweepd.exec.ProcessLauncher;

/** Canned replies for the Slurm commands, chosen by the first rule whose argv predicate matches. */
final class ScriptedLauncher implements ProcessLauncher {

    private record Rule(Predicate<List<String>> when, int exit, String stdout, String stderr, boolean timedOut) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<CommandSpec> calls = Collections.synchronizedList(new ArrayList<>());

    /** Matches when the argv contains all the given elements, in any order. */
    ScriptedLauncher on(int exit, String stdout, String stderr, String... argvContains) {
        rules.add(new Rule(argv -> argv.containsAll(List.of(argvContains)), exit, stdout, stderr, false));
        return this;
    }

    ScriptedLauncher timeoutOn(String... argvContains) {
        rules.add(new Rule(argv -> argv.containsAll(List.of(argvContains)), 143, "", "", true));
        return this;
    }

    List<CommandSpec> calls() {
        return List.copyOf(calls);
    }

    @Override
    public CommandResult launch(CommandSpec spec) {
        calls.add(spec);
        for (Rule rule : rules) {
            if (rule.when().test(spec.argv())) {
                return new CommandResult(spec, rule.exit(), rule.stdout(), rule.stderr(), rule.timedOut(),
                        Duration.ofMillis(3));
            }
        }
        throw new AssertionError("Unexpected command " + spec.argv());
    }
}
