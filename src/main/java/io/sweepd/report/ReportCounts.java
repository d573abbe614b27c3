package io.sweepd.report;

import io.sweepd.core.SweepCounts;
import io.sweepd.results.PointResult;

import java.util.List;

/** The report's rows counted as plan and status count them: a row is one point (README "Glossary"). */
public final class ReportCounts {

    private ReportCounts() {
    }

    public static SweepCounts of(List<PointResult> rows) {
        SweepCounts.Tally tally = SweepCounts.tally();
        rows.forEach(p -> tally.add(p.jobKey() != null ? p.jobKey() : String.valueOf(p.pointId()), 1,
                Outcome.of(p.state()) == Outcome.REFUSED));
        return tally.counts();
    }
}
