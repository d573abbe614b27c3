package io.sweepd.results;

import java.util.Objects;

/**
 * What reading one result file gave: the value, or why the file is unusable. A bad file is an expected outcome
 * of a benchmark run (a crash mid-write, an old tool's shape), not an exception: the collector turns it into an
 * INVALID row whose reason names the file and the key.
 */
public sealed interface ParseOutcome<T> {

    record Parsed<T>(T value) implements ParseOutcome<T> {
        public Parsed {
            Objects.requireNonNull(value, "value");
        }
    }

    /** @param reason names the file and, when one is at fault, the key */
    record Invalid<T>(String reason) implements ParseOutcome<T> {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
