package io.sweepd.plan;

import io.sweepd.sweep.SweepFile;

import java.util.List;

/** Everything sweepd decided about a sweep before submitting anything. */
public record Plan(SweepFile sweep, List<PlannedPoint> points, List<PlannedJob> jobs) {

    public Plan {
        points = List.copyOf(points);
        jobs = List.copyOf(jobs);
    }

    public List<PlannedPoint> refusedPoints() {
        return points.stream().filter(PlannedPoint::refused).toList();
    }

    public List<PlannedPoint> pointsOf(PlannedJob job) {
        return points.stream().filter(p -> job.pointIds().contains(p.id())).toList();
    }
}
