package io.sweepd.sim;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated server logs in logs/: one file per worker ({@code prefill-0.log}, {@code decode-0.log},
 * {@code server-0.log} for aggregated), each line prefixed by the engine process that wrote it
 * ({@code [decode-3]}), as srt-slurm's logs are. Every line is flushed at once, so a job killed mid-way (or
 * hanging on purpose) leaves everything it said. Files are appended to: a second attempt in the same job
 * directory does not erase the first one's evidence. A lone server or client writes everything to its own output
 * instead, as the real processes do.
 */
final class EngineLog implements AutoCloseable {

    /** One engine process: its worker, its rank across the role, and the file it writes. */
    record Proc(SimRole role, int worker, int rank, PrintWriter out) {

        String prefix() {
            return "[" + role.label() + "-" + rank + "] ";
        }

        boolean firstOfWorker() {
            return rank % role.ranksPerWorker() == 0;
        }
    }

    private final Path dir;
    private final SimClock clock;
    private final PrintWriter console;
    private final Map<String, PrintWriter> files = new LinkedHashMap<>();

    /** srtctl's layout: a file per worker in {@code dir}. */
    EngineLog(Path dir, SimClock clock) throws IOException {
        this.dir = dir;
        this.clock = clock;
        this.console = null;
        Files.createDirectories(dir);
    }

    /** One process's output, as a lone server or client prints it (the harness redirects it into a log). */
    EngineLog(PrintWriter console, SimClock clock) {
        this.dir = null;
        this.clock = clock;
        this.console = console;
    }

    /** The role's processes, worker by worker; one log file per worker. */
    List<Proc> procs(SimRole role) {
        List<Proc> out = new ArrayList<>();
        for (int w = 0; w < role.workers(); w++) {
            PrintWriter file = file(role.label() + "-" + w + ".log");
            for (int r = 0; r < role.ranksPerWorker(); r++) {
                out.add(new Proc(role, w, w * role.ranksPerWorker() + r, file));
            }
        }
        return out;
    }

    PrintWriter file(String name) {
        if (console != null) {
            return console;
        }
        return files.computeIfAbsent(name, n -> {
            try {
                return new PrintWriter(Files.newBufferedWriter(dir.resolve(n), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve(n), e);
            }
        });
    }

    /** {@code [decode-0] INFO 04-24 19:02:11 [gpu_model_runner.py:2011] message}, vLLM's shape. */
    void info(Proc proc, String source, String message) {
        proc.out().println(proc.prefix() + "INFO " + clock.stamp() + " [" + source + "] " + message);
    }

    /** Lines as the process printed them (tracebacks, tqdm, uvicorn), with the process prefix only. */
    void raw(Proc proc, List<String> lines) {
        lines.forEach(line -> proc.out().println(proc.prefix() + line));
    }

    void raw(Proc proc, String line) {
        proc.out().println(proc.prefix() + line);
    }

    @Override
    public void close() {
        files.values().forEach(PrintWriter::close);
        if (console != null) {
            console.flush();
        }
    }
}
