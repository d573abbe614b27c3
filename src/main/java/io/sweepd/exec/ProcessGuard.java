package io.sweepd.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.exec.ProcessDestroyer;

/**
 * What happens to a started program besides waiting for it: it is killed when its timeout passes, and when the daemon
 * shuts down. commons-exec hands every program it starts to the executor's {@link ProcessDestroyer}; the guard of one
 * call does both from threads that all calls share (one timer thread, one shutdown hook registered once).
 *
 * <p>Why not commons-exec's own: its {@code ExecuteWatchdog} starts a thread per call, and its
 * {@code ShutdownHookProcessDestroyer} registers a new hook thread whenever a program starts while none runs, and
 * starts and joins it whenever the last one ends, so a daemon running one short command after another paid two thread
 * starts and a hook registration per call: about as much as sbatch itself takes on an idle controller (~4 ms here).
 * Kill and timeout are the same as theirs: {@link Process#destroy()} (SIGTERM), the program's exit status whatever it
 * leaves. Thread-safe.
 *
 * <p>Programs that change Slurm's state ({@value #SBATCH}, scancel) are not killed at shutdown: a killed sbatch may
 * still have created its job, and its answer is what tells the ledger the job's id. The shutdown hook waits for them
 * instead, at most {@link #stopWait()}, and leaves any still running to finish on their own (the daemon's next start
 * finds their jobs by name). Their timeouts still apply.
 */
final class ProcessGuard implements ProcessDestroyer {

    static final String SBATCH = "sbatch";
    /** Programs the shutdown hook waits for rather than kills (see the class comment). */
    private static final Set<String> FINISH_AT_SHUTDOWN = Set.of(SBATCH, "scancel");
    /** Every program started and not yet ended, in all calls, and whether it is waited for at shutdown. */
    private static final Map<Process, Boolean> RUNNING = new ConcurrentHashMap<>();
    /** How long the shutdown hook waits for the programs it does not kill ({@code sweepd.submit.stop-wait-ms}). */
    private static volatile Duration stopWait = Duration.ofSeconds(20);
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static volatile boolean hookRegistered;

    private final Duration timeout;
    private final boolean finishAtShutdown;
    private volatile boolean timedOut;
    private volatile ScheduledFuture<?> kill;

    /** @param timeout how long the program may run; null: no limit */
    ProcessGuard(Duration timeout) {
        this(timeout, false);
    }

    /** @param program the program as started (a name or a path): sbatch and scancel are waited for at shutdown */
    ProcessGuard(Duration timeout, String program) {
        this(timeout, program != null && FINISH_AT_SHUTDOWN.contains(Path.of(program).getFileName().toString()));
    }

    private ProcessGuard(Duration timeout, boolean finishAtShutdown) {
        this.timeout = timeout;
        this.finishAtShutdown = finishAtShutdown;
    }

    static void stopWait(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("the stop wait must be zero or more, was " + wait);
        }
        stopWait = wait;
    }

    static Duration stopWait() {
        return stopWait;
    }

    /**
     * At shutdown: every program is killed except those that change Slurm's state, which are waited for (at most the
     * stop wait) and then left to finish on their own.
     */
    static void atShutdown() {
        RUNNING.forEach((process, finish) -> {
            if (!finish) {
                process.destroy();
            }
        });
        long deadline = System.nanoTime() + stopWait.toNanos();
        for (Map.Entry<Process, Boolean> running : RUNNING.entrySet()) {
            if (!running.getValue()) {
                continue;
            }
            try {
                running.getKey().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sweepd-command-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        // A cancelled kill (the usual case: the program ended in time) leaves the queue at once.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static void registerHookOnce() {
        if (hookRegistered) {
            return;
        }
        synchronized (RUNNING) {
            if (hookRegistered) {
                return;
            }
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(ProcessGuard::atShutdown,
                        "sweepd-command-shutdown"));
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already shutting down: no hook can be added, and this program is killed by hand below.
            }
            hookRegistered = true;
        }
    }

    /** The program started: it is killed when its timeout passes or the daemon stops, whichever comes first. */
    @Override
    public boolean add(Process process) {
        registerHookOnce();
        RUNNING.put(process, finishAtShutdown);
        if (timeout != null) {
            kill = TIMER.schedule(() -> {
                if (process.isAlive()) {
                    timedOut = true;
                    process.destroy();
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** The program ended (or its output is no longer waited for): no kill is due any more. */
    @Override
    public boolean remove(Process process) {
        ScheduledFuture<?> pending = kill;
        if (pending != null) {
            pending.cancel(false);
        }
        return RUNNING.remove(process) != null;
    }

    @Override
    public int size() {
        return RUNNING.size();
    }

    /** Whether this call's program was killed because its timeout passed. */
    boolean timedOut() {
        return timedOut;
    }
}
