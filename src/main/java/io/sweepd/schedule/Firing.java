package io.sweepd.schedule;

import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepOrigin;

import java.time.Instant;

/**
 * One firing of a schedule that is to make a run: the stored sweep, read again, planned like a dropped file.
 *
 * @param firedAt when the firing was due; the run's id is stamped with it
 */
public record Firing(String schedule, SweepFile sweep, SweepOrigin origin, Instant firedAt) {
}
