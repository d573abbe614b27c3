package io.sweepd.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work started on a thread of its own, beside the caller's: the few large, independent reads of a report (a run's
 * points beside its results, the baseline beside both). Not the common fork-join pool, which has one thread on a
 * two-core login node, so its tasks would wait for each other.
 */
public final class Beside {

    private Beside() {
    }

    /** Starts {@code work} on a new daemon thread of the given name. */
    public static <T> CompletableFuture<T> start(String threadName, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The work's value; what it threw is thrown here as it was (a RuntimeException), not wrapped. */
    public static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Waits for the work to end, whatever it did: nothing is left running behind a caller that failed. */
    public static void awaitEnd(CompletableFuture<?> future) {
        future.exceptionally(failure -> null).join();
    }
}
