package io.sweepd.render;

import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One job to render.
 *
 * @param runId     the run (sweep submission) the job belongs to; names {@code outputs/<run-id>/}
 * @param sweepName the sweep's name, for the job's environment and plan.json
 * @param points    the job's points ({@code plan.pointsOf(job)}), none of them refused
 * @param profile   the cluster profile, as it launches a job of this one's shape (its launcher resolved for
 *                  single-node or multinode jobs, see {@link ClusterProfile#launching})
 * @param jobDir    {@code outputs/<run-id>/<job-key>/}; created when missing
 */
public record RenderRequest(String runId, String sweepName, PlannedJob job, List<PlannedPoint> points,
                            ClusterProfile profile, Path jobDir) {

    public RenderRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sweepName, "sweepName");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(jobDir, "jobDir");
        points = List.copyOf(points);
        profile = profile.launching(points.stream().anyMatch(p -> p.enriched().point().multinode()));
    }
}
