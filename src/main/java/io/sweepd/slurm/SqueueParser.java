package io.sweepd.slurm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.sweepd.json.Json;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code squeue --json} into a {@link QueueSnapshot}. Pure: no command is run here.
 *
 * <p>Two shapes are read. Slurm 22.05 (openapi v0.0.38, recorded in src/test/resources/slurm/json/) and 23.02
 * print {@code job_state} as one name, times as plain UNIX seconds (0 for none) and {@code exit_code} as the raw
 * wait status (768 is exit 3, 15 is signal 15). From 23.11 on (data_parser v0.0.40+) {@code job_state} is a list of
 * the base state and its flags, numbers that may be unset are {@code {"set", "infinite", "number"}} objects and
 * {@code exit_code} is {@code {"status", "return_code", "signal": {"id", "name"}}}. Times are UNIX seconds in both,
 * so unlike the text output no time zone is involved.
 *
 * <p>Measured on 22.05.8: squeue --json ignores --me, --states, --name and -j (every job of every user comes
 * back, finished ones too until MinJobAge), which is why this filters by user itself; and with the controller
 * unreachable it exits 0 with an empty job list and an {@code errors} entry, which must not read as "every job
 * left the queue".
 */
public final class SqueueParser {

    private static final Logger LOG = LoggerFactory.getLogger(SqueueParser.class);

    private SqueueParser() {
    }

    /**
     * The jobs of {@code user} in squeue's answer, or a failed snapshot when squeue reported errors or printed
     * something that is not its JSON. A job whose owner squeue could not name is kept: sweepd's own names narrow
     * the list further.
     *
     * @param takenAt when squeue answered: the elapsed time of a live job runs up to it
     */
    public static QueueSnapshot parse(String stdout, String user, Instant takenAt) {
        try (JsonParser json = Json.MAPPER.createParser(stdout)) {
            return parse(json, user, takenAt);
        } catch (IOException e) {
            return notJson(e, takenAt);
        }
    }

    /**
     * As {@link #parse(String, String, Instant)}, read from a file as a stream: one job's tree at a time, so that
     * memory follows this user's jobs, not the answer's size. On 22.05 the answer holds every user's jobs (3-4 kB
     * each): a busy cluster's 20,000 jobs are 80 MB of JSON, which read whole (and copied on the way) took more
     * than the daemon's heap.
     */
    public static QueueSnapshot parse(Path stdoutFile, String user, Instant takenAt) {
        try (JsonParser json = Json.MAPPER.createParser(stdoutFile.toFile())) {
            return parse(json, user, takenAt);
        } catch (IOException e) {
            return notJson(e, takenAt);
        }
    }

    private static QueueSnapshot notJson(IOException e, Instant takenAt) {
        String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
        return QueueSnapshot.failed(takenAt, new SlurmFailure(FailureKind.TRANSIENT,
                "squeue --json printed something that is not JSON: " + why));
    }

    private static QueueSnapshot parse(JsonParser json, String user, Instant takenAt) throws IOException {
        Objects.requireNonNull(user, "user");
        List<SlurmJobInfo> jobs = null;
        JsonNode errors = null;
        if (json.nextToken() == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("jobs".equals(field) && value == JsonToken.START_ARRAY) {
                    jobs = new ArrayList<>();
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode job = json.readValueAsTree();
                        if (mine(job, user)) {
                            jobs.add(job(job, takenAt));
                        }
                    }
                } else if ("errors".equals(field)) {
                    errors = json.readValueAsTree();
                } else {
                    json.skipChildren();
                }
            }
        }
        if (jobs == null) {
            return QueueSnapshot.failed(takenAt, new SlurmFailure(FailureKind.TRANSIENT,
                    "squeue --json printed no job list"));
        }
        if (errors != null && !errors.isEmpty()) {
            // slurm_load_jobs failed (22.05 words an unreachable controller "Unspecified error"): the empty list
            // proves nothing, and the next cycle asks again.
            return QueueSnapshot.failed(takenAt, new SlurmFailure(FailureKind.TRANSIENT, errors(errors)));
        }
        return QueueSnapshot.of(takenAt, jobs);
    }

    private static boolean mine(JsonNode job, String user) {
        String owner = job.path("user_name").asText("");
        if (!owner.isEmpty() && !owner.equals(user)) {
            return false;
        }
        if (!job.path("job_id").canConvertToLong()) {
            LOG.warn("Skipping a squeue --json job without a job id: {}", job.path("name").asText(""));
            return false;
        }
        return true;
    }

    private static SlurmJobInfo job(JsonNode job, Instant takenAt) {
        String slurmState = SlurmStates.slurmState(texts(job.path("job_state")));
        SlurmState state = SlurmStates.fromSlurm(slurmState);
        // For a pending job start_time is the expected start, for a live job end_time the expected end.
        Instant start = state.started() ? instant(job.path("start_time")) : null;
        Instant end = state.ended() ? instant(job.path("end_time")) : null;
        Duration elapsed = start == null ? Duration.ZERO : Duration.between(start, end != null ? end : takenAt);
        return new SlurmJobInfo(job.path("job_id").asText(), job.path("name").asText(""), state, slurmState,
                SlurmText.orEmpty(job.path("state_reason").asText("")),
                !state.ended() ? "" : exitCode(job.path("exit_code")), SlurmText.orEmpty(job.path("nodes").asText("")),
                elapsed.isNegative() ? Duration.ZERO : elapsed, start, end);
    }

    /** A name, or the names of a list (job_state, exit_code.status from 23.11 on). */
    private static List<String> texts(JsonNode node) {
        if (node.isArray()) {
            List<String> names = new ArrayList<>();
            node.forEach(item -> names.add(item.asText()));
            return names;
        }
        return node.isValueNode() ? List.of(node.asText()) : List.of();
    }

    /** A plain number, or {"set", "infinite", "number"} (unset and infinite are no number). */
    private static OptionalLong number(JsonNode node) {
        if (node.isObject()) {
            boolean set = node.path("set").asBoolean(false) && !node.path("infinite").asBoolean(false);
            return set ? number(node.path("number")) : OptionalLong.empty();
        }
        return node.canConvertToLong() ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
    }

    /** UNIX seconds; 0 is how 22.05 says "no time". */
    private static Instant instant(JsonNode node) {
        OptionalLong seconds = number(node);
        return seconds.isEmpty() || seconds.getAsLong() <= 0 ? null : Instant.ofEpochSecond(seconds.getAsLong());
    }

    /**
     * "exit:signal" as scontrol and sacct print it ("3:0", "0:15"): from the raw wait status up to 23.02, from the
     * return code and signal id after. "" when Slurm has none (PENDING).
     */
    private static String exitCode(JsonNode node) {
        if (node.isObject() && node.has("return_code")) {
            if (texts(node.path("status")).contains("PENDING")) {
                return "";
            }
            return number(node.path("return_code")).orElse(0) + ":" + number(node.path("signal").path("id")).orElse(0);
        }
        OptionalLong raw = number(node);
        if (raw.isEmpty()) {
            return "";
        }
        long status = raw.getAsLong();
        return ((status >> 8) & 0xff) + ":" + (status & 0x7f);
    }

    private static String errors(JsonNode errors) {
        List<String> messages = new ArrayList<>();
        for (JsonNode error : errors) {
            String text = error.path("source").asText("squeue") + ": " + error.path("description").asText("")
                    + " (" + error.path("error").asText("") + ")";
            messages.add(text);
        }
        return String.join("; ", messages);
    }
}
