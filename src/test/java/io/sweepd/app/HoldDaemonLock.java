package io.sweepd.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A stand-in for a running daemon, in a JVM of its own (file locks are per process, so a test cannot hold one
 * against itself): takes the home's lock on the state directory {@code args[0]}, prints {@code held} (or
 * {@code busy} when another process has it) and keeps it until killed or its standard input closes.
 */
public final class HoldDaemonLock {

    private HoldDaemonLock() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Files.createDirectories(state);
        Optional<DaemonLock> lock = DaemonLock.tryAcquire(state, Clock.systemUTC());
        System.out.println(lock.isPresent() ? "held" : "busy");
        System.out.flush();
        if (lock.isPresent()) {
            while (System.in.read() >= 0) {
                // hold until the parent closes our input or kills us
            }
            lock.get().close();
        }
    }

    /** Starts the holder on {@code state} with this JVM and the test class path. */
    public static Process start(Path state) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Under surefire the class path may be a manifest-only jar; the child reads it the same way.
        String classPath = System.getProperty("java.class.path");
        return new ProcessBuilder(java, "-cp", classPath, HoldDaemonLock.class.getName(), state.toString())
                .redirectErrorStream(true).start();
    }
}
