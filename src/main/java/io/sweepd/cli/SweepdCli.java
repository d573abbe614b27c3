package io.sweepd.cli;

import io.sweepd.app.BuildInfo;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code sweepd} command line. */
@Command(name = "sweepd",
        mixinStandardHelpOptions = true,
        versionProvider = SweepdCli.Version.class,
        description = "Plans, submits, tracks and reports LLM-inference benchmark sweeps on a Slurm GPU cluster.",
        subcommands = {PlanCommand.class, SubmitCommand.class, DaemonCommand.class, StatusCommand.class,
                CancelCommand.class, WaitCommand.class, ReportCommand.class, TriageCommand.class,
                RetryCommand.class, SchedulesCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class SweepdCli {

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Holds inbox/, outputs/, state/, reports/ (default: $SWEEPD_HOME or the current directory).")
    Path home;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A properties file of sweepd.* settings (see the README's configuration reference).")
    Path config;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SweepdCli());
    }

    /** Settings for a subcommand: defaults, --config, environment, then the given option overrides. */
    SweepdSettings settings(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        if (home != null) {
            all.put("sweepd.home", home.toString());
        }
        return SweepdSettings.load(config, System.getenv(), all);
    }

    /** The run a SWEEP argument names, or empty after saying on stderr that there is none. */
    static Optional<RunRecord> runNamed(Ledger ledger, String sweep) {
        Optional<RunRecord> run = ledger.runs().runNamed(sweep);
        if (run.isEmpty()) {
            System.err.println("no sweep or run named " + sweep);
        }
        return run;
    }

    /**
     * Where a command looked for runs, for its "no such run" message: the ledger's JDBC URL without its
     * parameters (a URL may carry credentials after them) and the home.
     */
    static String where(SweepdSettings settings) {
        return "the ledger " + LedgerFactory.url(settings).replaceFirst("[;?].*", "") + " (home "
                + settings.home() + ")";
    }

    /** {@code sweepd --version} and {@code sweepd version}: what the build wrote into the jar, and the JVM. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sweepd " + BuildInfo.current().describe(),
                    "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
        }
    }
}
