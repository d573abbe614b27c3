package io.sweepd.triage;

import io.sweepd.core.JobDirectory;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Says why a job died and what fixes it, from its evidence alone: a job directory, a {@code failure.tar.gz}, or
 * plain log files. Needs neither the daemon nor Slurm; thread-safe (each call reads its own evidence).
 *
 * <p>Logs are read tail first within {@link ScanLimits}; the signatures are tried in precedence order and the
 * first that matches is the answer. Only when none matches is an earlier chunk of each large log read and the
 * signatures tried again, until the budget is spent; then the answer is {@link Category#UNKNOWN} with the last
 * error-looking line as the evidence.
 */
public final class Triage {

    /** What sweepd archives a failed job's evidence as ({@code io.sweepd.jobs.FailureArchiver}). */
    public static final String ARCHIVE = "failure.tar.gz";
    private static final int MAX_EVIDENCE_CHARS = 400;

    private final SignatureCatalog signatures;
    private final ScanLimits limits;

    public Triage(SignatureCatalog signatures, ScanLimits limits) {
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Triage(SignatureCatalog signatures) {
        this(signatures, ScanLimits.defaults());
    }

    /** The shipped signatures, default limits. */
    public static Triage shipped() {
        return new Triage(SignatureCatalog.shipped());
    }

    /** {@link #classify(Path, String)} without a verdict. */
    public TriageResult classify(Path input) {
        return classify(input, null);
    }

    /**
     * Classifies a job directory, a {@code .tar.gz}/{@code .tgz} archive of one, or one plain file (a log, or a
     * Slurm record: {@code slurm.json} or an scontrol text). A job directory whose {@code logs/} is gone but
     * whose {@code failure.tar.gz} is there is read from the archive.
     *
     * @param verdict the reason sweepd recorded for the job (a deadline, the validity gate), or null
     * @throws TriageException when the input does not exist or cannot be read or unpacked
     */
    public TriageResult classify(Path input, String verdict) {
        if (Files.isDirectory(input)) {
            Path archive = input.resolve(ARCHIVE);
            if (!Files.isDirectory(input.resolve(JobDirectory.LOGS)) && Files.isRegularFile(archive)) {
                return classifyArchive(archive, verdict, input.toString());
            }
            return classify(read(() -> JobEvidence.ofDirectory(input), input).withVerdict(verdict));
        }
        if (!Files.isRegularFile(input)) {
            throw new TriageException(input + " does not exist (expected a job directory, a failure.tar.gz or a log file)");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return classifyArchive(input, verdict, input.toString());
        }
        return classify(read(() -> JobEvidence.ofFile(input), input).withVerdict(verdict));
    }

    /** A job directory as render laid it out, with the verdict the ledger holds for it (or null). */
    public TriageResult classify(JobDirectory dir, String verdict) {
        return classify(dir.root(), verdict);
    }

    /** Evidence already gathered. */
    public TriageResult classify(JobEvidence job) {
        try {
            return classifyLogs(job);
        } catch (UncheckedIOException e) {
            throw new TriageException("cannot read the logs of " + job.label() + ": " + e.getCause().getMessage(), e);
        }
    }

    private TriageResult classifyLogs(JobEvidence job) {
        LogScan scan = LogScan.open(job.logs(), limits);
        SignatureMatcher matcher = new SignatureMatcher(scan, job);
        boolean onlyFresh = false;
        do {
            for (Signature signature : signatures.signatures()) {
                Optional<Hit> hit = matcher.match(signature, onlyFresh);
                if (hit.isPresent()) {
                    return result(hit.get(), job, matcher, framework(job, scan));
                }
            }
            onlyFresh = true;
        } while (scan.readEarlier());
        return unknown(scan, job, matcher);
    }

    private TriageResult classifyArchive(Path archive, String verdict, String label) {
        Path unpacked = ArchiveExtractor.extract(archive);
        try {
            JobEvidence job = read(() -> JobEvidence.ofDirectory(unpacked), archive);
            return classify(job.withLabel(label).withVerdict(verdict));
        } finally {
            ArchiveExtractor.delete(unpacked);
        }
    }

    /** The job's framework as its plan says, else as its logs show: the diagnosis names that framework's settings. */
    private static String framework(JobEvidence job, LogScan scan) {
        if (job.framework() != null) {
            return job.framework();
        }
        List<String> texts = new ArrayList<>();
        for (LogFile file : scan.files()) {
            for (LogLine line : file.lines()) {
                texts.add(line.text());
            }
        }
        return Frameworks.guess(texts);
    }

    private static TriageResult result(Hit hit, JobEvidence job, SignatureMatcher matcher, String framework) {
        Signature signature = hit.signature();
        Map<String, String> values = new HashMap<>(builtIns(job, matcher));
        values.putAll(hit.values());
        return new TriageResult(signature.category(), signature.retryable(),
                Diagnosis.render(signature.diagnosisFor(framework), values), signature.suggestedWorkaround(),
                evidence(hit.evidence()), hit.file(), hit.line(), signature.id());
    }

    private static TriageResult unknown(LogScan scan, JobEvidence job, SignatureMatcher matcher) {
        StringBuilder diagnosis = new StringBuilder("no known failure signature matched");
        SlurmRecord slurm = job.slurm();
        if (slurm != null && !slurm.stateText().isEmpty()) {
            diagnosis.append(" (Slurm: ").append(slurm.stateText());
            String exit = matcher.exitCode();
            if (exit != null && !exit.isEmpty()) {
                diagnosis.append(", exit ").append(exit);
            }
            diagnosis.append(')');
        }
        Optional<ErrorLines.Located> error = ErrorLines.last(scan);
        Optional<ErrorLines.Located> quoted = error.isPresent() ? error : ErrorLines.lastLine(scan);
        if (error.isPresent()) {
            diagnosis.append(": the evidence is the last error the logs show; if it explains the failure, add a"
                    + " signature for it");
        } else if (quoted.isPresent()) {
            diagnosis.append(": the logs show no error line; the evidence is their last line");
        } else {
            diagnosis.append(job.logs().isEmpty() ? ": there are no logs to read" : ": the logs are empty");
        }
        if (job.verdict() != null && !job.verdict().isBlank()) {
            diagnosis.append("; sweepd's verdict: ").append(job.verdict().strip());
        }
        if (quoted.isPresent()) {
            LogFile file = quoted.get().file();
            LogLine line = quoted.get().line();
            return new TriageResult(Category.UNKNOWN, false, diagnosis.toString(), null, evidence(line.display()),
                    file.name(), file.lineNumber(line), TriageResult.UNKNOWN_SIGNATURE);
        }
        return new TriageResult(Category.UNKNOWN, false, diagnosis.toString(), null, "", null, 0,
                TriageResult.UNKNOWN_SIGNATURE);
    }

    /** Values every diagnosis may use, from the Slurm record and the verdict. */
    private static Map<String, String> builtIns(JobEvidence job, SignatureMatcher matcher) {
        Map<String, String> values = new HashMap<>();
        SlurmRecord slurm = job.slurm();
        if (slurm != null) {
            values.put("slurm-state", slurm.stateText());
            values.put("slurm-reason", slurm.reason());
            values.put("run-time", slurm.runTime());
            values.put("std-out", slurm.stdOut());
            values.put("node-list", slurm.nodeList());
        }
        String exit = matcher.exitCode();
        if (exit != null) {
            values.put("exit-code", exit);
        }
        if (job.verdict() != null) {
            values.put("verdict", job.verdict().strip());
        }
        return values;
    }

    private static String evidence(String line) {
        String text = line == null ? "" : line.strip();
        return text.length() <= MAX_EVIDENCE_CHARS ? text : text.substring(0, MAX_EVIDENCE_CHARS - 3) + "...";
    }

    private static JobEvidence read(Supplier<JobEvidence> reader, Path input) {
        try {
            return reader.get();
        } catch (UncheckedIOException e) {
            throw new TriageException("cannot read " + input + ": " + e.getCause().getMessage(), e);
        }
    }
}
