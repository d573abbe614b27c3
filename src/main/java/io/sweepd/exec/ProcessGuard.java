package io.sweepd.exec;

import java.time.Duration;
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
 */
final class ProcessGuard implements ProcessDestroyer {

    /** Every program started and not yet ended, in all calls: what the shutdown hook kills. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static volatile boolean hookRegistered;

    private final Duration timeout;
    private volatile boolean timedOut;
    private volatile ScheduledFuture<?> kill;

    /** @param timeout how long the program may run; null: no limit */
    ProcessGuard(Duration timeout) {
        this.timeout = timeout;
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
                Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy),
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
        RUNNING.add(process);
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
        return RUNNING.remove(process);
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
