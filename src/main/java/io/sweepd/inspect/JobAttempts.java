package io.sweepd.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.EventKind;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's attempts, rebuilt from its audit trail: the ledger keeps one row per job (the current attempt), and every
 * change of it as an event, so the earlier attempts are in the events and nowhere else in the ledger.
 */
public final class JobAttempts {

    /** The message {@code beginSubmit} writes: "attempt 2 as sweepd-...". */
    private static final Pattern ATTEMPT = Pattern.compile("attempt (\\d+) as (\\S+)");
    /** The reason {@code sweepd retry --apply-suggested} plans a job again with. */
    private static final Pattern RULE_ADDED = Pattern.compile("workaround (\\S+) added");

    private JobAttempts() {
    }

    /** Oldest first; empty for a job never submitted (or reused from an earlier run). */
    public static List<Attempt> of(JobRecord job, List<EventRecord> events) {
        List<Builder> attempts = new ArrayList<>();
        Builder current = null;
        for (EventRecord event : events) {
            if (event.kind() != EventKind.STATE && event.kind() != EventKind.LATE_REPORT) {
                continue;
            }
            JsonNode details = details(event);
            if (event.toState() == JobState.SUBMITTING && event.fromState() == JobState.PLANNED) {
                current = new Builder(attempts.size() + 1);
                Matcher m = ATTEMPT.matcher(String.valueOf(event.message()));
                if (m.find()) {
                    current.number = Integer.parseInt(m.group(1));
                    current.jobName = m.group(2);
                }
                current.submitStartedAt = event.at();
                current.state = JobState.SUBMITTING;
                attempts.add(current);
                continue;
            }
            if (current == null) {
                continue; // created, held for a slot: nothing submitted yet
            }
            String slurmId = text(details, JobDetails.SLURM_JOB_ID);
            if (slurmId != null && current.slurmJobId == null) {
                current.slurmJobId = slurmId;
                current.submittedAt = instant(details, JobDetails.SUBMITTED_AT, event.at());
            }
            if (event.kind() == EventKind.LATE_REPORT || event.toState() == null) {
                continue;
            }
            if (event.toState() == JobState.PLANNED && event.fromState() != null && event.fromState().terminal()) {
                current.retriedBecause = event.message();
                Matcher rule = RULE_ADDED.matcher(String.valueOf(event.message()));
                current.ruleAdded = rule.find() ? rule.group(1) : null;
                current.excludedNodes = text(details, "excludeNodes");
                continue;
            }
            if (event.toState() == JobState.RUNNING) {
                current.startedAt = instant(details, JobDetails.STARTED_AT, event.at());
            }
            if (event.toState() != event.fromState()) {
                current.state = event.toState();
            }
            if (event.toState().terminal()) {
                current.reason = event.message();
                current.endedAt = instant(details, JobDetails.ENDED_AT, current.endedAt);
                current.startedAt = instant(details, JobDetails.STARTED_AT, current.startedAt);
                Integer exit = details == null || !details.hasNonNull(JobDetails.EXIT_CODE) ? null
                        : details.get(JobDetails.EXIT_CODE).asInt();
                current.exitCode = exit != null ? exit : current.exitCode;
                current.nodes = text(details, "nodes") != null ? text(details, "nodes") : current.nodes;
                if (details != null && details.hasNonNull("diagnosis")) {
                    current.category = text(details, "category");
                    current.diagnosis = text(details, "diagnosis");
                    current.suggestedRule = text(details, "suggestedWorkaround");
                }
            }
        }
        if (current != null && current.number == job.attempt()) {
            // The job row is the last word on its current attempt (an event may predate a column's update).
            current.state = job.state();
            current.slurmJobId = job.slurmJobId() != null ? job.slurmJobId() : current.slurmJobId;
            current.submittedAt = job.submittedAt() != null ? job.submittedAt() : current.submittedAt;
            current.startedAt = job.startedAt() != null ? job.startedAt() : current.startedAt;
            current.endedAt = job.endedAt() != null ? job.endedAt() : current.endedAt;
            current.exitCode = job.exitCode() != null ? job.exitCode() : current.exitCode;
        }
        Path dir = job.jobDir() == null ? null : Path.of(job.jobDir());
        List<Attempt> out = new ArrayList<>();
        for (Builder b : attempts) {
            boolean setAside = b.retriedBecause != null;
            String evidence = dir == null ? null
                    : (setAside ? dir.resolve("attempts").resolve("attempt-" + b.number) : dir).toString();
            out.add(new Attempt(b.number, b.jobName, b.slurmJobId, b.state, b.nodes, b.exitCode, b.submitStartedAt,
                    b.submittedAt, b.startedAt, b.endedAt, b.reason, b.category, b.diagnosis, b.suggestedRule,
                    b.retriedBecause, b.ruleAdded, b.excludedNodes, evidence));
        }
        return out;
    }

    private static JsonNode details(EventRecord event) {
        if (event.detailsJson() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(event.detailsJson());
        } catch (IOException e) {
            throw new UncheckedIOException("event " + event.id() + " has unreadable details", e);
        }
    }

    private static String text(JsonNode details, String key) {
        return details == null || !details.hasNonNull(key) ? null : details.get(key).asText();
    }

    /** An instant the details carry (ISO-8601, as the ledger writes them), else {@code otherwise}. */
    private static Instant instant(JsonNode details, String key, Instant otherwise) {
        String text = text(details, key);
        if (text == null) {
            return otherwise;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    private static final class Builder {
        int number;
        String jobName;
        String slurmJobId;
        JobState state;
        String nodes;
        Integer exitCode;
        Instant submitStartedAt;
        Instant submittedAt;
        Instant startedAt;
        Instant endedAt;
        String reason;
        String category;
        String diagnosis;
        String suggestedRule;
        String retriedBecause;
        String ruleAdded;
        String excludedNodes;

        Builder(int number) {
            this.number = number;
        }
    }
}
