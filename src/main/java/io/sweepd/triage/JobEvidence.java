package io.sweepd.triage;

import io.sweepd.core.JobDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What triage reads about one job: its log files, its Slurm record, the exit status its script wrote, and the
 * verdict sweepd recorded (a deadline, the validity gate) when there is one.
 *
 * @param label    how the job is named in output (the path as given)
 * @param logs     every log file, in the order they are searched
 * @param slurm    the Slurm record, or null when there is none
 * @param exitCode the job script's own exit status as "N:0" (the {@code exit-code} file), or null
 * @param verdict  sweepd's recorded reason, or null
 * @param framework the serving framework the job runs (vllm, sglang, trtllm) from its plan, or null when not known:
 *                  triage then guesses it from the logs
 */
public record JobEvidence(String label, List<LogSource> logs, SlurmRecord slurm, String exitCode, String verdict,
        String framework) {

    /** A log file and how results name it (relative to the job directory: {@code logs/decode-0.log}). */
    public record LogSource(Path path, String name) {
    }

    /** Files of a job directory (or an unpacked archive of one) that are not logs. */
    private static final Set<String> NOT_LOGS = Set.of(JobDirectory.PLAN, JobDirectory.RECIPE, JobDirectory.SCRIPT,
            JobDirectory.STARTED, JobDirectory.EXIT_CODE, TriageFile.FILE, "slurm.json");
    private static final Set<String> NOT_LOG_EXTENSIONS = Set.of("json", "yaml", "yml", "sbatch", "sh", "py", "gz",
            "tgz", "tar", "zip", "png", "html", "csv", "md", "nsys-rep", "qdrep", "sqlite");

    public JobEvidence {
        Objects.requireNonNull(label, "label");
        logs = List.copyOf(logs);
    }

    public JobEvidence(String label, List<LogSource> logs, SlurmRecord slurm, String exitCode, String verdict) {
        this(label, logs, slurm, exitCode, verdict, null);
    }

    public JobEvidence withVerdict(String verdict) {
        return new JobEvidence(label, logs, slurm, exitCode, verdict, framework);
    }

    public JobEvidence withLabel(String label) {
        return new JobEvidence(label, logs, slurm, exitCode, verdict, framework);
    }

    /** The same evidence for a job of {@code framework} (a plan's name: dynamo-sglang, trt, vllm...). */
    public JobEvidence withFramework(String framework) {
        return new JobEvidence(label, logs, slurm, exitCode, verdict, Frameworks.of(framework));
    }

    /**
     * A job directory: every file under {@code logs/}, {@code slurm.json}, the {@code exit-code} marker. A
     * directory without {@code logs/} (an archive from elsewhere, a folder of logs) contributes every file that
     * is not plainly something else (JSON, YAML, scripts, archives, results/); a file named like an scontrol
     * dump there is taken as the Slurm record when there is no slurm.json.
     */
    public static JobEvidence ofDirectory(Path root) {
        JobDirectory dir = new JobDirectory(root);
        List<Path> candidates;
        boolean jobLayout = Files.isDirectory(dir.logs());
        candidates = regularFiles(jobLayout ? dir.logs() : dir.root()).stream()
                .filter(file -> jobLayout || isLogCandidate(dir.root().relativize(file)))
                .toList();
        SlurmRecord slurm = null;
        Path slurmJson = dir.root().resolve("slurm.json");
        if (Files.isRegularFile(slurmJson)) {
            try {
                slurm = SlurmRecord.fromSlurmJson("slurm.json", Files.readString(slurmJson, StandardCharsets.UTF_8));
            } catch (IOException e) {
                slurm = null; // a truncated record is no record; the logs still speak
            }
        }
        List<LogSource> logs = new ArrayList<>();
        for (Path file : candidates) {
            String name = slash(dir.root().relativize(file));
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).contains("scontrol")) {
                if (slurm == null) {
                    slurm = SlurmRecord.fromScontrol(name, read(file));
                }
                continue;
            }
            logs.add(new LogSource(file, name));
        }
        OptionalInt exit = dir.exitCode();
        return new JobEvidence(root.toString(), logs, slurm, exit.isPresent() ? exit.getAsInt() + ":0" : null, null,
                planFramework(dir.plan()));
    }

    /** One file given alone: a log, or a Slurm record ({@code slurm.json}, an scontrol text). */
    public static JobEvidence ofFile(Path file) {
        String fileName = file.getFileName().toString();
        if (fileName.equals("slurm.json")) {
            try {
                SlurmRecord record = SlurmRecord.fromSlurmJson(file.toString(), read(file));
                return new JobEvidence(file.toString(), List.of(), record, null, null);
            } catch (IOException e) {
                // not the tracker's JSON after all: read it as a log
            }
        }
        if (sizeOf(file) <= 64 * 1024) {
            String text = read(file);
            if (fileName.toLowerCase(Locale.ROOT).contains("scontrol") || SlurmRecord.looksLikeScontrol(text)) {
                return new JobEvidence(file.toString(), List.of(), SlurmRecord.fromScontrol(file.toString(), text),
                        null, null);
            }
        }
        return new JobEvidence(file.toString(), List.of(new LogSource(file, file.toString())), null, null, null);
    }

    /** "framework": "..." of the plan's first point; a regex, because a plan cut short still names it. */
    private static final Pattern PLAN_FRAMEWORK = Pattern.compile("\"framework\"\\s*:\\s*\"([^\"]+)\"");

    private static String planFramework(Path plan) {
        if (!Files.isRegularFile(plan)) {
            return null;
        }
        Matcher m = PLAN_FRAMEWORK.matcher(read(plan));
        return m.find() ? Frameworks.of(m.group(1)) : null;
    }

    private static boolean isLogCandidate(Path relative) {
        if (relative.getNameCount() > 1 && relative.getName(0).toString().equals(JobDirectory.RESULTS)) {
            return false;
        }
        String name = relative.getFileName().toString();
        if (NOT_LOGS.contains(name)) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return !NOT_LOG_EXTENSIONS.contains(extension);
    }

    /** Regular files under {@code dir}, symbolic links not followed (an archive's link must not lead out). */
    private static List<Path> regularFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String slash(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
