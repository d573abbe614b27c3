package io.sweepd.report;

import io.sweepd.results.PointResult;

/** A point that completed in the baseline and did not this time (failed, invalid, refused). */
public record StateChange(PointKey key, PointResult current, PointResult baseline) {
}
