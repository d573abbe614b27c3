package io.sweepd.cli;

import io.sweepd.app.StartupCheckFailed;
import io.sweepd.app.SweepdDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sweepd daemon}: run the pipeline until SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Watch the inbox and run the pipeline until SIGTERM, then shut down gracefully.")
final class DaemonCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--standby", description = "When another daemon runs on this home, wait and take over within"
            + " 5 s of it stopping, instead of refusing to start.")
    boolean standby;

    @Override
    public Integer call() throws Exception {
        try {
            new SweepdDaemon(parent.settings(Map.of())).run(standby);
            return ExitCodes.OK;
        } catch (StartupCheckFailed e) {
            // The message says what is wrong and what to check; a stack trace would only bury it.
            spec.commandLine().getErr().println("sweepd daemon cannot start: " + e.getMessage());
            return e.slurm() ? ExitCodes.SLURM_UNAVAILABLE : ExitCodes.CANNOT_START;
        }
    }
}
