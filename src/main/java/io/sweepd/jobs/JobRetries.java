package io.sweepd.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Puts a finished job back in line for sbatch. The attempt's evidence (logs, results, archive, triage, Slurm
 * record, markers) moves to {@code attempts/attempt-<n>/} so nothing is lost and the next attempt starts with
 * an empty {@code logs/} (which must exist before sbatch); nodes to avoid go to {@code retry.json}, which the
 * submitter turns into {@code --exclude}.
 */
public final class JobRetries {

    private static final Logger LOG = LoggerFactory.getLogger(JobRetries.class);
    public static final String RETRY_FILE = "retry.json";
    private static final List<String> ATTEMPT_FILES = List.of(FailureArchiver.ARCHIVE, "triage.json", "slurm.json",
            JobDirectory.EXIT_CODE, JobDirectory.STARTED, JobDirectory.LOGS, JobDirectory.RESULTS);
    /** Slurm host lists as squeue/sacct print them: gpu-node1, gpu-node[1-2], gpu-node[1,3]. */
    private static final Pattern NODE_LIST = Pattern.compile("[A-Za-z0-9._-]+(\\[[0-9,-]+\\])?(,[A-Za-z0-9._-]+(\\[[0-9,-]+\\])?)*");

    private final JobStore jobs;

    public JobRetries(JobStore jobs) {
        this.jobs = jobs;
    }

    /** Returns false when the job moved on meanwhile (nothing was changed then). */
    public boolean retry(JobRecord job, String reason, boolean excludeFailedNodes) {
        return retry(job, reason, excludeFailedNodes, null);
    }

    /**
     * As {@link #retry(JobRecord, String, boolean)}, for a retry that added a workaround rule to the job first: the
     * rule goes on record with the retry, so the attempts and the report name it.
     */
    public boolean retry(JobRecord job, String reason, boolean excludeFailedNodes, String addedWorkaround) {
        if (!job.state().terminal() || job.state().successful()) {
            throw new IllegalArgumentException("job " + job.jobKey() + " is " + job.state() + "; only a job that"
                    + " ended without success is retried");
        }
        // Another retry (the daemon's own, or a person's) may have taken this job since the caller read it:
        // its files are then the next attempt's and must stay where they are.
        Optional<JobRecord> current = jobs.job(job.runId(), job.jobKey());
        if (current.isEmpty() || current.get().state() != job.state() || current.get().attempt() != job.attempt()) {
            return false;
        }
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        Optional<String> failedNodes = excludeFailedNodes ? nodesOf(dir) : Optional.empty();
        setAside(dir, job.attempt());
        failedNodes.ifPresent(nodes -> addExcluded(dir, nodes));
        Map<String, Object> details = new HashMap<>();
        failedNodes.ifPresent(n -> details.put(JobDetails.EXCLUDED_NODES, n));
        if (addedWorkaround != null) {
            details.put(JobDetails.ADDED_WORKAROUND, addedWorkaround);
        }
        if (!jobs.transition(job.runId(), job.jobKey(), job.state(), JobState.PLANNED, reason, details)) {
            return false;
        }
        LOG.info("job {} of run {}: {}{}", job.jobKey(), job.runId(), reason,
                failedNodes.map(n -> " (excluding " + n + ")").orElse(""));
        return true;
    }

    /** The nodes the submitter must avoid for this job, as one {@code --exclude} value, if any. */
    public static Optional<String> excludedNodes(JobDirectory dir) {
        Path file = dir.root().resolve(RETRY_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String nodes = Json.MAPPER.readTree(file.toFile()).path("exclude").asText("");
            return NODE_LIST.matcher(nodes).matches() ? Optional.of(nodes) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> nodesOf(JobDirectory dir) {
        Path record = dir.root().resolve("slurm.json");
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(record.toFile());
            String nodes = json.path("sacct").path("nodeList").asText("");
            if (nodes.isBlank()) {
                nodes = json.path("final").path("nodeList").asText("");
            }
            return NODE_LIST.matcher(nodes).matches() ? Optional.of(nodes) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void addExcluded(JobDirectory dir, String nodes) {
        Set<String> all = new LinkedHashSet<>();
        excludedNodes(dir).ifPresent(all::add);
        all.add(nodes);
        ObjectNode json = Json.MAPPER.createObjectNode().put("exclude", String.join(",", all));
        try {
            Files.writeString(dir.root().resolve(RETRY_FILE), Json.MAPPER.writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setAside(JobDirectory dir, int attempt) {
        Path target = dir.earlierAttempt(attempt);
        try {
            Files.createDirectories(target);
            for (String name : ATTEMPT_FILES) {
                Path source = dir.root().resolve(name);
                if (Files.exists(source)) {
                    Files.move(source, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createDirectories(dir.logs());
            Files.createDirectories(dir.results());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set attempt " + attempt + " of " + dir.root() + " aside", e);
        }
    }
}
