package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.results.PointResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesTheFourFilesIntoANewDirectoryAndLeavesNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("outputs/run-2/report");
        ReportWriter.WrittenReport written = ReportWriter.write(
                ReportInput.of("dsr1 h100 vs h200", "run-2", Points.WHEN, true, Points.realisticSweep("run-2", 1.0)), out);

        assertThat(written.markdown()).isEqualTo(out.resolve("report.md")).isRegularFile();
        assertThat(written.csv()).isEqualTo(out.resolve("report.csv")).isRegularFile();
        assertThat(written.json()).isEqualTo(out.resolve("report.json")).isRegularFile();
        assertThat(written.html()).isEqualTo(out.resolve("report.html")).isRegularFile();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.md", "report.csv", "report.json", "report.html");
        }
        // A report quotes recipes, logs and node names: owner-only, as everything sweepd creates.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.html()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
    }

    @Test
    void aGroupReadableHomeGetsReportsItsGroupCanRead() throws IOException {
        Path out = dir.resolve("reports/run-2");
        ReportWriter.WrittenReport written = ReportWriter.write(
                ReportInput.of("s", "run-2", Points.WHEN, true, Points.realisticSweep("run-2", 1.0)), out,
                new io.sweepd.files.FileModes(true));

        for (Path file : List.of(written.markdown(), written.csv(), written.json(), written.html())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-r-----");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwxr-x---");
    }

    @Test
    void rewritingReplacesTheInterimReportWithTheFinalOne() throws IOException {
        List<PointResult> points = Points.realisticSweep("run-2", 1.0);
        ReportWriter.write(ReportInput.of("s", "run-2", Points.WHEN, false, points.subList(0, 3)), dir);
        assertThat(Files.readString(dir.resolve("report.md"))).contains("Interim report");

        ReportWriter.write(ReportInput.of("s", "run-2", Points.WHEN, true, points), dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("Final report.").doesNotContain("Interim report");
        assertThat(Files.readAllLines(dir.resolve("report.csv"))).hasSize(points.size() + 1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(4);
        }
    }

    @Test
    void aReportOfNoPointsIsStillComplete() throws IOException {
        ReportWriter.write(ReportInput.of("empty", "run-0", Points.WHEN, true, List.of()), dir);

        assertThat(Files.readString(dir.resolve("report.md"))).contains("## Summary", "No points.");
        assertThat(Files.readAllLines(dir.resolve("report.csv"))).hasSize(1);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("nothing to draw");
    }
}
