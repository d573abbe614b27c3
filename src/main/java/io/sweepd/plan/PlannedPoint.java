package io.sweepd.plan;

import io.sweepd.enrich.EnrichedPoint;

/**
 * An enriched point with its place in the plan.
 *
 * @param id     unique within the sweep: the job key, plus {@code -c<conc>} for single-node points
 * @param jobKey the job that runs it (refused points keep the key they would have had, for reference)
 */
public record PlannedPoint(String id, String jobKey, EnrichedPoint enriched) {

    public boolean refused() {
        return enriched.isRefused();
    }
}
