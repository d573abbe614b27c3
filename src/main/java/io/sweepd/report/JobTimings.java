package io.sweepd.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.core.JobDirectory;
import io.sweepd.json.Json;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.results.PointResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@link JobTiming} of every job of a run: times, Slurm id and state from the ledger's jobs table, the node
 * list and the earlier attempts from the job's attempts ({@link AttemptRecord}, the audit trail read once for the
 * whole report), model load from the harness's own line in the Slurm output, benchmark time from the result files'
 * {@code duration}. Files that are missing or unreadable leave their field unknown, never fail the report.
 */
final class JobTimings {

    /** The single-node harness prints this once the server answers (resources/harness/single-node.sh). */
    static final Pattern HEALTHY_AFTER = Pattern.compile("^sweepd: server healthy after (\\d+) s\\b");
    /** The line comes before any benchmark output; a log without it in its head will not have it later either. */
    private static final int MAX_LOG_CHARS = 4 << 20;
    private static final String RESULT_GLOB = "results_*.json";

    private JobTimings() {
    }

    /**
     * @param points    the run's report rows (for each job: its configuration, GPUs and how many rows it measured)
     * @param reportDir the directory the report is written to: links are relative to it
     */
    static List<JobTiming> read(Ledger ledger, String runId, List<PointResult> points, Path reportDir) {
        return read(ledger, runId, points, ledger.jobs().attempts(runId), reportDir);
    }

    /** As {@link #read(Ledger, String, List, Path)}, with the run's attempts the caller has already read. */
    static List<JobTiming> read(Ledger ledger, String runId, List<PointResult> points,
                                Map<String, List<AttemptRecord>> attempts, Path reportDir) {
        Map<String, List<PointResult>> rowsByJob = rowsByJob(points);
        List<JobTiming> timings = new ArrayList<>();
        for (JobRecord job : ledger.jobs().jobs(runId)) {
            List<PointResult> rows = rowsByJob.getOrDefault(job.jobKey(), List.of());
            if (rows.isEmpty()) {
                continue; // a job whose points were all refused was never going to run
            }
            timings.add(timing(job, rows, attempts.getOrDefault(job.jobKey(), List.of()), reportDir));
        }
        return timings;
    }

    /**
     * One job's timing, from its record as the caller has it and its own audit trail only: what an interim report
     * reads when that job ends, so the cost of an update does not grow with the run. Empty when all its points
     * were refused.
     */
    static java.util.Optional<JobTiming> readJob(JobRecord job, List<PointResult> jobRows,
                                                 List<AttemptRecord> attempts, Path reportDir) {
        List<PointResult> rows = rowsByJob(jobRows).getOrDefault(job.jobKey(), List.of());
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(timing(job, rows, attempts, reportDir));
    }

    private static Map<String, List<PointResult>> rowsByJob(List<PointResult> points) {
        Map<String, List<PointResult>> rowsByJob = new HashMap<>();
        for (PointResult p : points) {
            if (p.jobKey() != null && Outcome.of(p.state()) != Outcome.REFUSED) {
                rowsByJob.computeIfAbsent(p.jobKey(), k -> new ArrayList<>()).add(p);
            }
        }
        return rowsByJob;
    }

    /**
     * A run's GPU-hours from the ledger alone (no file is read): each job's GPUs x run time, every attempt included,
     * as {@link JobTiming#totalGpuHours} counts them for the run's own report. Null when no attempt has both.
     */
    static Double gpuHours(List<JobRecord> jobs, List<PointResult> points, Map<String, List<AttemptRecord>> attempts) {
        Map<String, Integer> gpus = new HashMap<>();
        Map<String, Integer> rows = new HashMap<>();
        for (PointResult p : points) {
            if (p.jobKey() != null) {
                gpus.merge(p.jobKey(), p.totalGpus(), Math::max);
                rows.merge(p.jobKey(), 1, Integer::sum);
            }
        }
        List<JobTiming> timings = new ArrayList<>();
        for (JobRecord job : jobs) {
            List<AttemptRecord> jobAttempts = attempts.getOrDefault(job.jobKey(), List.of());
            int jobGpus = gpus.getOrDefault(job.jobKey(), 0);
            List<JobTiming.EarlierAttempt> earlier = jobAttempts.stream().filter(AttemptRecord::retried)
                    .map(a -> new JobTiming.EarlierAttempt(a, jobGpus, null, null, null)).toList();
            // As in timing(): a job whose last attempt was retried holds that attempt's times in its row.
            boolean awaitingNext = !jobAttempts.isEmpty() && jobAttempts.get(jobAttempts.size() - 1).retried();
            timings.add(new JobTiming(job.jobKey(), null, job.slurmJobId(), job.attempt(), job.state().name(), null,
                    jobGpus, rows.getOrDefault(job.jobKey(), 0), awaitingNext ? null : job.submittedAt(),
                    awaitingNext ? null : job.startedAt(), awaitingNext ? null : job.endedAt(), null, null,
                    job.reusedFromRun(), null, null, null, null, null, earlier));
        }
        return timings.stream().anyMatch(t -> t.gpuHours() != null || t.earlierGpuHours() != null)
                ? JobTiming.totalGpuHours(timings) : null;
    }

    private static JobTiming timing(JobRecord job, List<PointResult> rows, List<AttemptRecord> attempts,
                                    Path reportDir) {
        // The job row is the current attempt; the trail's last attempt is that one unless a retry put the job back
        // in line (then every attempt on record is an earlier one, and the next has not been claimed).
        AttemptRecord last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        AttemptRecord current = last != null && !last.retried() ? last : null;
        List<AttemptRecord> before = current == null ? attempts : attempts.subList(0, attempts.size() - 1);
        String nodes = current == null ? null : current.nodes();
        // Waiting for the attempt after a retry, the job row still holds the retried attempt's id and times: they
        // are that earlier attempt's (shown and counted with it), not this row's.
        boolean awaitingNext = current == null && !attempts.isEmpty();
        String slurmJobId = awaitingNext ? null : job.slurmJobId();
        PointResult first = rows.get(0);
        String label = Format.orNone(first.configKey()) + " " + PointTable.shape(first);
        int gpus = rows.stream().mapToInt(PointResult::totalGpus).max().orElse(0);
        Duration modelLoad = null;
        Duration benchmark = null;
        String logsHref = null;
        String slurmLogHref = null;
        String archiveHref = null;
        List<String> missing = new ArrayList<>();
        List<JobTiming.EarlierAttempt> earlier = new ArrayList<>();
        if (job.jobDir() == null) {
            before.forEach(a -> earlier.add(new JobTiming.EarlierAttempt(a, gpus, null, null, null)));
            missing.add("the ledger has no job directory for this job");
        } else {
            JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
            logsHref = Files.isDirectory(dir.logs()) ? href(reportDir, dir.logs()) : null;
            Path slurmLog = slurmJobId == null ? null : dir.slurmOutput(slurmJobId);
            if (slurmLog != null && Files.isRegularFile(slurmLog)) {
                slurmLogHref = href(reportDir, slurmLog);
                modelLoad = healthyAfter(slurmLog);
                if (modelLoad == null) {
                    missing.add("model load: the Slurm output has no 'server healthy after' line (not the single-node"
                            + " harness, or the server never became healthy)");
                }
            } else {
                missing.add("model load: no Slurm output file (" + (awaitingNext ? "retried, not submitted again yet"
                        : slurmJobId == null ? "never submitted"
                        : "logs/" + dir.slurmOutput(slurmJobId).getFileName() + " is missing") + ")");
            }
            benchmark = benchmarkTime(dir.results());
            if (benchmark == null) {
                missing.add("benchmark: no result file with a duration in results/");
            }
            Path archive = dir.root().resolve(FailureArchiver.ARCHIVE);
            archiveHref = Files.isRegularFile(archive) ? href(reportDir, archive) : null;
            for (AttemptRecord a : before) {
                earlier.add(earlierAttempt(a, gpus, dir, reportDir));
            }
        }
        return new JobTiming(job.jobKey(), label, slurmJobId, job.attempt(), job.state().name(), nodes, gpus,
                rows.size(), awaitingNext ? null : job.submittedAt(), awaitingNext ? null : job.startedAt(),
                awaitingNext ? null : job.endedAt(), modelLoad, benchmark,
                job.reusedFromRun(), logsHref, slurmLogHref, archiveHref,
                missing.isEmpty() ? null : String.join("; ", missing), current, earlier);
    }

    /** An earlier attempt with links to the files its retry set aside, those that are there. */
    private static JobTiming.EarlierAttempt earlierAttempt(AttemptRecord a, int gpus, JobDirectory dir,
                                                           Path reportDir) {
        JobDirectory aside = new JobDirectory(a.evidence(dir));
        Path slurmLog = a.slurmJobId() == null ? null : aside.slurmOutput(a.slurmJobId());
        Path archive = aside.root().resolve(FailureArchiver.ARCHIVE);
        return new JobTiming.EarlierAttempt(a, gpus,
                Files.isDirectory(aside.logs()) ? href(reportDir, aside.logs()) : null,
                slurmLog != null && Files.isRegularFile(slurmLog) ? href(reportDir, slurmLog) : null,
                Files.isRegularFile(archive) ? href(reportDir, archive) : null);
    }

    /** Seconds from the server's start to its first healthy answer, as the harness logged them. */
    static Duration healthyAfter(Path slurmLog) {
        try (BufferedReader in = Files.newBufferedReader(slurmLog, StandardCharsets.UTF_8)) {
            int read = 0;
            String line;
            while ((line = in.readLine()) != null && read < MAX_LOG_CHARS) {
                read += line.length() + 1;
                Matcher m = HEALTHY_AFTER.matcher(line);
                if (m.find()) {
                    return Duration.ofSeconds(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not UTF-8, unreadable or a number beyond long: the report says it does not know.
        }
        return null;
    }

    /** The sum of the result files' top-level {@code duration} (seconds the benchmark client measured), or null. */
    static Duration benchmarkTime(Path resultsDir) {
        if (!Files.isDirectory(resultsDir)) {
            return null;
        }
        double seconds = 0;
        boolean any = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(resultsDir, RESULT_GLOB)) {
            for (Path file : files) {
                Double d = topLevelDuration(file);
                if (d != null) {
                    seconds += d;
                    any = true;
                }
            }
        } catch (IOException unreadable) {
            return null;
        }
        return any ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
    }

    /** Read as a stream up to the field: detailed results carry per-request arrays the report does not need. */
    private static Double topLevelDuration(Path file) {
        try (JsonParser parser = Json.MAPPER.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("duration")) {
                    if (value.isNumeric()) {
                        double d = parser.getDoubleValue();
                        return Double.isFinite(d) && d >= 0 ? d : null;
                    }
                    return null;
                }
                parser.skipChildren();
            }
        } catch (IOException unreadable) {
            // A half-written or foreign file: no duration from it.
        }
        return null;
    }

    /** A relative URL from the report's directory to a file of the job, each segment percent-encoded. */
    static String href(Path reportDir, Path target) {
        Path from = reportDir.toAbsolutePath().normalize();
        Path to = target.toAbsolutePath().normalize();
        String relative;
        try {
            relative = from.relativize(to).toString().replace('\\', '/');
        } catch (IllegalArgumentException differentRoots) {
            return to.toUri().toString();
        }
        try {
            return new URI(null, null, relative, null).getRawPath();
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
