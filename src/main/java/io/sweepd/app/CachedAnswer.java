package io.sweepd.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The last answer of an expensive question, asked again only once it is older than a bound: a Prometheus scraper
 * and a health prober polling every second cost one {@code scontrol ping} (or one ledger query) per period, not
 * one per request. Concurrent callers of a stale answer wait for one of them to ask. Thread-safe.
 */
final class CachedAnswer<T> {

    private final Supplier<T> question;
    private final Duration maxAge;
    private final Clock clock;
    private T answer;
    private Instant askedAt;

    CachedAnswer(Supplier<T> question, Duration maxAge, Clock clock) {
        this.question = Objects.requireNonNull(question, "question");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized T get() {
        Instant now = clock.instant();
        if (askedAt == null || !now.isBefore(askedAt.plus(maxAge))) {
            answer = question.get();
            askedAt = clock.instant();
        }
        return answer;
    }
}
