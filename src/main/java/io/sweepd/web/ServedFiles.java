package io.sweepd.web;

import io.sweepd.jobs.FailureArchiver;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.report.ReportWriter;
import io.sweepd.results.TriageNote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The only files the status server hands out: a run's report files under {@code reports/<run>/}, and a job's
 * failure archive and triage note in its job directory. A request names a run (and a job) the ledger knows and
 * one of these file names; nothing in the URL becomes a path by itself, and the resolved file must still lie
 * inside its directory once symbolic links are followed, so neither {@code ..} nor a link leads elsewhere.
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

    private final Ledger ledger;
    private final Path reportsDir;

    public ServedFiles(Ledger ledger, Path reportsDir) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.reportsDir = reportsDir.toAbsolutePath().normalize();
    }

    /** {@code reports/<run>/<file>}, for a run the ledger has and a report file name. */
    public Optional<Served> report(String runId, String fileName) {
        String type = REPORT_FILES.get(fileName);
        if (type == null || ledger.runs().run(runId).isEmpty()) {
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
