package io.sweepd.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.workarounds.AppliedWorkaround;

import java.util.List;

/**
 * A matrix point placed on a cluster profile, with its server configuration after workarounds and the
 * preflight verdict.
 *
 * @param profile      name of the cluster profile that serves the point, or null when none does
 * @param topology     GPUs and nodes the point occupies (null only when no profile serves it)
 * @param serverConfig the server configuration in srt-slurm recipe shape (the patched copy of the point's
 *                     recipe, or one synthesized from the matrix fields); never the user's original file
 * @param recipePath   the recipe file the configuration came from, or null; for an override recipe followed by
 *                     {@code :<selector>} of the variant it is (as srtctl's {@code -f} names it)
 * @param workarounds  rules applied, in order
 * @param deadlines    the profile's deadlines, raised where a workaround says so (null without a profile)
 * @param refused      null when the point may be submitted, else a one-line reason a person understands
 */
public record EnrichedPoint(
        MatrixPoint point,
        String profile,
        Topology topology,
        ObjectNode serverConfig,
        String recipePath,
        List<AppliedWorkaround> workarounds,
        ClusterProfile.Deadlines deadlines,
        String refused) {

    public EnrichedPoint {
        workarounds = List.copyOf(workarounds);
    }

    public EnrichedPoint refuse(String reason) {
        return new EnrichedPoint(point, profile, topology, serverConfig, recipePath, workarounds, deadlines, reason);
    }

    public boolean isRefused() {
        return refused != null;
    }
}
