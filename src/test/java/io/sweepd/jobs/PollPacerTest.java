package io.sweepd.jobs;

import io.sweepd.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PollPacerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration FAST = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(T0);
    private final PollPacer pacer = new PollPacer(FAST, IDLE, clock);

    private static PollCycle quiet(int live) {
        return new PollCycle(List.of(), 0, live, null);
    }

    private static PollCycle changed(int changes) {
        return new PollCycle(List.of(), changes, 5, null);
    }

    /** Runs cycles whenever the pacer says one is due, for that long; returns the waits it chose. */
    private List<Duration> cyclesFor(Duration span, PollCycle each) {
        Instant end = clock.instant().plus(span);
        List<Duration> waits = new java.util.ArrayList<>();
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofMillis(250));
            if (pacer.due()) {
                waits.add(pacer.cycled(each));
            }
        }
        return waits;
    }

    @Test
    void theFirstCycleIsDueOneFastIntervalAfterStart() {
        assertThat(pacer.due()).isFalse();
        clock.advance(FAST.minusMillis(1));
        assertThat(pacer.due()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(pacer.due()).isTrue();
    }

    @Test
    void aCycleThatSawAChangeKeepsTheFastInterval() {
        clock.advance(Duration.ofMinutes(10));
        assertThat(pacer.cycled(changed(1))).isEqualTo(FAST);
        clock.advance(FAST.minusMillis(1));
        assertThat(pacer.due()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(pacer.due()).isTrue();
    }

    @Test
    void quietCyclesBackOffGraduallyNeverShorterThanFastNorLongerThanATenthOfTheQuietTime() {
        pacer.cycled(changed(1));
        Instant lastChange = clock.instant();

        List<Duration> waits = new java.util.ArrayList<>();
        while (clock.instant().isBefore(lastChange.plus(Duration.ofMinutes(3)))) {
            clock.advance(Duration.ofMillis(250));
            if (pacer.due()) {
                Duration wait = pacer.cycled(quiet(5));
                Duration quietFor = Duration.between(lastChange, clock.instant());
                assertThat(wait).isLessThanOrEqualTo(max(FAST, quietFor.dividedBy(10)));
                waits.add(wait);
            }
        }

        assertThat(waits.get(0)).isEqualTo(FAST);
        assertThat(waits).isSortedAccordingTo(Duration::compareTo);
        assertThat(waits.get(waits.size() - 1)).as("backed off").isGreaterThanOrEqualTo(FAST.multipliedBy(5));
        assertThat(waits.size()).as("fewer cycles than at the fast pace (90)").isLessThan(90 / 2);
    }

    @Test
    void theBackOffStopsAtTheIdleInterval() {
        pacer.cycled(changed(1));

        List<Duration> waits = cyclesFor(Duration.ofMinutes(10), quiet(5));

        assertThat(waits).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(IDLE));
        assertThat(waits.subList(waits.size() - 5, waits.size())).containsOnly(IDLE);
        assertThat(pacer.interval()).isEqualTo(IDLE);
    }

    @Test
    void aChangeAfterALongQuietStretchBringsTheFastIntervalBackAtOnce() {
        cyclesFor(Duration.ofMinutes(10), quiet(5));
        assertThat(pacer.interval()).isEqualTo(IDLE);

        clock.advance(IDLE);
        assertThat(pacer.cycled(changed(1))).isEqualTo(FAST);
        clock.advance(FAST);
        assertThat(pacer.due()).isTrue();
    }

    @Test
    void aNewSubmissionKeepsThePaceFastWhileTheJobIsYoungEvenWithoutAStateChange() {
        cyclesFor(Duration.ofMinutes(10), quiet(5));
        assertThat(pacer.interval()).isEqualTo(IDLE);

        // The submit route polls right after sbatch: the job is PENDING already, so the cycle changes nothing.
        Instant submitted = clock.instant();
        assertThat(pacer.cycled(new PollCycle(List.of(), 0, 6, submitted))).isEqualTo(FAST);
        clock.advance(FAST);
        assertThat(pacer.cycled(new PollCycle(List.of(), 0, 6, submitted))).isEqualTo(FAST);
        // A job pending for a long time (a busy partition) is no reason to keep asking fast.
        clock.advance(Duration.ofMinutes(5));
        assertThat(pacer.cycled(new PollCycle(List.of(), 0, 6, submitted))).isEqualTo(IDLE);
    }

    @Test
    void nothingLiveWaitsTheIdleInterval() {
        assertThat(pacer.cycled(PollCycle.NOTHING_LIVE)).isEqualTo(IDLE);
    }

    @Test
    void aWallClockSetBackDoesNotPostponeTheNextCycle() {
        pacer.cycled(quiet(5));
        clock.advance(Duration.ofHours(-1));
        assertThat(pacer.due()).isTrue();
    }

    @Test
    void anIdleIntervalShorterThanTheFastOneIsRaisedToIt() {
        PollPacer odd = new PollPacer(Duration.ofSeconds(10), Duration.ofSeconds(1), clock);
        assertThat(odd.idleInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(odd.cycled(PollCycle.NOTHING_LIVE)).isEqualTo(Duration.ofSeconds(10));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
