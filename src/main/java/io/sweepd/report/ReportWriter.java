package io.sweepd.report;

import io.sweepd.files.FileModes;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Writes a run's report: report.md, report.csv, report.json and a self-contained report.html. The daemon
 * rewrites them while a run goes on (interim) and once at its end (final); a reader, a web server or a sync
 * job may open them at any moment, so each file is written beside its target and renamed over it: a reader
 * sees the old file or the new one, never half of one.
 */
public final class ReportWriter {

    public static final String MARKDOWN = "report.md";
    public static final String CSV = "report.csv";
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";

    /** Where the four files went. */
    public record WrittenReport(Path markdown, Path csv, Path json, Path html) {
    }

    private ReportWriter() {
    }

    /** Owner-only, as sweepd creates everything unless {@code sweepd.files.group-readable}. */
    public static WrittenReport write(ReportInput input, Path dir) throws IOException {
        return write(input, dir, FileModes.OWNER_ONLY);
    }

    public static WrittenReport write(ReportInput input, Path dir, FileModes modes) throws IOException {
        ReportModel model = ReportModel.of(input);
        modes.createDirectories(dir);
        // Each file is streamed into a temp file beside it (never held whole in memory); only when all four are
        // rendered are they renamed over the old ones, so a rendering bug leaves the last report whole. The page and
        // the three text files are independent renderings of one model: rendered side by side, a large run's report
        // takes the time of the larger half: the page and the Markdown here, the JSON and the CSV beside it (a
        // 10,000-point report's JSON takes about as long as the page, the CSV about as long as the Markdown).
        Map<String, Path> rendered = new ConcurrentHashMap<>();
        CompletableFuture<Void> textFiles = CompletableFuture.runAsync(() -> {
            rendered.put(JSON, renderUnchecked(dir, JSON, modes, bytes -> JsonReport.write(model, bytes)));
            rendered.put(CSV, renderUnchecked(dir, CSV, modes, text(w -> CsvReport.write(model, w))));
        });
        try {
            rendered.put(HTML, render(dir, HTML, modes, text(w -> HtmlReport.write(model, w))));
            rendered.put(MARKDOWN, render(dir, MARKDOWN, modes, text(w -> MarkdownReport.write(model, w))));
            await(textFiles);
            for (String name : List.of(MARKDOWN, CSV, JSON, HTML)) {
                replace(rendered.get(name), dir.resolve(name));
            }
        } finally {
            textFiles.exceptionally(failure -> null).join(); // no renderer still writing when the temps go
            for (Path tmp : rendered.values()) {
                Files.deleteIfExists(tmp);
            }
        }
        return new WrittenReport(dir.resolve(MARKDOWN), dir.resolve(CSV), dir.resolve(JSON), dir.resolve(HTML));
    }

    /** A renderer of text, as one of bytes: UTF-8. */
    private static Consumer<OutputStream> text(Consumer<Writer> renderer) {
        return bytes -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
            renderer.accept(writer);
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Path renderUnchecked(Path dir, String name, FileModes modes, Consumer<OutputStream> renderer) {
        try {
            return render(dir, name, modes, renderer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a rendering and throws what it threw, as it threw it. */
    private static void await(CompletableFuture<Void> rendering) throws IOException {
        try {
            rendering.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static Path render(Path dir, String name, FileModes modes, Consumer<OutputStream> renderer)
            throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try (OutputStream bytes = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
            renderer.accept(bytes);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        FileModes.apply(tmp, modes.file());
        return tmp;
    }

    private static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException notOnThisFileSystem) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
