package io.sweepd.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job's attempts back out of its audit trail, event by event (oldest first). The trail already says
 * everything an attempt is: the claim that started it ({@code attempt N as NAME}), sbatch's id, how it ended (with
 * the nodes and exit code), triage's verdict, and the retry that followed (with the rule it added). No second
 * record of the same facts is kept, so the two can never disagree.
 */
final class Attempts {

    /** The message {@link JobStore} writes when it claims a job for sbatch. */
    static final Pattern CLAIM = Pattern.compile("^attempt (\\d+) as ");

    private final Map<String, List<Builder>> byJob = new LinkedHashMap<>();

    /** Feeds one event of the run; events must come in trail order. */
    void add(EventRecord event) {
        if (event.jobKey() == null) {
            return;
        }
        List<Builder> attempts = byJob.computeIfAbsent(event.jobKey(), k -> new ArrayList<>());
        Builder current = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        JsonNode details = details(event.detailsJson());
        String slurmId = text(details, JobDetails.SLURM_JOB_ID);
        if (event.kind() == EventKind.LATE_REPORT) {
            if (current != null && current.slurmJobId == null && slurmId != null) {
                current.slurmJobId = slurmId;
            }
            return;
        }
        if (event.kind() != EventKind.STATE || event.toState() == null) {
            return;
        }
        JobState from = event.fromState();
        JobState to = event.toState();
        if (from == JobState.PLANNED && to == JobState.SUBMITTING) {
            int number = claimed(event.message(), current);
            if (current != null && current.attempt == number) {
                current.state = JobState.SUBMITTING; // a withdrawn claim taken again: the same attempt
                return;
            }
            if (current != null && current.slurmJobId == null && current.state == JobState.PLANNED) {
                // sbatch refused it for now and the next claim went through: that try never reached Slurm.
                attempts.remove(attempts.size() - 1);
            }
            attempts.add(new Builder(event.runId(), event.jobKey(), number));
            return;
        }
        if (current == null || current.retriedBecause != null) {
            return; // before any sbatch (cancelled while planned), or between a retry and its claim
        }
        if (slurmId != null && current.slurmJobId == null) {
            current.slurmJobId = slurmId;
        }
        if (to == JobState.PLANNED && from != null && from.terminal()) {
            current.retriedBecause = event.message() == null ? "retried" : event.message();
            current.addedWorkaround = text(details, JobDetails.ADDED_WORKAROUND);
            return;
        }
        if (from == to) {
            // Triage's verdict on the end (the job's reason then carries it too; the attempt keeps it apart).
            String diagnosis = text(details, "diagnosis");
            if (diagnosis != null) {
                current.diagnosis = diagnosis;
                current.category = text(details, "category");
            }
            return;
        }
        current.state = to;
        if (to.terminal()) {
            current.reason = event.message();
            current.endedAt = event.at();
            String nodes = text(details, "nodes");
            if (nodes != null) {
                current.nodes = nodes;
            }
            if (details != null && details.path(JobDetails.EXIT_CODE).isIntegralNumber()) {
                current.exitCode = details.path(JobDetails.EXIT_CODE).intValue();
            }
        } else if (to == JobState.PLANNED) {
            current.reason = event.message(); // sbatch refused for now, or a claim withdrawn
        }
    }

    /** Every job's attempts, in the order the jobs first appeared in the trail. */
    Map<String, List<AttemptRecord>> attempts() {
        Map<String, List<AttemptRecord>> out = new LinkedHashMap<>();
        byJob.forEach((job, builders) -> {
            if (!builders.isEmpty()) {
                out.put(job, builders.stream().map(Builder::build).toList());
            }
        });
        return out;
    }

    private static int claimed(String message, Builder current) {
        Matcher m = message == null ? null : CLAIM.matcher(message);
        if (m != null && m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return current == null ? 1 : current.attempt + 1;
    }

    private static JsonNode details(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null; // an unreadable detail loses that detail, never the attempt
        }
    }

    private static String text(JsonNode details, String key) {
        JsonNode value = details == null ? null : details.get(key);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static final class Builder {
        private final String runId;
        private final String jobKey;
        private final int attempt;
        private String slurmJobId;
        private JobState state = JobState.SUBMITTING;
        private String reason;
        private String nodes;
        private Instant endedAt;
        private Integer exitCode;
        private String diagnosis;
        private String category;
        private String retriedBecause;
        private String addedWorkaround;

        Builder(String runId, String jobKey, int attempt) {
            this.runId = runId;
            this.jobKey = jobKey;
            this.attempt = attempt;
        }

        AttemptRecord build() {
            return new AttemptRecord(runId, jobKey, attempt, slurmJobId, state, reason, nodes, endedAt, exitCode,
                    diagnosis, category, retriedBecause, addedWorkaround);
        }
    }
}
