package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final Map<Path, Long> offsets = new ConcurrentHashMap<>();
    private final Map<Path, Boolean> healthy = new ConcurrentHashMap<>();
    private final Map<Path, Boolean> logged = new ConcurrentHashMap<>();

    /** Whether the workload wrote anything beyond sweepd's own first line. */
    boolean workloadLogged(JobDirectory dir) {
        if (logged.getOrDefault(dir.root(), false)) {
            return true;
        }
        scan(dir);
        return logged.getOrDefault(dir.root(), false);
    }

    boolean healthy(JobDirectory dir) {
        if (healthy.getOrDefault(dir.root(), false)) {
            return true;
        }
        scan(dir);
        return healthy.getOrDefault(dir.root(), false);
    }

    void forget(JobDirectory dir) {
        healthy.remove(dir.root());
        logged.remove(dir.root());
        offsets.keySet().removeIf(p -> p.startsWith(dir.root()));
    }

    private void scan(JobDirectory dir) {
        for (Path log : logFiles(dir.logs())) {
            String fresh = readNew(log);
            if (fresh.isEmpty()) {
                continue;
            }
            for (String line : fresh.split("\n")) {
                if (!line.isBlank() && !line.startsWith(OWN_PREFIX)) {
                    logged.put(dir.root(), true);
                }
                if (HEALTHY.matcher(line).find()) {
                    healthy.put(dir.root(), true);
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
    private String readNew(Path file) {
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
