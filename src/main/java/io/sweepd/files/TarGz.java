package io.sweepd.files;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Gzipped tar archives (a failed job's {@code failure.tar.gz}) written and read in process with Apache Commons
 * Compress, with what {@code tar -czf} / {@code tar -xzf --no-same-owner --no-same-permissions} did for sweepd
 * before: the same entry names, symbolic links never followed, nothing unpacked outside the target directory.
 */
public final class TarGz {

    private static final int BUFFER = 64 * 1024;

    private TarGz() {
    }

    /**
     * Writes {@code names} (relative to {@code dir}; those that do not exist are left out) into {@code archive}
     * as {@code tar -czf archive -C dir names...} did: a directory with an entry of its own ({@code logs/}) and
     * then its content, in name order; a symbolic link as a link, never followed (its target may be outside the
     * job directory); sockets, pipes and devices left out. A file still growing (a job's last log lines while it
     * is killed) is archived with the size it had when its entry began, as GNU tar does with "file changed as we
     * read it"; one that shrank meanwhile is padded with zeros.
     *
     * @param limit how long writing may take (as the tar command's timeout did)
     * @throws IOException when a file cannot be read, the archive cannot be written, or {@code limit} passed
     */
    public static void write(Path dir, List<String> names, Path archive, Duration limit) throws IOException {
        Deadline deadline = new Deadline("writing " + archive, limit);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                new BufferedOutputStream(Files.newOutputStream(archive), BUFFER)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (String name : names) {
                Path path = dir.resolve(name);
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    add(tar, dir, path, deadline);
                }
            }
            tar.finish();
        }
    }

    private static void add(TarArchiveOutputStream tar, Path dir, Path path, Deadline deadline) throws IOException {
        String name = dir.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            link.setLinkName(Files.readSymbolicLink(path).toString());
            link.setLastModifiedTime(wholeSeconds(attributes.lastModifiedTime()));
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        } else if (attributes.isDirectory()) {
            tar.putArchiveEntry(entry(tar, path, name, attributes));
            tar.closeArchiveEntry();
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.sorted().toList();
            }
            for (Path child : children) {
                add(tar, dir, child, deadline);
            }
        } else if (attributes.isRegularFile()) {
            TarArchiveEntry entry = entry(tar, path, name, attributes);
            tar.putArchiveEntry(entry);
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                copyExactly(in, tar, entry.getSize(), deadline);
            }
            tar.closeArchiveEntry();
        }
    }

    /**
     * The entry as GNU tar writes it: name, size, mode, owner, modification time in whole seconds. The access,
     * change and creation times Commons Compress would add go as pax headers, which GNU tar warns about
     * ("Ignoring unknown extended header keyword 'LIBARCHIVE.creationtime'") on every member.
     */
    private static TarArchiveEntry entry(TarArchiveOutputStream tar, Path path, String name,
                                         BasicFileAttributes attributes) throws IOException {
        TarArchiveEntry entry = tar.createArchiveEntry(path, name, LinkOption.NOFOLLOW_LINKS);
        entry.setLastModifiedTime(wholeSeconds(attributes.lastModifiedTime()));
        entry.setLastAccessTime(null);
        entry.setStatusChangeTime(null);
        entry.setCreationTime(null);
        return entry;
    }

    /** Sub-second times would go as pax headers too. */
    private static FileTime wholeSeconds(FileTime time) {
        return FileTime.from(time.to(TimeUnit.SECONDS), TimeUnit.SECONDS);
    }

    /** The header already holds the size: exactly that many bytes follow, whatever the file does meanwhile. */
    private static void copyExactly(InputStream in, OutputStream out, long size, Deadline deadline)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long remaining = size;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                Arrays.fill(buffer, (byte) 0);
                read = (int) Math.min(buffer.length, remaining);
            }
            out.write(buffer, 0, read);
            remaining -= read;
            deadline.check();
        }
    }

    /** The current entry's bytes (the stream ends where the entry does; sparse entries come out expanded). */
    private static void copy(InputStream in, OutputStream out, Deadline deadline) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            deadline.check();
        }
    }

    /**
     * Unpacks {@code archive} into the directory {@code target} (created if need be): directories and regular files only, with this
     * process's owner and default permissions (the archive's are not applied). A leading {@code /} is dropped, as
     * GNU tar does; an entry with a {@code ..} component is refused and the unpacking fails, since it could land
     * outside {@code target}. Symbolic and hard links, devices and pipes are skipped: a link could lead out of
     * {@code target}, and what reads an unpacked job directory reads regular files only.
     *
     * @param limit how long unpacking may take (as the tar command's timeout did)
     * @throws IOException when the archive cannot be read, an entry is refused, or {@code limit} passed
     */
    public static void extract(Path archive, Path target, Duration limit) throws IOException {
        Deadline deadline = new Deadline("unpacking " + archive, limit);
        Path root = Files.createDirectories(target.toAbsolutePath().normalize());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive), BUFFER)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO()) {
                    continue;
                }
                Path to = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else if (entry.isFile()) {
                    Files.createDirectories(to.getParent());
                    try (OutputStream out = Files.newOutputStream(to)) {
                        copy(tar, out, deadline);
                    }
                }
            }
        }
    }

    private static Path inside(Path root, String name) throws IOException {
        String relative = name.replaceFirst("^/+", "");
        if (Arrays.asList(relative.split("/")).contains("..")) {
            throw new IOException("refusing archive entry '" + name + "': '..' could lead outside " + root);
        }
        Path to = root.resolve(relative).normalize();
        if (!to.startsWith(root)) {
            throw new IOException("refusing archive entry '" + name + "': it is not inside " + root);
        }
        return to;
    }

    /** The time bound the tar command's timeout used to give, checked as bytes flow. */
    private static final class Deadline {

        private final String what;
        private final Duration limit;
        private final long endNanos;

        Deadline(String what, Duration limit) {
            this.what = what;
            this.limit = limit;
            this.endNanos = System.nanoTime() + limit.toNanos();
        }

        void check() throws IOException {
            if (System.nanoTime() - endNanos > 0) {
                throw new IOException(what + " took longer than " + limit.toMinutes() + " minutes");
            }
        }
    }
}
