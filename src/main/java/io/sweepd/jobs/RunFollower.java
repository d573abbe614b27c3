package io.sweepd.jobs;

import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.RunRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Follows runs in the ledger for a person at a terminal: {@code sweepd wait} (a line whenever the run's counts
 * change and one per job that ends) and {@code sweepd status --watch} (a redrawn view). Both end when the daemon
 * marks the run finished ({@link RunRecord#finished()}: every job settled and the final report written), not when
 * the jobs merely reached terminal states, so they never stop before the results and archives they point to
 * exist. Time passes through the given clock and sleeper, so tests drive it without sleeping.
 */
public final class RunFollower {

    /** Pauses between two readings of the ledger. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    public enum Ending {
        /** The daemon finished the run. */
        FINISHED,
        /** The run did not finish before the timeout. */
        TIMED_OUT,
        /** Neither the ledger nor the inbox knows the name. */
        UNKNOWN,
        /** The sweep file stayed in the inbox: no daemon read it. */
        NOT_PICKED_UP,
        /** The daemon read the file and refused it; nothing was recorded. */
        REFUSED
    }

    /**
     * How following ended.
     *
     * @param last    the run's last reading; null unless the run was found
     * @param message what went wrong, for stderr; null when it finished
     */
    public record Outcome(Ending ending, SweepStatus.Snapshot last, String message) {
    }

    /**
     * One drawing of {@code status --watch}.
     *
     * @param signature what the drawing shows, without what changes by itself (ages, elapsed seconds): a new
     *                  drawing is printed to a pipe only when this changes
     * @param done      every run it shows is finished
     * @param success   every job of those runs completed
     */
    public record Frame(String text, Object signature, boolean done, boolean success) {
    }

    /** Clears the screen and homes the cursor (ANSI), so a terminal shows one drawing at a time. */
    public static final String CLEAR_SCREEN = "\033[H\033[2J";

    private final SweepStatus status;
    private final InboxSweeps inbox;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;

    public RunFollower(SweepStatus status, InboxSweeps inbox, Clock clock, Sleeper sleeper, Duration interval) {
        this.status = status;
        this.inbox = inbox;
        this.clock = clock;
        this.sleeper = sleeper;
        this.interval = interval;
    }

    /**
     * {@code sweepd wait}: resolves the name (a sweep whose file is still in the inbox is waited for, up to
     * {@code pickupTimeout}), then reports the run's progress to {@code out} until the daemon finishes it or
     * {@code timeout} (counted from now) passes.
     */
    public Outcome await(String sweepOrRun, Duration timeout, Duration pickupTimeout, Consumer<String> out)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Optional<InboxSweeps.Pending> pending = inbox.pending(sweepOrRun);
        Optional<RunRecord> run;
        if (pending.isPresent()) {
            Outcome notRecorded = awaitPickup(pending.get(), earlier(deadline, clock.instant().plus(pickupTimeout)),
                    out);
            if (notRecorded != null) {
                return notRecorded;
            }
            // The daemon moves the file out only after the run is recorded; a suffixed id (-2) is still the
            // sweep's latest run.
            run = status.resolveRun(pending.get().expectedRunId())
                    .or(() -> status.resolveRun(pending.get().sweepName()));
            if (run.isEmpty()) {
                return new Outcome(Ending.REFUSED, null, pending.get().file().getFileName()
                        + " left the inbox but the ledger has no run of sweep " + pending.get().sweepName());
            }
        } else {
            run = status.resolveRun(sweepOrRun);
            if (run.isEmpty()) {
                return new Outcome(Ending.UNKNOWN, null, "no sweep or run named " + sweepOrRun
                        + ", and no sweep file of that name waits in the inbox " + inbox.dir());
            }
        }
        return follow(run.get().runId(), deadline, timeout, out);
    }

    /** Null once the daemon took the file out of the inbox; otherwise why waiting for the run ends here. */
    private Outcome awaitPickup(InboxSweeps.Pending pending, Instant giveUp, Consumer<String> out)
            throws InterruptedException {
        Instant since = clock.instant();
        out.accept(StatusText.time(clock.instant(), clock.getZone()) + " " + pending.sweepName()
                + " is still in the inbox (" + pending.file() + "); waiting for the daemon to pick it up");
        while (inbox.waiting(pending)) {
            if (!clock.instant().isBefore(giveUp)) {
                return new Outcome(Ending.NOT_PICKED_UP, null, pending.file() + " is still in the inbox after "
                        + StatusText.age(Duration.between(since, clock.instant()))
                        + ": is the daemon running? (sweepd daemon with the same --home; it reads "
                        + inbox.dir() + ")");
            }
            sleeper.sleep(interval);
        }
        return inbox.refusal(pending)
                .map(report -> new Outcome(Ending.REFUSED, null, "the daemon refused " + pending.file().getFileName()
                        + ":\n" + report.strip()))
                .orElse(null);
    }

    private Outcome follow(String runId, Instant deadline, Duration timeout, Consumer<String> out)
            throws InterruptedException {
        SweepStatus.Snapshot previous = null;
        while (true) {
            SweepStatus.Snapshot now = status.snapshot(runId)
                    .orElseThrow(() -> new IllegalStateException("run " + runId + " left the ledger"));
            report(previous, now, out);
            if (now.finished()) {
                return new Outcome(Ending.FINISHED, now, null);
            }
            if (!clock.instant().isBefore(deadline)) {
                return new Outcome(Ending.TIMED_OUT, now, "gave up waiting for " + runId + " after " + timeout
                        + " (" + StatusText.progress(now.summary()) + ")");
            }
            sleeper.sleep(interval);
            previous = now;
        }
    }

    /** A line per job that ended since the last reading, then a progress line if the counts changed. */
    private void report(SweepStatus.Snapshot previous, SweepStatus.Snapshot now, Consumer<String> out) {
        Instant at = clock.instant();
        if (previous != null) {
            Map<String, JobRecord> before = previous.jobs().stream()
                    .collect(Collectors.toMap(JobRecord::jobKey, Function.identity()));
            for (JobRecord job : now.jobs()) {
                JobRecord was = before.get(job.jobKey());
                // A retried job ends again in another attempt: that is a new ending too.
                boolean ended = job.state().terminal() && (was == null || was.state() != job.state()
                        || !Objects.equals(was.slurmJobId(), job.slurmJobId()));
                if (ended) {
                    out.accept(StatusText.jobEndedLine(job, at, clock.getZone()));
                }
            }
        }
        if (previous == null || changed(previous.summary(), now.summary())) {
            out.accept(StatusText.progressLine(now.summary(), at, clock.getZone()));
        }
    }

    private static boolean changed(SweepStatus.RunSummary before, SweepStatus.RunSummary after) {
        return !before.jobsByState().equals(after.jobsByState()) || before.refusedPoints() != after.refusedPoints();
    }

    /**
     * {@code sweepd status --watch}: draws {@code frames} every interval until a drawing says every run it
     * shows is finished. On a terminal each drawing replaces the last; to a pipe or file a drawing is written
     * only when what it shows changed, so a log of it is a list of changes.
     */
    public Frame watch(Supplier<Frame> frames, boolean redrawInPlace, Consumer<String> out)
            throws InterruptedException {
        return watchDrawings(frames, redrawInPlace, (stamp, frame) -> out.accept(redrawInPlace
                ? CLEAR_SCREEN + stamp + "  every " + StatusText.age(interval) + ", Ctrl-C to stop\n\n" + frame.text()
                : stamp + "\n" + frame.text()));
    }

    /**
     * As {@link #watch(Supplier, boolean, Consumer)}, the caller drawing each frame with its time stamp (JSON for
     * tools wants the time inside each document, not a line before it).
     */
    public Frame watchDrawings(Supplier<Frame> frames, boolean redrawEvery, BiConsumer<String, Frame> draw)
            throws InterruptedException {
        Object shown = null;
        boolean first = true;
        while (true) {
            Frame frame = frames.get();
            String stamp = StatusText.time(clock.instant(), clock.getZone());
            if (redrawEvery || first || !Objects.equals(frame.signature(), shown)) {
                draw.accept(stamp, frame);
            }
            shown = frame.signature();
            first = false;
            if (frame.done()) {
                return frame;
            }
            sleeper.sleep(interval);
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
