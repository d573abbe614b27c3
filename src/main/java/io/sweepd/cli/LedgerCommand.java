package io.sweepd.cli;

import io.sweepd.app.DaemonLock;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.LedgerCheck;
import io.sweepd.ledger.LedgerDamaged;
import io.sweepd.ledger.LedgerWitness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** {@code sweepd ledger check|backup|restore}: the embedded ledger's health, its backups, and the way back. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Check the ledger, back it up, or restore it from a backup (embedded H2 ledger; a PostgreSQL"
                + " ledger is backed up by its operator with pg_dump).",
        subcommands = {LedgerCommand.Check.class, LedgerCommand.Backup.class, LedgerCommand.Restore.class})
final class LedgerCommand implements Runnable {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    SweepdSettings embeddedOnly() {
        SweepdSettings settings = parent.settings(Map.of());
        if (settings.optional("sweepd.ledger.jdbc-url").isPresent()) {
            throw new CliFailure(ExitCodes.BAD_INPUT, "the ledger is PostgreSQL (sweepd.ledger.jdbc-url): check and"
                    + " back it up with the database's own tools (pg_dump, pg_restore)");
        }
        return settings;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Read every row of every table of the ledger and compare it with what it held when last"
                    + " closed; exit 10 naming what is wrong (a file cut short, a damaged page, lost writes).")
    static final class Check implements java.util.concurrent.Callable<Integer> {

        @ParentCommand
        LedgerCommand ledger;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SweepdSettings settings = ledger.embeddedOnly();
            PrintWriter out = spec.commandLine().getOut();
            Path file = LedgerBackups.ledgerFile(settings.state());
            if (!Files.exists(file)) {
                throw new CliFailure(ExitCodes.NOT_FOUND, "no ledger at " + file + " yet");
            }
            Optional<DaemonLock> noDaemon = DaemonLock.tryAcquire(settings.state(), Clock.systemUTC());
            try {
                if (noDaemon.isPresent()) {
                    // A file H2 cannot open fails the probe at once; the open below would retry it for a minute.
                    Optional<String> problem = LedgerCheck.closedFileProblem(file);
                    if (problem.isPresent()) {
                        throw damaged(file, problem.get());
                    }
                }
                LedgerCheck.Result result;
                try (Ledger opened = LedgerFactory.openUnchecked(settings)) {
                    result = LedgerCheck.verify(opened, LedgerCheck.Depth.FULL,
                            LedgerWitness.read(LedgerWitness.file(settings.state())));
                } catch (RuntimeException e) {
                    throw damaged(file, "it cannot be opened (" + e.getMessage() + ")");
                }
                if (!result.ok()) {
                    throw damaged(file, String.join("; ", result.problems()));
                }
                out.println(file + ": ok" + (noDaemon.isPresent() ? "" : " (a daemon holds it: header not compared)"));
                result.rows().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(table -> out.println("  " + table.getKey() + ": " + table.getValue() + " rows"));
                out.flush();
                return ExitCodes.OK;
            } finally {
                noDaemon.ifPresent(DaemonLock::close);
            }
        }

        private static CliFailure damaged(Path file, String problem) {
            return new CliFailure(ExitCodes.CANNOT_START, "the ledger " + file + " is damaged: " + problem
                    + ". Restore a backup with `sweepd ledger restore BACKUP` (`sweepd ledger backup --list`)");
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy the ledger to <state>/backups (also while the daemon runs), or --list the backups,"
                    + " newest first. The daemon also takes one at every start.")
    static final class Backup implements java.util.concurrent.Callable<Integer> {

        @ParentCommand
        LedgerCommand ledger;

        @Spec
        CommandSpec spec;

        @Option(names = "--list", description = "List the backups, newest first, instead of taking one.")
        boolean list;

        @Override
        public Integer call() {
            SweepdSettings settings = ledger.embeddedOnly();
            PrintWriter out = spec.commandLine().getOut();
            LedgerBackups backups = new LedgerBackups(settings.state(), Clock.systemUTC());
            if (list) {
                backups.list().forEach(out::println);
                out.flush();
                return ExitCodes.OK;
            }
            try (Ledger opened = LedgerFactory.open(settings)) {
                out.println(backups.backupOnline(opened, "manual"));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Put a backup in place of the ledger (the daemon must be stopped). The file replaced is"
                    + " kept in <state>/backups. The next daemon finds by name the jobs Slurm has that the backup"
                    + " does not know, and does not submit them again.")
    static final class Restore implements java.util.concurrent.Callable<Integer> {

        @ParentCommand
        LedgerCommand ledger;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "BACKUP", description = "A backup (sweepd ledger backup --list) or any copy of a"
                + " ledger file (ledger.mv.db).")
        Path backup;

        @Override
        public Integer call() {
            SweepdSettings settings = ledger.embeddedOnly();
            PrintWriter out = spec.commandLine().getOut();
            SweepdCli.requireFile(backup, "ledger backup");
            Path state = settings.state();
            try {
                Files.createDirectories(state);
            } catch (java.io.IOException e) {
                throw new CliFailure(ExitCodes.ERROR, "cannot create " + state + ": " + e.getMessage());
            }
            // Held throughout: no daemon starts on a half-restored ledger.
            DaemonLock lock = DaemonLock.tryAcquire(state, Clock.systemUTC()).orElseThrow(() -> new CliFailure(
                    ExitCodes.ERROR, "a daemon holds this home (" + DaemonLock.holder(state) + "): stop it first"));
            try (lock) {
                LedgerBackups backups = new LedgerBackups(state, Clock.systemUTC());
                Optional<Path> replaced;
                try {
                    replaced = backups.restore(backup.toAbsolutePath());
                } catch (LedgerDamaged e) {
                    throw new CliFailure(ExitCodes.BAD_INPUT, e.getMessage());
                }
                LedgerCheck.Result result;
                try (Ledger restored = LedgerFactory.openUnchecked(settings)) {
                    result = LedgerCheck.verify(restored, LedgerCheck.Depth.FULL, Optional.empty());
                    if (result.ok()) {
                        // The restored file is the truth from now on: its own witness, not the lost file's.
                        LedgerWitness.of(restored).write(LedgerWitness.file(state));
                    }
                }
                if (!result.ok()) {
                    replaced.ifPresent(backups::restore);
                    throw new CliFailure(ExitCodes.BAD_INPUT, backup + " is damaged (" + String.join("; ",
                            result.problems()) + "); the ledger was put back as it was");
                }
                out.println("restored " + LedgerBackups.ledgerFile(state) + " from " + backup
                        + replaced.map(p -> "; the file it replaced is kept as " + p).orElse(""));
                out.println("start the daemon: jobs Slurm has that this backup does not know are found by name,"
                        + " not submitted again");
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}
