package io.sweepd.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

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

    public static WrittenReport write(ReportInput input, Path dir) throws IOException {
        ReportModel model = ReportModel.of(input);
        // Render everything before touching the directory, so a rendering bug leaves the last report whole.
        String md = MarkdownReport.render(model);
        String csv = CsvReport.render(model);
        String json = JsonReport.render(model);
        String html = HtmlReport.render(model);

        Files.createDirectories(dir);
        return new WrittenReport(
                replace(dir.resolve(MARKDOWN), md),
                replace(dir.resolve(CSV), csv),
                replace(dir.resolve(JSON), json),
                replace(dir.resolve(HTML), html));
    }

    private static Path replace(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            readableByAll(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notOnThisFileSystem) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Temp files start owner-only; a report is for whoever can see the run directory (a web server, colleagues). */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
