package io.sweepd.app;

import io.sweepd.exec.CommandRunner;

import java.util.Map;

/** The command runner the settings describe, for the daemon and the CLI alike. */
public final class CommandRunnerFactory {

    private CommandRunnerFactory() {
    }

    /** Commands see the configured slurm.conf, whatever the process's own environment says. */
    public static CommandRunner runner(SweepdSettings settings) {
        return new CommandRunner(settings.optional("sweepd.slurm.conf")
                .map(conf -> Map.of("SLURM_CONF", conf)).orElse(Map.of()));
    }
}
