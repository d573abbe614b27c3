package io.sweepd.app;

import io.sweepd.files.FileModes;
import io.sweepd.json.Json;
import io.sweepd.sweep.SweepOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The inbox as a contract between {@code sweepd submit}, people dropping files by hand, and the daemon.
 *
 * <p>A submitted file is copied beside the inbox and renamed into it (the daemon never sees half a file), after a
 * record in {@code .meta/} that says where it came from: the inbox copy has no recipes beside it, so they keep
 * resolving against the directory it was submitted from, and {@code --profile} travels with it. The record names
 * the copy it was written for by its identity (file key, size, modification time), so a file of the same name
 * dropped by hand later (another user's {@code x.yaml}) never picks up someone else's profile and recipe
 * directory.
 *
 * <p>The daemon takes a file only when it is whole ({@link #ready}): a submitted one at once (the rename is
 * atomic), one dropped by hand once its size and modification time stayed the same for {@code stable} between two
 * looks. What cannot be a sweep is refused without being opened, moved to {@code .error/} beside a message: a
 * symbolic link (its target might be any file the daemon can read), a directory, fifo or device, a file owned by
 * another user (unless allowed), and a name that is not plain (control characters, undecodable bytes, a leading
 * dot or dash).
 */
public final class Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    /** The file consumer's own directories (and submit's staging); everything else starting with a dot is hidden. */
    private static final Set<String> OWN_DIRS = Set.of(".done", ".error", ".meta", ".incoming", ".camel");
    private static final Pattern SWEEP_NAME = Pattern.compile("(?i).*\\.ya?ml");
    /** Names the daemon takes: printable, no leading dot or dash, nothing a shell or a log line could trip on. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_+@,=][A-Za-z0-9._+@,=-]{0,199}");
    /** sweep-intake's arrival stamp, also used for what is refused before intake. */
    static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    /** What the inbox says about one entry. */
    public enum Verdict { READY, WAIT, IGNORE, REFUSED }

    /** A file's size and modification time at one look, and since when they have been so. */
    private record Look(long size, long modifiedMillis, Instant since) {
    }

    /**
     * The submission record: the origin, and the identity of the inbox copy it belongs to.
     */
    record Submission(String sourceFile, String sourceDir, String profileOverride, String fileKey, long size,
                      long modifiedMillis) {
        static Submission of(SweepOrigin origin, BasicFileAttributes copy) {
            return new Submission(origin.sourceFile(), origin.sourceDir(), origin.profileOverride(),
                    String.valueOf(copy.fileKey()), copy.size(), copy.lastModifiedTime().toMillis());
        }

        SweepOrigin origin() {
            return new SweepOrigin(sourceFile, sourceDir, profileOverride);
        }

        boolean describes(BasicFileAttributes file) {
            return fileKey != null && fileKey.equals(String.valueOf(file.fileKey())) && size == file.size()
                    && modifiedMillis == file.lastModifiedTime().toMillis();
        }
    }

    private final Path dir;
    private final Duration stable;
    private final boolean otherOwnersAllowed;
    private final FileModes modes;
    private final Clock clock;
    private final Map<String, Look> looks = new ConcurrentHashMap<>();

    public Inbox(Path dir) {
        this(dir, Duration.ofSeconds(2), false, FileModes.OWNER_ONLY, Clock.systemUTC());
    }

    /**
     * @param stable             how long a hand-dropped file's size and modification time must stay the same
     * @param otherOwnersAllowed whether files owned by other users are taken ({@code sweepd.inbox.allow-other-owners})
     */
    public Inbox(Path dir, Duration stable, boolean otherOwnersAllowed, FileModes modes, Clock clock) {
        this.dir = dir;
        this.stable = stable;
        this.otherOwnersAllowed = otherOwnersAllowed;
        this.modes = modes;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /** Copies the file into the inbox atomically; refuses when a sweep of that name is still waiting there. */
    public Path submit(Path file, String profile) {
        Path source = file.toAbsolutePath().normalize();
        String name = source.getFileName().toString();
        if (!name.matches(".*\\.ya?ml")) {
            throw new IllegalArgumentException(file + ": a sweep file must end in .yaml or .yml");
        }
        if (!PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(file + ": the daemon takes plain file names only (letters, digits,"
                    + " . _ + @ , = -, not starting with '.' or '-'); rename it");
        }
        Path target = dir.resolve(name);
        try {
            modes.createDirectories(dir.resolve(".meta"));
            modes.createDirectories(dir.resolve(".incoming"));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "a sweep with this file name is still waiting in the inbox");
            }
            Path staging = dir.resolve(".incoming").resolve(name);
            Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
            // The record names this very copy (a rename keeps file key, size and time): written before the file
            // appears, so the daemon never reads a submitted file without its record.
            BasicFileAttributes copy = Files.readAttributes(staging, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Submission record = Submission.of(
                    new SweepOrigin(source.toString(), source.getParent().toString(), profile), copy);
            modes.write(metaFile(name), Json.MAPPER.writeValueAsString(record));
            return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot submit " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the sweep came from: the record submit wrote for this very file, or the inbox itself for a file
     * dropped there (even when a record of the same name exists: it was written for another file).
     */
    public SweepOrigin origin(String fileName) {
        Path file = dir.resolve(fileName);
        return readMeta(fileName).filter(record -> identity(file).map(record::describes).orElse(false))
                .map(Submission::origin)
                .orElseGet(() -> new SweepOrigin(file.toString(), dir.toString(), null));
    }

    /**
     * Whether the file consumer may take this inbox entry now. A refused entry is moved to {@code .error/} with
     * its message here, so the consumer never opens it.
     */
    public boolean ready(Path entry) {
        return look(entry) == Verdict.READY;
    }

    /** Looks at every entry of the inbox: refuses what cannot be a sweep (see {@link #look}). */
    public void screen() {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                look(entry);
            }
        } catch (IOException e) {
            LOG.warn("cannot list the inbox {}: {}", dir, e.getMessage());
        }
        looks.keySet().removeIf(name -> !Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * What the inbox makes of one entry; refuses (moves aside with a message) what cannot be a sweep. Synchronized:
     * the file consumer's gate and the screening timer look at the same entries, and one refusal must be made once.
     */
    public synchronized Verdict look(Path entry) {
        String name = entry.getFileName().toString();
        if (OWN_DIRS.contains(name)) {
            return Verdict.IGNORE;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return Verdict.IGNORE;
        } catch (IOException e) {
            LOG.warn("cannot look at inbox entry {}: {}", sanitized(name), e.getMessage());
            return Verdict.WAIT;
        }
        Optional<String> problem = problem(name, entry, attributes);
        if (problem.isPresent()) {
            if (problem.get().isEmpty()) {
                return Verdict.IGNORE;
            }
            refuse(entry, name, problem.get());
            return Verdict.REFUSED;
        }
        if (submitted(name, attributes)) {
            return Verdict.READY; // written by submit's atomic rename: whole by construction
        }
        Instant now = clock.instant();
        Look seen = looks.compute(name, (key, before) -> before != null && before.size() == attributes.size()
                && before.modifiedMillis() == attributes.lastModifiedTime().toMillis()
                ? before : new Look(attributes.size(), attributes.lastModifiedTime().toMillis(), now));
        return Duration.between(seen.since(), now).compareTo(stable) >= 0 ? Verdict.READY : Verdict.WAIT;
    }

    /** Written by submit, as its record says; a broken record counts as none (intake then reports it). */
    private boolean submitted(String name, BasicFileAttributes attributes) {
        try {
            return readMeta(name).map(record -> record.describes(attributes)).orElse(false);
        } catch (UncheckedIOException unreadable) {
            return false;
        }
    }

    /** Empty: fine; an empty string: not the daemon's business (ignored); else why the entry is refused. */
    private Optional<String> problem(String name, Path entry, BasicFileAttributes attributes) {
        boolean plain = PLAIN_NAME.matcher(name).matches();
        boolean looksLikeSweep = SWEEP_NAME.matcher(name.strip()).matches() || !printable(name);
        if (!looksLikeSweep || (name.startsWith(".") && (attributes.isDirectory() || !SWEEP_NAME.matcher(name).matches()))) {
            return Optional.of(""); // README, editor swap files, a hidden directory: not a sweep, left alone
        }
        if (!printable(name)) {
            return Optional.of("its name holds control characters or bytes that are not UTF-8; rename it to"
                    + " letters, digits and . _ - and drop it again");
        }
        if (!plain) {
            return Optional.of("its name " + (name.startsWith(".") ? "starts with '.' (a hidden file)"
                    : name.startsWith("-") ? "starts with '-' (it would read as an option)"
                    : "holds characters other than letters, digits and . _ + @ , = -")
                    + "; rename it and drop it again");
        }
        if (attributes.isSymbolicLink()) {
            return Optional.of("it is a symbolic link; the daemon reads only regular files put into the inbox"
                    + " (copy the file, or use `sweepd submit`); the link's target was not read");
        }
        if (attributes.isDirectory()) {
            return Optional.of("it is a directory, not a sweep file");
        }
        if (!attributes.isRegularFile()) {
            return Optional.of("it is not a regular file (a fifo, socket or device); it was not opened");
        }
        if (!otherOwnersAllowed) {
            try {
                String owner = Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName();
                String me = System.getProperty("user.name");
                if (!owner.equals(me)) {
                    return Optional.of("it is owned by " + owner + ", not by " + me + ", who runs the daemon;"
                            + " files of other users are taken only with sweepd.inbox.allow-other-owners=true");
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty(); // no owners on this file system: nothing to compare
            }
        }
        return Optional.empty();
    }

    /** Moves the entry itself (never what a link points at) to .error/ and writes why beside it. */
    private void refuse(Path entry, String name, String reason) {
        Path errors = dir.resolve(".error");
        String moved = IntakeSteps.movedName(sanitized(name), ARRIVAL.format(clock.instant()));
        String text = "sweepd could not use " + sanitized(name) + "\n  problem: " + reason + "\n"
                + "Nothing from this file was read or submitted. It was moved to .error/" + moved + ".\n";
        try {
            modes.createDirectories(errors);
            Path target = errors.resolve(moved);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                target = errors.resolve(moved + "-" + System.nanoTime());
            }
            // The message first: whoever sees the entry in .error/ finds why beside it.
            modes.write(errors.resolve(moved + ".error.txt"), text);
            Files.move(entry, target, LinkOption.NOFOLLOW_LINKS);
            LOG.warn("inbox entry {} refused: {} (moved to {})", sanitized(name), reason, target);
        } catch (IOException e) {
            LOG.error("inbox entry {} refused: {}; could not move it aside: {}", sanitized(name), reason,
                    e.getMessage());
        }
        looks.remove(name);
    }

    /** The name as it may appear in a file name and a log line: anything not plain becomes '_'. */
    static String sanitized(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._+@,=-]", "_");
        if (safe.startsWith(".") || safe.startsWith("-")) {
            safe = "_" + safe.substring(1);
        }
        return safe.length() > 200 ? safe.substring(0, 200) : safe.isEmpty() ? "_" : safe;
    }

    private static boolean printable(String name) {
        return name.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0xFFFD
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.UNASSIGNED);
    }

    /**
     * Deletes submission records whose file has left the inbox. A record is kept while its file is being
     * processed (a crash then re-reads both, so the re-read plans exactly the same run), and young records are
     * kept because submit writes the record just before it moves the file in.
     */
    public void forgetProcessed(Duration olderThan) {
        Path metaDir = dir.resolve(".meta");
        if (!Files.isDirectory(metaDir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        try (Stream<Path> metas = Files.list(metaDir)) {
            for (Path meta : metas.toList()) {
                String fileName = meta.getFileName().toString().replaceFirst("\\.json$", "");
                if (!Files.exists(dir.resolve(fileName)) && Files.getLastModifiedTime(meta).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(meta);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<BasicFileAttributes> identity(Path file) {
        try {
            return Optional.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Submission> readMeta(String fileName) {
        Path meta = metaFile(fileName);
        if (!Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Submission record = Json.MAPPER.readValue(meta.toFile(), Submission.class);
            return Objects.isNull(record.sourceDir()) ? Optional.empty() : Optional.of(record);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable submission record " + meta + ": " + e.getMessage(), e);
        }
    }

    private Path metaFile(String fileName) {
        return dir.resolve(".meta").resolve(fileName + ".json");
    }
}
