package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a running job's logs say about its progress, for the deadlines: has the workload logged anything yet,
 * and has a server said it is ready. Logs are read incrementally (only bytes not read before), since a poll
 * cycle runs every few seconds over logs that can reach gigabytes.
 */
final class JobLogs {

    /** Lines the engines and orchestrators print once a server answers requests. */
    static final Pattern HEALTHY = Pattern.compile(
            "Application startup complete"          // vLLM / uvicorn
            + "|The server is fired up and ready to roll" // SGLang
            + "|[Hh]ealth check passed"               // srt-slurm's orchestrator
            + "|server is healthy");

    /** sweepd's own preamble in the Slurm output file: not a sign of the workload. */
    private static final String OWN_PREFIX = "sweepd:";
    private static final int MAX_READ_PER_FILE = 8 << 20;

    /**
     * How many jobs' reading positions one reader keeps, well above the jobs a daemon tracks at once. A caller that
     * never says a job ended (the status page, {@link JobPhases}, forgets a job only when it shows it settled) would
     * otherwise grow this for the daemon's whole life; beyond the limit the job read least recently is forgotten and,
     * should it be asked about again, read from its start: the same answers, more reading.
     */
    static final int MAX_JOBS = 4096;

    /** What was read of one job's logs so far; its answers only ever turn true. */
    private static final class Progress {
        final Map<Path, Long> offsets = new ConcurrentHashMap<>();
        volatile boolean logged;
        volatile boolean healthy;
    }

    private final Map<Path, Progress> jobs;

    JobLogs() {
        this(MAX_JOBS);
    }

    JobLogs(int maxJobs) {
        this.jobs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, Progress> eldest) {
                return size() > maxJobs;
            }
        });
    }

    /** Whether the workload wrote anything beyond sweepd's own first line. */
    boolean workloadLogged(JobDirectory dir) {
        Progress progress = progress(dir);
        if (!progress.logged) {
            scan(dir, progress);
        }
        return progress.logged;
    }

    boolean healthy(JobDirectory dir) {
        Progress progress = progress(dir);
        if (!progress.healthy) {
            scan(dir, progress);
        }
        return progress.healthy;
    }

    void forget(JobDirectory dir) {
        jobs.remove(dir.root());
    }

    /** How many jobs this reader holds reading positions for. */
    int trackedJobs() {
        return jobs.size();
    }

    private Progress progress(JobDirectory dir) {
        return jobs.computeIfAbsent(dir.root(), root -> new Progress());
    }

    private void scan(JobDirectory dir, Progress progress) {
        for (Path log : logFiles(dir.logs())) {
            String fresh = readNew(log, progress.offsets);
            if (fresh.isEmpty()) {
                continue;
            }
            for (String line : fresh.split("\n")) {
                if (!line.isBlank() && !line.startsWith(OWN_PREFIX)) {
                    progress.logged = true;
                }
                if (HEALTHY.matcher(line).find()) {
                    progress.healthy = true;
                }
            }
        }
    }

    private static List<Path> logFiles(Path logs) {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(logs)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The bytes appended since the last read, up to whole lines (a partial last line waits for the next cycle). */
    private static String readNew(Path file, Map<Path, Long> offsets) {
        long from = offsets.getOrDefault(file, 0L);
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= from) {
                return "";
            }
            int size = (int) Math.min(length - from, MAX_READ_PER_FILE);
            byte[] bytes = new byte[size];
            in.seek(from);
            in.readFully(bytes);
            int end = lastNewline(bytes);
            if (end < 0) {
                if (size < MAX_READ_PER_FILE) {
                    return ""; // a partial last line: wait for the rest
                }
                end = size - 1; // one line longer than a whole read (a progress bar redrawn with \r): take it
            }
            offsets.put(file, from + end + 1);
            return new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
