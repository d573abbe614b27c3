package io.sweepd.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Copies of the embedded ledger's H2 file, in {@code <state>/backups/ledger-<UTC time>[-<why>].mv.db}: taken by the
 * daemon at every start (the file closed, before migrations), and by {@code sweepd ledger backup} (through H2's
 * {@code BACKUP TO}, so also while a daemon holds the file). A backup is a whole ledger file: restoring it is
 * copying it back. PostgreSQL ledgers are backed up by the operator's pg_dump, not here.
 */
public final class LedgerBackups {

    /** The H2 file of a ledger in this state directory. */
    public static Path ledgerFile(Path stateDir) {
        return stateDir.resolve("ledger.mv.db");
    }

    public static Path dir(Path stateDir) {
        return stateDir.resolve("backups");
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final String PREFIX = "ledger-";
    private static final String SUFFIX = ".mv.db";

    private final Path stateDir;
    private final Clock clock;

    public LedgerBackups(Path stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.clock = clock;
    }

    /**
     * Copies the ledger file while no process has it open (the daemon's start, holding the home's lock), then keeps
     * the newest {@code keep} backups.
     *
     * @return the backup, or empty when there is no ledger file yet
     */
    public Optional<Path> copyClosed(String why, int keep) {
        Path ledger = ledgerFile(stateDir);
        if (!Files.isRegularFile(ledger)) {
            return Optional.empty();
        }
        Path backup = next(why);
        copyAtomically(ledger, backup);
        prune(keep);
        return Optional.of(backup);
    }

    /** {@code BACKUP TO} through the open ledger (consistent while a daemon writes), unpacked to a ledger file. */
    public Path backupOnline(Ledger ledger, String why) {
        Path backup = next(why);
        Path zip = backup.resolveSibling(backup.getFileName() + ".zip");
        try {
            Files.createDirectories(backup.getParent());
            try (Connection connection = ledger.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'");
            }
            Path temp = backup.resolveSibling(backup.getFileName() + ".tmp");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                boolean found = false;
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.getName().endsWith(SUFFIX)) {
                        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    throw new IOException("H2's backup " + zip + " holds no " + SUFFIX + " file");
                }
            }
            Files.move(temp, backup, StandardCopyOption.ATOMIC_MOVE);
            return backup;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot back the ledger up to " + backup, e);
        } catch (SQLException e) {
            throw new IllegalStateException("H2 could not back the ledger up (" + LedgerCheck.firstLine(e) + ")", e);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException ignored) {
                // a stray zip in the backups directory is harmless
            }
        }
    }

    /**
     * Puts a backup in place of the ledger file, which must be closed (no daemon, no other command). The file being
     * replaced is kept as a backup itself first. The caller checks the result and writes its witness.
     *
     * @return the backup of the file that was replaced, if there was one
     */
    public Optional<Path> restore(Path backup) {
        if (!Files.isRegularFile(backup)) {
            throw new IllegalArgumentException("no backup file " + backup);
        }
        Optional<String> problem = LedgerCheck.headerProblem(backup);
        if (problem.isPresent()) {
            throw new LedgerDamaged(backup, problem.get(), "Choose another backup in " + dir(stateDir));
        }
        Path ledger = ledgerFile(stateDir);
        Optional<Path> replaced = Optional.empty();
        if (Files.isRegularFile(ledger)) {
            Path kept = next("before-restore");
            copyAtomically(ledger, kept);
            replaced = Optional.of(kept);
        }
        copyAtomically(backup, ledger);
        return replaced;
    }

    /** The backups, newest first. */
    public List<Path> list() {
        Path dir = dir(stateDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                            && f.getFileName().toString().endsWith(SUFFIX))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private void prune(int keep) {
        List<Path> all = list();
        for (Path old : all.subList(Math.min(all.size(), Math.max(keep, 1)), all.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the old backup " + old, e);
            }
        }
    }

    /**
     * A new backup's path, named by the time: two backups in one millisecond take the next free millisecond, so
     * neither overwrites the other and the names still sort newest first.
     */
    private Path next(String why) {
        String suffix = (why == null || why.isBlank() ? "" : "-" + why) + SUFFIX;
        Instant at = clock.instant();
        Path backup = dir(stateDir).resolve(PREFIX + STAMP.format(at) + suffix);
        while (Files.exists(backup)) {
            at = at.plusMillis(1);
            backup = dir(stateDir).resolve(PREFIX + STAMP.format(at) + suffix);
        }
        return backup;
    }

    /** Through a temporary file and one rename: a crash never leaves half a copy under the final name. */
    private static void copyAtomically(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Path temp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
