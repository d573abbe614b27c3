package io.sweepd.workarounds;

import java.util.List;

/**
 * A workaround rule that matched a point, and what it changed. Recorded with the point and shown in the
 * plan and the report so every change to a user's configuration is traceable to a rule id.
 *
 * @param changes one human-readable line per change, e.g. "prefill: removed engine arg tool-call-parser"
 */
public record AppliedWorkaround(String id, List<String> changes, String why, String ref) {

    public AppliedWorkaround {
        changes = List.copyOf(changes);
    }
}
