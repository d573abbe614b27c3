package io.sweepd.app;

import io.sweepd.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CachedAnswerTest {

    @Test
    void theQuestionIsAskedAgainOnlyOnceTheAnswerIsOlderThanTheBound() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T22:00:00Z"));
        AtomicInteger asked = new AtomicInteger();
        CachedAnswer<Integer> answer = new CachedAnswer<>(asked::incrementAndGet, Duration.ofSeconds(5), clock);

        assertThat(answer.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(4999));
        assertThat(answer.get()).as("still fresh").isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(answer.get()).as("five seconds old").isEqualTo(2);
        assertThat(asked).hasValue(2);
    }
}
