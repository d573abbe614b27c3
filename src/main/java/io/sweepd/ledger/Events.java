package io.sweepd.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

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

    private static final String INSERT = "INSERT INTO events (run_id, job_key, occurred_at, kind, from_state, "
            + "to_state, message, details_json) VALUES (:run, :job, :at, :kind, :from, :to, :message, :details)";

    static void write(Handle h, String runId, String jobKey, Instant at, EventKind kind, JobState from,
                      JobState to, String message, Map<String, Object> details) {
        bind(h.createUpdate(INSERT), runId, jobKey, at, kind, from, to, message, details).execute();
    }

    /** Events to append in one batch, inside the caller's transaction. */
    static Batch batch(Handle h) {
        return new Batch(h);
    }

    static final class Batch {

        private final Handle handle;
        private PreparedBatch batch;

        private Batch(Handle handle) {
            this.handle = handle;
        }

        void add(String runId, String jobKey, Instant at, EventKind kind, JobState from, JobState to, String message,
                 Map<String, Object> details) {
            if (batch == null) {
                batch = handle.prepareBatch(INSERT);
            }
            bind(batch, runId, jobKey, at, kind, from, to, message, details).add();
        }

        void execute() {
            if (batch != null) {
                batch.execute();
            }
        }
    }

    private static <T extends SqlStatement<T>> T bind(T statement, String runId, String jobKey, Instant at,
                                                     EventKind kind, JobState from, JobState to, String message,
                                                     Map<String, Object> details) {
        return statement.bind("run", runId).bind("job", jobKey).bind("at", Rows.instant(at)).bind("kind", kind.name())
                .bind("from", from == null ? null : from.name()).bind("to", to == null ? null : to.name())
                .bind("message", Rows.clamp(message)).bind("details", json(details));
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
