package io.sweepd.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code sweepd completion}: the bash (and zsh) completion script, generated from the command definitions. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script for sweepd (zsh reads it too, after bashcompinit), generated "
                + "from the command definitions, so it always knows this version's commands and options.",
                "Install: sweepd completion > ~/.local/share/bash-completion/completions/sweepd "
                        + "(or: source <(sweepd completion) in ~/.bashrc)."})
final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        // From the root, so every subcommand and option is in it (this command's own spec is only a leaf).
        out.print(AutoComplete.bash("sweepd", spec.root().commandLine()));
        out.flush();
    }
}
