package io.sweepd.sweep;

import java.util.List;

/**
 * One {@code scenarios.agentic-coding} item: a trace-replay benchmark that runs for {@code duration} seconds
 * at each concurrency of its search space (no isl/osl: the trace decides the lengths).
 */
public record AgenticConfig(int duration, List<SearchSpaceItem> searchSpace) {

    /** The generator's default when an agentic-coding item gives no duration. */
    public static final int DEFAULT_DURATION_SECONDS = 1800;

    public AgenticConfig {
        searchSpace = List.copyOf(searchSpace);
    }
}
