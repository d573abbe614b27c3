package io.sweepd.schedule;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

/**
 * When a schedule fires next, computed by Quartz's own cron reader: the daemon's scheduler is camel-quartz, so
 * this is the instant it will fire, not an approximation of it.
 */
public final class CronTimes {

    private CronTimes() {
    }

    /** The first firing strictly after {@code after}, in {@code zone}; empty when the expression never fires again. */
    public static Optional<Instant> next(String cron, Instant after, ZoneId zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return Optional.ofNullable(expression.getNextValidTimeAfter(Date.from(after))).map(Date::toInstant);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: '" + cron + "': " + e.getMessage(), e);
        }
    }
}
