package io.sweepd.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends to the audit trail inside the caller's transaction: both {@link RunStore} and {@link JobStore} write
 * events, and an event must commit or roll back with the change it describes.
 */
final class Events {

    private Events() {
    }

    static void write(Handle h, String runId, String jobKey, Instant at, EventKind kind, JobState from,
                      JobState to, String message, Map<String, Object> details) {
        h.createUpdate("INSERT INTO events (run_id, job_key, occurred_at, kind, from_state, to_state, message, "
                        + "details_json) VALUES (:run, :job, :at, :kind, :from, :to, :message, :details)")
                .bind("run", runId).bind("job", jobKey).bind("at", Rows.instant(at)).bind("kind", kind.name())
                .bind("from", from == null ? null : from.name()).bind("to", to == null ? null : to.name())
                .bind("message", Rows.clamp(message)).bind("details", json(details))
                .execute();
    }

    private static String json(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        try {
            return Json.SORTED.writeValueAsString(new LinkedHashMap<>(details));
        } catch (JsonProcessingException e) {
            // The audit trail must not block a state change: keep what can be said about the details.
            return Json.MAPPER.createObjectNode().put("unserializable", details.toString()).toString();
        }
    }

}
