package io.sweepd.ledger;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the ledger held when it was last closed (or checked), kept beside it: the newest audit-trail event and how many
 * runs and jobs it had. None of them ever goes down (events, runs and jobs are never deleted), so a ledger that holds
 * less than its witness lost writes: an H2 file cut short opens without error on an older version of itself, and
 * H2 rewrites the header that would have told, so this is the only trace left.
 *
 * @param lastEventId the highest event id (0: none)
 */
public record LedgerWitness(long lastEventId, long runs, long jobs) {

    /** The witness's file in a state directory. */
    public static Path file(Path stateDir) {
        return stateDir.resolve("ledger.witness");
    }

    /** What the ledger holds now. */
    public static LedgerWitness of(Ledger ledger) {
        return ledger.jdbi().withHandle(h -> new LedgerWitness(
                h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one(),
                h.createQuery("SELECT COUNT(*) FROM sweep_runs").mapTo(Long.class).one(),
                h.createQuery("SELECT COUNT(*) FROM jobs").mapTo(Long.class).one()));
    }

    public static Optional<LedgerWitness> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(in);
            return Optional.of(new LedgerWitness(Long.parseLong(values.getProperty("last-event-id", "0")),
                    Long.parseLong(values.getProperty("runs", "0")), Long.parseLong(values.getProperty("jobs", "0"))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // a witness that cannot be read proves nothing either way
        }
    }

    /** Written beside the ledger, replacing the old one in one rename: a crash leaves the old or the new. */
    public void write(Path file) {
        Properties values = new Properties();
        values.setProperty("last-event-id", Long.toString(lastEventId));
        values.setProperty("runs", Long.toString(runs));
        values.setProperty("jobs", Long.toString(jobs));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                values.store(out, "what the ledger held when last closed; sweepd refuses a ledger holding less");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Why the ledger, holding {@code now}, lost writes this witness saw; empty when it did not. */
    public Optional<String> lostBy(LedgerWitness now) {
        if (now.lastEventId >= lastEventId && now.runs >= runs && now.jobs >= jobs) {
            return Optional.empty();
        }
        return Optional.of("it holds less than when it was last closed (events up to " + now.lastEventId + ", "
                + now.runs + " runs, " + now.jobs + " jobs; it had events up to " + lastEventId + ", " + runs
                + " runs, " + jobs + " jobs): the file was cut short or replaced and lost its last writes");
    }
}
