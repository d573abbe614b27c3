package io.sweepd.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job's attempts back out of its audit trail, event by event (oldest first). The trail already says
 * everything an attempt is: the claim that started it ({@code attempt N as NAME}), sbatch's id, its start, how it
 * ended (with the nodes, times and exit code), triage's verdict, and the retry that followed (with the rule it added
 * and the nodes it excluded). No second record of the same facts is kept, so the two can never disagree; this is
 * the only reader of attempts (status, report and {@code sweepd show} all use it).
 */
final class Attempts {

    /** The message {@link JobStore} writes when it claims a job for sbatch. */
    static final Pattern CLAIM = Pattern.compile("^attempt (\\d+) as (\\S+)");
    /**
     * How a retry's reason names the rule it added ({@code sweepd retry --apply-suggested} writes "... workaround X
     * added ..."), for a retry recorded before the rule went into the event's details.
     */
    private static final Pattern RULE_ADDED = Pattern.compile("workaround (\\S+) added");

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
                current.submittedAt = instant(details, JobDetails.SUBMITTED_AT, event.at());
            }
            return;
        }
        if (event.kind() != EventKind.STATE || event.toState() == null) {
            return;
        }
        JobState from = event.fromState();
        JobState to = event.toState();
        if (from == JobState.PLANNED && to == JobState.SUBMITTING) {
            Matcher claim = event.message() == null ? null : CLAIM.matcher(event.message());
            boolean named = claim != null && claim.find();
            int number = named ? Integer.parseInt(claim.group(1)) : current == null ? 1 : current.attempt + 1;
            if (current != null && current.attempt == number) {
                current.state = JobState.SUBMITTING; // a withdrawn claim taken again: the same attempt
                current.claimedAt = event.at();
                return;
            }
            if (current != null && current.slurmJobId == null && current.state == JobState.PLANNED) {
                // sbatch refused it for now and the next claim went through: that try never reached Slurm.
                attempts.remove(attempts.size() - 1);
            }
            Builder started = new Builder(event.runId(), event.jobKey(), number);
            started.jobName = named ? claim.group(2) : null;
            started.claimedAt = event.at();
            attempts.add(started);
            return;
        }
        if (current == null || current.retriedBecause != null) {
            return; // before any sbatch (cancelled while planned), or between a retry and its claim
        }
        if (slurmId != null && current.slurmJobId == null) {
            current.slurmJobId = slurmId;
            current.submittedAt = instant(details, JobDetails.SUBMITTED_AT, event.at());
        }
        if (to == JobState.PLANNED && from != null && from.terminal()) {
            current.retriedBecause = event.message() == null ? "retried" : event.message();
            current.addedWorkaround = text(details, JobDetails.ADDED_WORKAROUND);
            if (current.addedWorkaround == null && event.message() != null) {
                Matcher rule = RULE_ADDED.matcher(event.message());
                current.addedWorkaround = rule.find() ? rule.group(1) : null;
            }
            current.excludedNodes = text(details, JobDetails.EXCLUDED_NODES);
            return;
        }
        if (from == to) {
            // Triage's verdict on the end (the job's reason then carries it too; the attempt keeps it apart).
            String diagnosis = text(details, "diagnosis");
            if (diagnosis != null) {
                current.diagnosis = diagnosis;
                current.category = text(details, "category");
                current.suggestedWorkaround = text(details, "suggestedWorkaround");
            }
            return;
        }
        current.state = to;
        if (to == JobState.RUNNING) {
            current.startedAt = instant(details, JobDetails.STARTED_AT, event.at());
        }
        if (to.terminal()) {
            current.reason = event.message();
            // Slurm's own times when the end carries them (sacct's), else when sweepd learned of it.
            current.endedAt = instant(details, JobDetails.ENDED_AT, event.at());
            current.startedAt = instant(details, JobDetails.STARTED_AT, current.startedAt);
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

    /** An instant the details carry (ISO-8601, as the ledger writes them), else {@code otherwise}. */
    private static Instant instant(JsonNode details, String key, Instant otherwise) {
        String text = text(details, key);
        if (text == null) {
            return otherwise;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
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
        private String jobName;
        private String slurmJobId;
        private JobState state = JobState.SUBMITTING;
        private String reason;
        private String nodes;
        private Integer exitCode;
        private Instant claimedAt;
        private Instant submittedAt;
        private Instant startedAt;
        private Instant endedAt;
        private String diagnosis;
        private String category;
        private String suggestedWorkaround;
        private String retriedBecause;
        private String addedWorkaround;
        private String excludedNodes;

        Builder(String runId, String jobKey, int attempt) {
            this.runId = runId;
            this.jobKey = jobKey;
            this.attempt = attempt;
        }

        AttemptRecord build() {
            return new AttemptRecord(runId, jobKey, attempt, jobName, slurmJobId, state, reason, nodes, exitCode,
                    claimedAt, submittedAt, startedAt, endedAt, diagnosis, category, suggestedWorkaround,
                    retriedBecause, addedWorkaround, excludedNodes);
        }
    }
}
