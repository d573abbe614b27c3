package io.sweepd.app;

import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.LedgerCheck;
import io.sweepd.ledger.LedgerDamaged;
import io.sweepd.ledger.LedgerWitness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The ledger the settings name: embedded H2 under the state directory, or a JDBC URL (PostgreSQL). An embedded ledger
 * is checked whenever it is opened ({@link LedgerCheck}): a damaged or cut-short file is a {@link LedgerDamaged}
 * naming the file and the command that recovers, never a silent start on older data. The daemon's start also backs
 * the file up (before migrations) and reads the tables it acts on; PostgreSQL's backups are the operator's pg_dump.
 */
public final class LedgerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerFactory.class);

    private LedgerFactory() {
    }

    /**
     * Opened for this home's owner ({@link SweepdSettings#ledgerOwner()}): it acts on this home's runs only. An
     * embedded ledger is checked (its header while no daemon holds it, its witness always) and vouches for itself
     * on close; a command that opened the file itself leaves it uncompacted ({@link Ledger.Closing#AS_IS}).
     *
     * @throws LedgerDamaged when the check fails
     */
    public static Ledger open(SweepdSettings settings) {
        if (settings.optional("sweepd.ledger.jdbc-url").isPresent()) {
            return openUnchecked(settings);
        }
        if (java.nio.file.Files.exists(LedgerBackups.ledgerFile(settings.state()))) {
            // While a daemon runs it writes the file: its header and length are only compared on a closed file.
            Optional<DaemonLock> noDaemon = noDaemon(settings.state());
            try {
                noDaemon.ifPresent(lock -> requireWholeHeader(settings));
            } finally {
                noDaemon.ifPresent(DaemonLock::close);
            }
        }
        return checked(settings, openUnchecked(settings, Ledger.Closing.AS_IS), LedgerCheck.Depth.QUICK, false);
    }

    /**
     * The daemon's ledger, opened while it holds the home's lock: the file's header is checked, the file is backed
     * up ({@code sweepd.ledger.backups} kept), then opened (migrations), and the tables the daemon acts on are read.
     *
     * @throws LedgerDamaged when the check fails (nothing is migrated or written then)
     */
    public static Ledger openForDaemon(SweepdSettings settings) {
        if (settings.optional("sweepd.ledger.jdbc-url").isPresent()) {
            return openUnchecked(settings);
        }
        // Header and a read-only open both before the backup: a damaged file is never copied over a good backup.
        LedgerCheck.closedFileProblem(LedgerBackups.ledgerFile(settings.state())).ifPresent(problem -> {
            throw damaged(settings, problem);
        });
        int keep = Math.toIntExact(settings.getLong("sweepd.ledger.backups"));
        if (keep > 0) {
            new LedgerBackups(settings.state(), Clock.systemUTC()).copyClosed("start", keep)
                    .ifPresent(backup -> LOG.info("ledger backed up to {}", backup));
        }
        return checked(settings, openUnchecked(settings), LedgerCheck.Depth.QUICK, true);
    }

    /** The ledger without any check: for {@code sweepd ledger check} and {@code restore}, which check it themselves. */
    public static Ledger openUnchecked(SweepdSettings settings) {
        return openUnchecked(settings, Ledger.Closing.COMPACT);
    }

    /**
     * The ledger without any check; an embedded file opened by this process is left as {@code closing} says. A file H2
     * finds corrupted on opening is a {@link LedgerDamaged} naming this home's backups.
     */
    private static Ledger openUnchecked(SweepdSettings settings, Ledger.Closing closing) {
        String owner = settings.ledgerOwner();
        Optional<String> jdbcUrl = settings.optional("sweepd.ledger.jdbc-url");
        if (jdbcUrl.isPresent()) {
            return Ledger.open(jdbcUrl.get(), settings.get("sweepd.ledger.user"),
                    settings.get("sweepd.ledger.password"), Clock.systemUTC(), Ledger.OPEN_TIMEOUT, owner);
        }
        try {
            return Ledger.embedded(settings.state(), Clock.systemUTC(), owner, closing);
        } catch (LedgerDamaged unopenable) {
            throw damaged(settings, unopenable.problem());
        }
    }

    /** The home's lock when no daemon holds it; empty when one does (or the lock file cannot be written here). */
    private static Optional<DaemonLock> noDaemon(Path state) {
        try {
            return DaemonLock.tryAcquire(state, Clock.systemUTC());
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * The file's header against its length, for a command, while no other process has the file open. (A file H2
     * finds corrupted fails the open itself at once, {@link #openUnchecked}, writing nothing.)
     */
    private static void requireWholeHeader(SweepdSettings settings) {
        LedgerCheck.headerProblem(LedgerBackups.ledgerFile(settings.state())).ifPresent(problem -> {
            throw damaged(settings, problem);
        });
    }

    /**
     * Reads the ledger as deep as asked and compares it with its witness; a ledger that passes writes its witness on
     * close. A damaged one is closed (writing nothing) and thrown as {@link LedgerDamaged}.
     */
    private static Ledger checked(SweepdSettings settings, Ledger ledger, LedgerCheck.Depth depth, boolean daemon) {
        Path witness = LedgerWitness.file(settings.state());
        LedgerCheck.Result result;
        try {
            result = LedgerCheck.verify(ledger, depth, LedgerWitness.read(witness));
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
        if (!result.ok()) {
            ledger.close();
            throw damaged(settings, String.join("; ", result.problems()));
        }
        ledger.witnessOnClose(witness);
        if (daemon) {
            // Written now too: a daemon killed later still leaves what it found at its start.
            LedgerWitness.of(ledger).write(witness);
        }
        return ledger;
    }

    /** The file, what is wrong with it, and the commands that recover. */
    static LedgerDamaged damaged(SweepdSettings settings, String problem) {
        Path state = settings.state();
        List<Path> backups = new LedgerBackups(state, Clock.systemUTC()).list();
        String restore = backups.isEmpty() ? "restore a copy of the file you trust with `sweepd ledger restore FILE`"
                : "restore the newest backup you trust, e.g. `sweepd ledger restore " + backups.get(0) + "` (all of"
                + " them: `sweepd ledger backup --list`)";
        return new LedgerDamaged(LedgerBackups.ledgerFile(state), problem, "Nothing was changed. To recover, "
                + restore + ", then start the daemon: it finds the jobs Slurm already has by name and does not"
                + " submit them again. `sweepd ledger check` reads the whole file");
    }

    /** The JDBC URL {@link #open} connects to (the password is a separate setting, never in it by sweepd). */
    public static String url(SweepdSettings settings) {
        return settings.optional("sweepd.ledger.jdbc-url").orElseGet(() -> Ledger.embeddedUrl(settings.state()));
    }
}
