package io.sweepd.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Simulated time. The job's story runs in simulated seconds (weights take 471 s to load, the benchmark 200 s),
 * which messages report; the process only sleeps {@code seconds x scale} of wall time, so a whole job takes
 * seconds. Scale 0 never sleeps (unit tests). Timestamps in logs and results are wall-clock time: a log line
 * dated in the simulated future would mislead whoever compares it with Slurm's own times.
 */
final class SimClock {

    private static final DateTimeFormatter VLLM_STAMP = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final double scale;
    private final EngineSimulator.Sleeper sleeper;
    private double elapsed;

    SimClock(double scale, EngineSimulator.Sleeper sleeper) {
        this.scale = scale;
        this.sleeper = sleeper;
    }

    /** Simulated seconds since the job started. */
    double elapsed() {
        return elapsed;
    }

    /** Wall-clock now, for timestamps. */
    Instant now() {
        return Instant.now();
    }

    /** {@code 04-24 19:02:11}, vLLM's log timestamp. */
    String stamp() {
        return VLLM_STAMP.format(now());
    }

    /** Lets simulated time pass, sleeping its scaled share of wall time. */
    void advance(double simulatedSeconds) throws InterruptedException {
        if (simulatedSeconds <= 0) {
            return;
        }
        elapsed += simulatedSeconds;
        long millis = Math.round(simulatedSeconds * scale * 1000);
        if (millis > 0) {
            sleeper.sleep(Duration.ofMillis(millis));
        }
    }

    /** Waits real time, unscaled (the {@code slow} and {@code hang} knobs). */
    void sleepReal(Duration duration) throws InterruptedException {
        elapsed += duration.toMillis() / 1000.0;
        sleeper.sleep(duration);
    }
}
