package io.sweepd.notify;

import java.util.Arrays;
import java.util.Locale;

/** What a notification is about, by the name the settings and the JSON use. */
public enum NotifyEvent {
    /** A run's last job ended and its final report was written. */
    RUN_ENDED("run-ended"),
    /** A job ended without success and was triaged (it may be being retried). */
    JOB_FAILED("job-failed");

    private final String id;

    NotifyEvent(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static NotifyEvent of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no notification event '" + id + "'; known: "
                        + Arrays.stream(values()).map(NotifyEvent::id).toList()));
    }

    @Override
    public String toString() {
        return id;
    }
}
