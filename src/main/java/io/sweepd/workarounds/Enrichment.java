package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.profiles.ClusterProfile;

import java.util.List;

/**
 * What the workaround engine made of one point.
 *
 * @param patchedConfig      a patched deep copy of the server configuration (the input is never modified)
 * @param applied            rules that changed something or refused, in rule order, each with one line per change
 * @param deadlinesOverride  the profile's deadlines with rule raises applied, or null when no rule raised one
 * @param refusal            null, or why the point must not be submitted (several refusing rules: joined by "; ")
 */
public record Enrichment(
        ObjectNode patchedConfig,
        List<AppliedWorkaround> applied,
        ClusterProfile.Deadlines deadlinesOverride,
        String refusal) {

    public Enrichment {
        applied = List.copyOf(applied);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    /** The deadlines the point runs under: the override, else the profile's own. */
    public ClusterProfile.Deadlines effectiveDeadlines(ClusterProfile profile) {
        return deadlinesOverride != null ? deadlinesOverride : profile.deadlines();
    }
}
