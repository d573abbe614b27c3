package io.sweepd.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * The modes sweepd gives what it creates (job directories, plans, error reports, archives): owner-only by
 * default, as a umask of 077 would, because a sweep's recipes, environment and logs may hold paths and tokens
 * other users of a login node must not read. Java cannot set the process umask, so every file and directory is
 * created with its mode given explicitly (and set again, since the umask may take bits away on create).
 * {@code groupReadable} lets a team's group read (and enter) them: {@code sweepd.files.group-readable}.
 */
public record FileModes(boolean groupReadable) {

    public static final FileModes OWNER_ONLY = new FileModes(false);

    public Set<PosixFilePermission> directory() {
        return PosixFilePermissions.fromString(groupReadable ? "rwxr-x---" : "rwx------");
    }

    public Set<PosixFilePermission> file() {
        return PosixFilePermissions.fromString(groupReadable ? "rw-r-----" : "rw-------");
    }

    public Set<PosixFilePermission> executable() {
        return PosixFilePermissions.fromString(groupReadable ? "rwxr-x---" : "rwx------");
    }

    /** Secrets (a job's environment file) stay the owner's whatever the group setting. */
    public Set<PosixFilePermission> secret() {
        return PosixFilePermissions.fromString("rw-------");
    }

    /**
     * Creates the directory and its missing parents with the directory mode; directories that already exist
     * keep theirs (the operator's own choice for outputs/ or the inbox).
     */
    public Path createDirectories(Path dir) throws IOException {
        ArrayDeque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p, attribute(p.getParent(), directory()));
            } catch (FileAlreadyExistsException raced) {
                continue; // another thread made it first; its mode is the same
            }
            apply(p, directory());
        }
        if (!Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        return dir;
    }

    /** Writes the text through a temporary file created with the mode, so no reader sees half or a wider mode. */
    public Path write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, attribute(target.getParent(), mode));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        apply(tmp, mode);
        try {
            return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path write(Path target, String text) throws IOException {
        return write(target, text, file());
    }

    /** Sets the mode where the file system has POSIX modes (a no-op elsewhere). */
    public static void apply(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static FileAttribute<?>[] attribute(Path parent, Set<PosixFilePermission> mode) {
        boolean posix = parent != null && Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }
}
