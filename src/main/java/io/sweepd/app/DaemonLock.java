package io.sweepd.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon per home: an exclusive lock on {@code <state>/daemon.lock}, held for the daemon's life and naming its
 * holder (pid, host, start time) inside the file. The operating system releases it when the process ends in any
 * way, kill -9 included, so a crashed daemon never leaves a stale lock behind; the file itself stays (deleting it
 * would let a waiter lock a file nobody else sees any more). A second daemon would submit the same planned jobs and
 * race the first over every live one; whatever the ledger's database does about a second writer (H2's AUTO_SERVER
 * lets it in, PostgreSQL always does), this lock keeps it out.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}, fcntl on Linux), per process: it keeps
 * other processes out, not other threads of this one. POSIX drops a process's lock on a file when the process
 * closes <em>any</em> descriptor of that file, so while this process holds the lock it never opens the file again:
 * a second {@link #tryAcquire} answers from memory and {@link #holder} reads through the held channel.
 */
public final class DaemonLock implements AutoCloseable {

    static final String FILE_NAME = "daemon.lock";

    /** The locks this process holds, by absolute lock file. */
    private static final Map<Path, DaemonLock> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a state directory. */
    public static Path file(Path stateDir) {
        return stateDir.resolve(FILE_NAME);
    }

    /**
     * Takes the lock when no other process holds it, and writes this process into the file.
     *
     * @return the lock, or empty when another process (or this one) holds it
     */
    public static synchronized Optional<DaemonLock> tryAcquire(Path stateDir, Clock clock) {
        Path file = file(stateDir);
        if (HELD.containsKey(key(file))) {
            return Optional.empty(); // opening and closing the file again would drop the lock we hold
        }
        FileChannel channel = null;
        try {
            // Never TRUNCATE_EXISTING: until the lock is ours, the file names the holder another daemon reports.
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess(clock).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            DaemonLock held = new DaemonLock(file, channel, lock);
            HELD.put(key(file), held);
            return Optional.of(held);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Who holds the lock, as its holder wrote it; a placeholder while it is being written. */
    public static String holder(Path stateDir) {
        Path file = file(stateDir);
        try {
            DaemonLock mine = HELD.get(key(file));
            String text = (mine != null ? mine.contents() : Files.readString(file, StandardCharsets.UTF_8)).strip();
            return text.isEmpty() ? "a daemon that has not yet written its pid" : text;
        } catch (IOException e) {
            return "a daemon whose lock file cannot be read (" + e.getMessage() + ")";
        }
    }

    /** "pid 4242 on host login1, started 2026-12-02T19:53:45Z". */
    static String describeThisProcess(Clock clock) {
        return "pid " + ProcessHandle.current().pid() + " on host " + hostName() + ", started "
                + clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "(unknown host)" : fromEnvironment;
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private String contents() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    public Path file() {
        return file;
    }

    /** Whether this process still holds the lock. */
    public boolean held() {
        return lock.isValid();
    }

    /** Releases the lock (the daemon stopped cleanly); the file stays. */
    @Override
    public void close() {
        HELD.remove(key(file), this);
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }
}
