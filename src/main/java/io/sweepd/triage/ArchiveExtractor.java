package io.sweepd.triage;

import io.sweepd.files.TarGz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * Unpacks a {@code failure.tar.gz} into a temporary directory, in process ({@link TarGz}): an entry with
 * {@code ..} is refused, a leading {@code /} dropped, links skipped; owners and permission bits from the archive
 * are not applied.
 */
final class ArchiveExtractor {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private ArchiveExtractor() {
    }

    /** The directory the archive was unpacked into; the caller deletes it with {@link #delete}. */
    static Path extract(Path archive) {
        Path target;
        try {
            target = Files.createTempDirectory("sweepd-triage-");
        } catch (IOException e) {
            throw new TriageException("cannot create a temporary directory to unpack " + archive, e);
        }
        try {
            TarGz.extract(archive, target, TIMEOUT);
        } catch (IOException e) {
            delete(target);
            throw new TriageException("cannot unpack " + archive + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Deletes an unpacked tree, making read-only directories from the archive writable first. */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    dir.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
