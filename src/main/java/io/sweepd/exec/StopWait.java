package io.sweepd.exec;

import java.time.Duration;

/**
 * How long a stopping daemon waits for the sbatch and scancel calls still running before the JVM ends
 * ({@code sweepd.submit.stop-wait-ms}). Those programs are never killed at shutdown: a killed sbatch may have
 * created its job and its answer would be lost; past the wait they are left to finish on their own, and the next
 * start finds their jobs by name. JVM-wide, like the shutdown hook it sets.
 */
public final class StopWait {

    private StopWait() {
    }

    public static void set(Duration wait) {
        ProcessGuard.stopWait(wait);
    }

    public static Duration get() {
        return ProcessGuard.stopWait();
    }
}
