package io.sweepd.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the next poll cycle is due. Fast (the shortest interval) while jobs are being submitted, starting or ending;
 * the longer nothing has changed, the longer the wait, up to the idle interval; fast again as soon as a cycle sees a
 * change or a new submission. With no live job at all the idle interval applies: a submit polls at once anyway.
 *
 * <p>The wait grows with the quiet time (a tenth of it) rather than doubling per quiet cycle: doubling reaches the
 * cap after a handful of cycles, so a job that ran quietly for 20 s would have its end seen 8 to 16 s late, which
 * is the lateness this pacing exists to avoid. Tied to the quiet time, an end is seen at most a tenth of the quiet
 * stretch before it late (and never later than the idle interval): a benchmark job of a minute or two keeps close
 * to the fast pace, while a daemon whose jobs run for hours asks Slurm at the idle interval.
 *
 * <p>The poll route's timer ticks often and asks {@link #due()}; a cycle reports what it saw to
 * {@link #cycled(PollCycle)}. Thread-safe: the timer and the submit route both run cycles.
 */
public final class PollPacer {

    /** The next wait is the quiet time divided by this (see the class comment). */
    static final int QUIET_DIVISOR = 10;

    private final Duration fast;
    private final Duration idle;
    private final Clock clock;
    private Instant lastActivity;
    private Instant nextCycle;
    private Duration interval;

    /**
     * @param fast the interval while jobs change (the setting {@code sweepd.poll.interval-ms})
     * @param idle the longest interval, when nothing has changed for long (the setting
     *             {@code sweepd.poll.idle-interval-ms}); raised to {@code fast} if shorter
     */
    public PollPacer(Duration fast, Duration idle, Clock clock) {
        if (fast.isNegative() || fast.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, not " + fast.toMillis() + " ms");
        }
        this.fast = fast;
        this.idle = idle.compareTo(fast) < 0 ? fast : idle;
        this.clock = Objects.requireNonNull(clock, "clock");
        // A daemon that just started counts as activity: what a stopped daemon left is looked at promptly.
        this.lastActivity = clock.instant();
        this.interval = fast;
        this.nextCycle = lastActivity.plus(fast);
    }

    /** Whether a poll cycle is due now. */
    public synchronized boolean due() {
        Instant now = clock.instant();
        // A wall clock set back (NTP, an operator) must not postpone polling by the size of the jump.
        return !now.isBefore(nextCycle) || Duration.between(now, nextCycle).compareTo(idle) > 0;
    }

    /** A cycle ran (on the timer or right after a submit): the next one is due after the returned interval. */
    public synchronized Duration cycled(PollCycle cycle) {
        Instant now = clock.instant();
        if (cycle.changes() > 0) {
            lastActivity = now;
        }
        Instant submitted = cycle.latestSubmission();
        if (submitted != null && submitted.isAfter(lastActivity)) {
            lastActivity = submitted.isAfter(now) ? now : submitted;
        }
        interval = cycle.live() == 0 ? idle : paced(Duration.between(lastActivity, now));
        nextCycle = now.plus(interval);
        return interval;
    }

    private Duration paced(Duration quiet) {
        Duration wait = quiet.dividedBy(QUIET_DIVISOR);
        if (wait.compareTo(fast) < 0) {
            return fast;
        }
        return wait.compareTo(idle) > 0 ? idle : wait;
    }

    /** The wait after the last cycle (for the status API and metrics). */
    public synchronized Duration interval() {
        return interval;
    }

    public Duration fastInterval() {
        return fast;
    }

    public Duration idleInterval() {
        return idle;
    }
}
