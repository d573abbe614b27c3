package io.sweepd.app;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.Map;

/**
 * The {@code %sweepdIds} of logback.xml: the ids {@link LogContext} put on a line, compactly, and nothing when there
 * are none, e.g. {@code " run=excerpt-20261130-080000 job=dsr1_1k1k-3fa2c1d0e4 slurm=4711"}. The sweep's name is
 * printed only until the run is known, because the run id starts with it.
 */
public final class LogIds extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> context = event.getMDCPropertyMap();
        if (context == null || context.isEmpty()) {
            return "";
        }
        StringBuilder ids = new StringBuilder();
        String run = context.get(LogContext.RUN);
        if (run == null || run.isEmpty()) {
            append(ids, "sweep", context.get(LogContext.SWEEP));
        }
        append(ids, "run", run);
        append(ids, "job", context.get(LogContext.JOB));
        append(ids, "slurm", context.get(LogContext.SLURM_JOB));
        return ids.toString();
    }

    private static void append(StringBuilder ids, String name, String value) {
        if (value != null && !value.isEmpty()) {
            ids.append(' ').append(name).append('=').append(value);
        }
    }
}
