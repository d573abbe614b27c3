package io.sweepd.plan;

import io.sweepd.sweep.SweepFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything sweepd decided about a sweep before submitting anything. */
public record Plan(SweepFile sweep, List<PlannedPoint> points, List<PlannedJob> jobs) {

    public Plan {
        points = List.copyOf(points);
        jobs = List.copyOf(jobs);
    }

    public List<PlannedPoint> refusedPoints() {
        return points.stream().filter(PlannedPoint::refused).toList();
    }

    /** One job's points, in the job's order. Reads every point: for all jobs use {@link #pointsByJob()}. */
    public List<PlannedPoint> pointsOf(PlannedJob job) {
        return pointsOf(job, byId());
    }

    /**
     * Every job's points (by job key, in plan order), from one pass over the points: a plan of 100,000 one-point
     * jobs asked job by job compares ids 10^10 times (minutes of intake), this way 100,000 lookups.
     */
    public Map<String, List<PlannedPoint>> pointsByJob() {
        Map<String, PlannedPoint> byId = byId();
        Map<String, List<PlannedPoint>> out = new LinkedHashMap<>();
        for (PlannedJob job : jobs) {
            out.put(job.jobKey(), pointsOf(job, byId));
        }
        return out;
    }

    private Map<String, PlannedPoint> byId() {
        Map<String, PlannedPoint> byId = new HashMap<>(points.size() * 2);
        points.forEach(p -> byId.put(p.id(), p));
        return byId;
    }

    private static List<PlannedPoint> pointsOf(PlannedJob job, Map<String, PlannedPoint> byId) {
        List<PlannedPoint> out = new ArrayList<>(job.pointIds().size());
        for (String id : job.pointIds()) {
            PlannedPoint point = byId.get(id);
            if (point != null) {
                out.add(point);
            }
        }
        return out;
    }
}
