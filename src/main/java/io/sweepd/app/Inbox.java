package io.sweepd.app;

import io.sweepd.json.Json;
import io.sweepd.sweep.SweepOrigin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The inbox as a contract between {@code sweepd submit} and the daemon. A submitted file is written beside the
 * inbox and renamed into it (the daemon never sees half a file), after a sidecar in {@code .meta/} that says
 * where it came from: the inbox copy has no recipes beside it, so they keep resolving against the directory it
 * was submitted from, and {@code --profile} travels with it.
 */
public final class Inbox {

    private final Path dir;

    public Inbox(Path dir) {
        this.dir = dir;
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
        Path target = dir.resolve(name);
        try {
            Files.createDirectories(dir.resolve(".meta"));
            Files.createDirectories(dir.resolve(".incoming"));
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "a sweep with this file name is still waiting in the inbox");
            }
            SweepOrigin origin = new SweepOrigin(source.toString(), source.getParent().toString(), profile);
            Path meta = metaFile(name);
            Files.writeString(meta, Json.MAPPER.writeValueAsString(origin));
            Path staging = dir.resolve(".incoming").resolve(name);
            Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot submit " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the sweep came from: the sidecar submit wrote, or the inbox itself for a file dropped there. */
    public SweepOrigin origin(String fileName) {
        return readMeta(fileName).orElseGet(() ->
                new SweepOrigin(dir.resolve(fileName).toString(), dir.toString(), null));
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

    private Optional<SweepOrigin> readMeta(String fileName) {
        Path meta = metaFile(fileName);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(meta.toFile(), SweepOrigin.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable submission record " + meta + ": " + e.getMessage(), e);
        }
    }

    private Path metaFile(String fileName) {
        return dir.resolve(".meta").resolve(fileName + ".json");
    }
}
