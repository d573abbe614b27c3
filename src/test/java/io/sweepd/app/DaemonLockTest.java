package io.sweepd.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One daemon per home, with the other daemon in a real second JVM ({@link HoldDaemonLock}): the lock is the
 * operating system's, so only another process shows it refusing, and only killing that process shows the OS
 * releasing it.
 */
class DaemonLockTest {

    private static final Duration GENEROUS = Duration.ofMinutes(2);

    @TempDir
    Path home;

    private Process holder;

    @AfterEach
    void killHolder() throws InterruptedException {
        if (holder != null && holder.isAlive()) {
            holder.destroyForcibly();
            holder.waitFor(1, TimeUnit.MINUTES);
        }
    }

    private SweepdSettings settings() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sweepd.home", home.toString());
        return SweepdSettings.load(null, Map.of(), overrides);
    }

    /** Starts the other daemon's stand-in and waits until it holds the lock. */
    private Process otherDaemonHolds(Path state) throws IOException {
        Files.createDirectories(state);
        holder = HoldDaemonLock.start(state);
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        // readLine blocks until the child has the lock (or died, then null): no sleep, no polling.
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "error: " + e;
            }
        }).orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(first).as("the child JVM's answer").isEqualTo("held");
        return holder;
    }

    @Test
    void aSecondDaemonOnTheSameHomeIsRefusedWithTheHoldersPidAndHost() throws Exception {
        SweepdSettings settings = settings();
        Process other = otherDaemonHolds(settings.state());

        assertThatThrownBy(() -> new StartupChecks(settings, Map.of()).exclusiveHome())
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("another sweepd daemon runs on this home: pid " + other.pid() + " on host ")
                .hasMessageContaining(", started ")
                .hasMessageEndingWith("(it holds " + settings.state().resolve("daemon.lock") + "); stop it first,"
                        + " or start this one with --standby to take over when it stops");
        assertThat(DaemonLock.holder(settings.state())).as("a refused daemon leaves the holder's file as it was")
                .startsWith("pid " + other.pid() + " ");
    }

    @Test
    void theLockIsFreeOnceItsHolderIsKilledHard() throws Exception {
        SweepdSettings settings = settings();
        Process other = otherDaemonHolds(settings.state());

        other.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to release anything itself
        assertThat(other.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();

        try (DaemonLock lock = new StartupChecks(settings, Map.of()).exclusiveHome()) {
            assertThat(lock.held()).isTrue();
            assertThat(DaemonLock.holder(settings.state()))
                    .startsWith("pid " + ProcessHandle.current().pid() + " on host ");
        }
    }

    @Test
    void aLockReleasedOnACleanStopIsFreeForTheNextDaemon() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        DaemonLock first = DaemonLock.tryAcquire(state, Clock.systemUTC()).orElseThrow();
        first.close();

        holder = HoldDaemonLock.start(state);
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("held");
    }

    @Test
    void whileThisProcessHoldsTheLockAnotherProcessCannotTakeIt() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        try (DaemonLock mine = DaemonLock.tryAcquire(state, Clock.systemUTC()).orElseThrow()) {
            assertThat(DaemonLock.tryAcquire(state, Clock.systemUTC())).as("not even from this JVM").isEmpty();

            holder = HoldDaemonLock.start(state);
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("busy");
            assertThat(mine.held()).isTrue();
        }
    }

    @Test
    void aStandbyTakesOverWhenTheHolderDies() throws Exception {
        SweepdSettings settings = settings();
        Process other = otherDaemonHolds(settings.state());
        StartupChecks checks = new StartupChecks(settings, Map.of());
        CompletableFuture<DaemonLock> standby = CompletableFuture.supplyAsync(() -> {
            try {
                return checks.standbyForHome(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(GENEROUS).until(() -> Files.readString(settings.state().resolve("daemon.lock"))
                .startsWith("pid " + other.pid()));
        assertThat(standby).as("the holder is alive").isNotDone();

        other.destroyForcibly();

        await().atMost(GENEROUS).until(standby::isDone);
        try (DaemonLock lock = standby.join()) {
            assertThat(lock.held()).isTrue();
            assertThat(DaemonLock.holder(settings.state())).startsWith("pid " + ProcessHandle.current().pid() + " ");
        }
    }
}
