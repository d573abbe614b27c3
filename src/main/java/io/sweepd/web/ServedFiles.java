package io.sweepd.web;

import io.sweepd.core.JobDirectory;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.report.ReportWriter;
import io.sweepd.results.TriageNote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The only files the status server hands out: a run's report files under {@code reports/<run>/}, a job's failure
 * archive and triage note in its job directory, the files at the top of its {@code logs/} (what the report links
 * to: the Slurm output, the server's log), and the same of an attempt a retry set aside
 * ({@code attempts/attempt-<n>/}). A request names a run (and a job) the ledger knows and one of these file names;
 * nothing in the URL becomes a path by itself, and the resolved file must still lie inside its directory once
 * symbolic links are followed, so neither {@code ..} nor a link leads elsewhere.
 */
public final class ServedFiles {

    /** A file that may be served, with its content type. */
    public record Served(Path file, String contentType, String disposition) {
    }

    private static final Map<String, String> REPORT_FILES = Map.of(
            ReportWriter.HTML, HttpReply.HTML,
            ReportWriter.MARKDOWN, "text/markdown; charset=utf-8",
            ReportWriter.CSV, "text/csv; charset=utf-8",
            ReportWriter.JSON, HttpReply.JSON);

    private static final Map<String, String> JOB_FILES = Map.of(
            FailureArchiver.ARCHIVE, "application/gzip",
            TriageNote.FILE, HttpReply.JSON);

    /** Logs are text to read, never a page to render: nosniff keeps the browser from guessing otherwise. */
    static final String LOG_TYPE = "text/plain; charset=utf-8";
    /** A listing stops here: a runaway job writing files by the thousand must not make one page huge. */
    static final int MAX_LISTED = 2000;
    private static final java.util.regex.Pattern ATTEMPT = java.util.regex.Pattern.compile("[1-9][0-9]{0,5}");

    private final Ledger ledger;
    private final Path reportsDir;

    public ServedFiles(Ledger ledger, Path reportsDir) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.reportsDir = reportsDir.toAbsolutePath().normalize();
    }

    /** {@code reports/<run>/<file>}, for a run the ledger has and a report file name. */
    public Optional<Served> report(String runId, String fileName) {
        String type = REPORT_FILES.get(fileName);
        if (type == null || !ledger.runs().exists(runId)) {
            return Optional.empty();
        }
        return inside(reportsDir, reportsDir.resolve(runId), fileName)
                .map(file -> new Served(file, type, null));
    }

    /** A job's {@code failure.tar.gz} or {@code triage.json}, in the job directory the ledger records. */
    public Optional<Served> jobFile(String runId, String jobKey, String fileName) {
        String type = JOB_FILES.get(fileName);
        if (type == null) {
            return Optional.empty();
        }
        Optional<JobRecord> job = ledger.jobs().job(runId, jobKey);
        if (job.isEmpty() || job.get().jobDir() == null) {
            return Optional.empty();
        }
        Path dir = Path.of(job.get().jobDir());
        String download = fileName.equals(FailureArchiver.ARCHIVE)
                ? "attachment; filename=\"" + safeName(jobKey) + "-" + fileName + "\"" : null;
        return inside(dir, dir, fileName).map(file -> new Served(file, type, download));
    }

    /**
     * A file at the top of a job's {@code logs/} ({@code attempt} null) or of an earlier attempt's, as the report
     * links to it. Only a regular file directly in that folder: not one in a subfolder, not a link leading out of it.
     */
    public Optional<Served> jobLog(String runId, String jobKey, String attempt, String fileName) {
        return logsFolder(runId, jobKey, attempt)
                .flatMap(folder -> directlyIn(folder.jobDir(), folder.logs(), fileName))
                .map(file -> new Served(file, LOG_TYPE, null));
    }

    /** The names {@link #jobLog} would serve from that {@code logs/}, sorted; empty when job or folder is unknown. */
    public Optional<List<String>> jobLogNames(String runId, String jobKey, String attempt) {
        Optional<Folder> folder = logsFolder(runId, jobKey, attempt);
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        Path jobDir = folder.get().jobDir();
        Path logs = folder.get().logs();
        try {
            Path allowed = jobDir.toRealPath().resolve(logs);
            if (!Files.isDirectory(allowed, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // missing, or a link to a folder elsewhere
            }
            try (Stream<Path> entries = Files.list(allowed)) {
                return Optional.of(entries.map(p -> p.getFileName().toString()).sorted()
                        .filter(name -> directlyIn(jobDir, logs, name).isPresent()).limit(MAX_LISTED).toList());
            }
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** An earlier attempt's {@code failure.tar.gz} or {@code triage.json}, where its retry set them aside. */
    public Optional<Served> earlierAttemptFile(String runId, String jobKey, String attempt, String fileName) {
        String type = JOB_FILES.get(fileName);
        Optional<Path> jobDir = jobDir(runId, jobKey);
        if (type == null || jobDir.isEmpty() || attempt == null || !ATTEMPT.matcher(attempt).matches()) {
            return Optional.empty();
        }
        String download = fileName.equals(FailureArchiver.ARCHIVE) ? "attachment; filename=\"" + safeName(jobKey)
                + "-attempt-" + attempt + "-" + fileName + "\"" : null;
        return directlyIn(jobDir.get(), earlierAttempt(attempt), fileName)
                .map(file -> new Served(file, type, download));
    }

    /** A job directory and a folder in it, relative, as the URL named them. */
    private record Folder(Path jobDir, Path logs) {
    }

    private Optional<Folder> logsFolder(String runId, String jobKey, String attempt) {
        if (attempt != null && !ATTEMPT.matcher(attempt).matches()) {
            return Optional.empty();
        }
        Path logs = attempt == null ? Path.of(JobDirectory.LOGS) : earlierAttempt(attempt).resolve(JobDirectory.LOGS);
        return jobDir(runId, jobKey).map(dir -> new Folder(dir, logs));
    }

    private static Path earlierAttempt(String attempt) {
        // The folder JobDirectory#earlierAttempt names, relative to the job directory.
        JobDirectory relative = new JobDirectory(Path.of("/"));
        return relative.root().relativize(relative.earlierAttempt(Integer.parseInt(attempt)));
    }

    private Optional<Path> jobDir(String runId, String jobKey) {
        return ledger.jobs().job(runId, jobKey).map(JobRecord::jobDir).map(Path::of);
    }

    /**
     * {@code jobDir/folder/name} when it is a regular file whose real path lies directly in {@code folder} under the
     * job directory's real path: a name with a separator, a folder that is a link elsewhere, or a file that is a link
     * to anything outside that folder is refused.
     */
    static Optional<Path> directlyIn(Path jobDir, Path folder, String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.contains("\\") || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            Path allowed = jobDir.toRealPath().resolve(folder);
            Path candidate = allowed.resolve(name);
            if (!Files.isRegularFile(candidate)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            return allowed.equals(real.getParent()) ? Optional.of(real) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Whether a job directory holds a file this server would hand out (for links on the page). */
    public boolean hasJobFile(String jobDir, String fileName) {
        return jobDir != null && JOB_FILES.containsKey(fileName)
                && inside(Path.of(jobDir), Path.of(jobDir), fileName).isPresent();
    }

    public boolean hasReport(String runId) {
        return report(runId, ReportWriter.HTML).isPresent();
    }

    /**
     * {@code dir/name} when it is a regular file whose real path lies under the real path of {@code root}.
     * Empty for anything else: a missing file, a directory, a name or directory that climbs out.
     */
    static Optional<Path> inside(Path root, Path dir, String name) {
        try {
            Path candidate = dir.resolve(name);
            if (!Files.isRegularFile(candidate)) {
                return Optional.empty();
            }
            Path realRoot = root.toRealPath();
            Path real = candidate.toRealPath();
            return real.startsWith(realRoot) && !real.equals(realRoot) && Files.isRegularFile(real)
                    ? Optional.of(real) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A job key in a download's file name: Content-Disposition must not carry quotes or line breaks. */
    private static String safeName(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
