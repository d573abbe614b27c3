package io.sweepd.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the daemon's shutdown does to the programs it runs: an sbatch is waited for (a killed sbatch may have created
 * its job, and its answer would be lost), any other program is killed.
 */
class ProcessGuardShutdownTest {

    @TempDir
    Path dir;

    private final Duration wasWait = StopWait.get();
    /** A thread per call: the common pool may have a single thread on a small machine. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void restoreWait() {
        StopWait.set(wasWait);
        threads.shutdownNow();
    }

    /** A program of this file name that waits for {@code go} to exist, then writes {@code done}. */
    private Path program(String name) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nwhile [ ! -e \"$1\" ]; do sleep 0.05; done\necho 4242\n"
                + "touch \"$2\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void atShutdownSbatchIsWaitedForAndAnythingElseIsKilled() throws Exception {
        StopWait.set(Duration.ofSeconds(60));
        CommandRunner runner = new CommandRunner(java.util.Map.of());
        Path go = dir.resolve("go");
        String sbatchProgram = program("sbatch").toString();
        CompletableFuture<CommandResult> sbatch = CompletableFuture.supplyAsync(() -> runner.run(new CommandSpec(
                List.of(sbatchProgram, go.toString(), dir.resolve("sbatch-done").toString()),
                Duration.ofSeconds(120), null)), threads);
        String squeueProgram = program("squeue").toString();
        CompletableFuture<CommandResult> other = CompletableFuture.supplyAsync(() -> runner.run(new CommandSpec(
                List.of(squeueProgram, dir.resolve("never").toString(),
                        dir.resolve("squeue-done").toString()), Duration.ofSeconds(120), null)), threads);
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessGuardShutdownTest.running() >= 2);

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(ProcessGuard::atShutdown, threads);
        CommandResult killed = other.get();
        assertThat(killed.succeeded()).as("squeue is killed at once").isFalse();
        assertThat(shutdown).as("the hook still waits for sbatch").isNotDone();
        Files.createFile(go);
        shutdown.get();

        CommandResult answered = sbatch.get();
        assertThat(answered.exitCode()).isZero();
        assertThat(answered.stdout()).contains("4242");
        assertThat(dir.resolve("sbatch-done")).exists();
        assertThat(dir.resolve("squeue-done")).doesNotExist();
    }

    @Test
    void theWaitForSbatchAtShutdownIsBoundedAndSbatchIsLeftRunning() throws Exception {
        StopWait.set(Duration.ofMillis(200));
        CommandRunner runner = new CommandRunner(java.util.Map.of());
        Path go = dir.resolve("go");
        String sbatchProgram = program("sbatch").toString();
        CompletableFuture<CommandResult> sbatch = CompletableFuture.supplyAsync(() -> runner.run(new CommandSpec(
                List.of(sbatchProgram, go.toString(), dir.resolve("sbatch-done").toString()),
                Duration.ofSeconds(120), null)), threads);
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessGuardShutdownTest.running() >= 1);

        ProcessGuard.atShutdown();

        assertThat(sbatch).as("not killed: still running past the wait").isNotDone();
        Files.createFile(go);
        assertThat(sbatch.get().exitCode()).isZero();
    }

    private static int running() {
        return new ProcessGuard(null).size();
    }
}
