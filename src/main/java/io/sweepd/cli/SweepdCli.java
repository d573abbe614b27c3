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

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code sweepd} command line. */
@Command(name = "sweepd",
        mixinStandardHelpOptions = true,
        versionProvider = SweepdCli.Version.class,
        description = "Plans, submits, tracks and reports LLM-inference benchmark sweeps on a Slurm GPU cluster.")
public final class SweepdCli {

    /**
     * Every subcommand by its name, in the order {@code sweepd --help} lists them. The names are the ones in their
     * {@code @Command} annotations (a test holds them to it): reading the annotations of every class to find one
     * name cost a short command 15 ms.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = inOrder(List.of(Map.entry("plan", PlanCommand.class),
            Map.entry("submit", SubmitCommand.class), Map.entry("daemon", DaemonCommand.class),
            Map.entry("status", StatusCommand.class), Map.entry("cancel", CancelCommand.class),
            Map.entry("wait", WaitCommand.class), Map.entry("report", ReportCommand.class),
            Map.entry("triage", TriageCommand.class), Map.entry("retry", RetryCommand.class),
            Map.entry("schedules", SchedulesCommand.class), Map.entry("runs", RunsCommand.class),
            Map.entry("show", ShowCommand.class), Map.entry("profiles", ProfilesCommand.class),
            Map.entry("rules", RulesCommand.class), Map.entry("ledger", LedgerCommand.class),
            Map.entry("completion", CompletionCommand.class), Map.entry("manpage", ManPageCommand.class),
            Map.entry("version", VersionCommand.class), Map.entry("help", CommandLine.HelpCommand.class)));

    /** Subcommands that work on the whole command tree (help about another command, completion, man pages). */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion", "manpage");

    /** The top-level options that take a value: the word after them is that value, not a subcommand. */
    private static final Set<String> OPTIONS_WITH_A_VALUE = Set.of("--home", "--config");

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Holds inbox/, outputs/, state/, reports/ (default: $SWEEPD_HOME, else "
                    + "$XDG_DATA_HOME/sweepd, else ~/.local/share/sweepd; never the current directory unless "
                    + "given as --home .).")
    Path home;

    /** Where SWEEPD_* settings, SWEEPD_HOME and XDG_DATA_HOME are read; tests give their own. */
    Map<String, String> environment = System.getenv();

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A properties file of sweepd.* settings (see the README's configuration reference).")
    Path config;

    public static void main(String[] args) {
        // H2 would hash every text it reads for a cache of recent values: sweepd reads each result's and plan
        // entry's JSON once, so the cache does not pay, and hashing them was a tenth of a large report's reading.
        // Set before H2 loads.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
        String subcommand = subcommandNamed(args);
        OneShotLogConfigurator.askFor(subcommand);
        System.exit(commandLine(subcommand).execute(args));
    }

    private static Map<String, Class<?>> inOrder(List<Map.Entry<String, Class<?>>> entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            byName.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The whole command line, every subcommand in it. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.values());
    }

    /**
     * The command line for a subcommand's name ({@link #subcommandNamed}): the top level and only that subcommand.
     * picocli builds the model of every subcommand it is given, by reflection over its annotations, and for all of
     * them that was a fifth of a short command's time ({@code sweepd status}). Without a subcommand, with one sweepd does not have (picocli then
     * suggests the nearest), or with one that looks at the whole tree, it is the whole command line.
     */
    static CommandLine commandLine(String named) {
        if (named == null || WHOLE_TREE.contains(named) || !SUBCOMMANDS.containsKey(named)) {
            return commandLine();
        }
        return commandLine(List.of(SUBCOMMANDS.get(named)));
    }

    /** The first word that is neither an option nor an option's value: the subcommand's name, or null. */
    static String subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (OPTIONS_WITH_A_VALUE.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static CommandLine commandLine(Collection<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new SweepdCli());
        // A loop, not forEach(cli::addSubcommand): a method reference into picocli makes the class-data archive's
        // dump link CommandLine, and Java 17 then leaves it (a Java 5 class file) out of the archive.
        for (Class<?> subcommand : subcommands) {
            cli.addSubcommand(subcommand);
        }
        cli.setExecutionStrategy(SweepdCli::execute);
        cli.setExecutionExceptionHandler(SweepdCli::failed);
        ExitCodes.document(cli);
        return cli;
    }

    /** Runs the chosen command; a one-shot command with only warnings logged (the daemon logs as configured). */
    private static int execute(CommandLine.ParseResult parsed) {
        boolean daemon = parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof DaemonCommand;
        if (daemon) {
            return new CommandLine.RunLast().execute(parsed);
        }
        try (OneShotLogging quiet = OneShotLogging.warningsOnly()) {
            return new CommandLine.RunLast().execute(parsed);
        }
    }

    /**
     * A {@link CliFailure} is one line on stderr and its exit status; anything else was not expected, so its stack
     * trace follows the line, and the status is {@link ExitCodes#ERROR}.
     */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        String prefix = command.getCommandSpec().qualifiedName() + ": ";
        if (e instanceof CliFailure failure) {
            err.println(prefix + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        String damage = ledgerDamage(e);
        if (damage != null) {
            // A damaged ledger is the operator's to recover, not a bug: one line with the file and the way out.
            err.println(prefix + damage);
            err.flush();
            return ExitCodes.CANNOT_START;
        }
        err.println(prefix + "unexpected error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.ERROR;
    }

    /**
     * What to tell about a damaged ledger: its check's message, or, for damage found only while reading (H2 reports
     * a corrupted file), the same advice; null for any other failure.
     */
    private static String ledgerDamage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof io.sweepd.ledger.LedgerDamaged damaged) {
                return damaged.getMessage();
            }
            String message = String.valueOf(cause.getMessage());
            if (message.contains("File corrupted") || cause.getClass().getName().endsWith("MVStoreException")) {
                int end = message.indexOf('\n');
                return "the ledger is damaged (" + (end < 0 ? message : message.substring(0, end)).strip()
                        + "): `sweepd ledger check` says what is wrong; `sweepd ledger restore BACKUP` recovers";
            }
        }
        return null;
    }

    /** Settings for a subcommand: defaults, --config, environment, then the given option overrides. */
    SweepdSettings settings(Map<String, String> overrides) {
        if (config != null) {
            requireFile(config, "settings file (--config)");
        }
        Map<String, String> all = new HashMap<>(overrides);
        if (home != null) {
            all.put("sweepd.home", home.toString());
        }
        try {
            return SweepdSettings.load(config, environment, all);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.BAD_INPUT, e.getMessage());
        }
    }

    /**
     * The ledger of a home that already has one, for commands that only read it (status, runs, show, report...):
     * opening an embedded ledger creates it, and a command typed with the wrong home (or none) must not leave an
     * empty ledger behind. A ledger at a JDBC URL is the database's to have or not: it is opened as it is.
     */
    static Ledger openExistingLedger(SweepdSettings settings) {
        if (settings.optional("sweepd.ledger.jdbc-url").isEmpty()
                && !Files.isRegularFile(settings.state().resolve("ledger.mv.db"))) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no ledger in home " + settings.home() + " (nothing has run "
                    + "there); name the daemon's home with --home DIR or SWEEPD_HOME");
        }
        return LedgerFactory.open(settings);
    }

    /** A file the user named must exist and be readable: one line naming it otherwise, not a Java exception. */
    static void requireFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new CliFailure(ExitCodes.BAD_INPUT, file + ": no such " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliFailure(ExitCodes.BAD_INPUT, file + ": not a file (" + what + ")");
        }
        if (!Files.isReadable(file)) {
            throw new CliFailure(ExitCodes.BAD_INPUT, file + ": not readable by " + System.getProperty("user.name")
                    + " (" + what + ")");
        }
    }

    /** The run a SWEEP argument names; a {@link CliFailure} (unknown name) when there is none. */
    static RunRecord runNamed(Ledger ledger, String sweep) {
        return ledger.runs().runNamedWithoutPlan(sweep)
                .orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND, "no sweep or run named " + sweep));
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
