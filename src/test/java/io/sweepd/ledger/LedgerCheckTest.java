package io.sweepd.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LedgerCheck} on real H2 files: a whole ledger passes; one cut short, overwritten in the middle or replaced by
 * an older copy does not, whatever H2 itself makes of it (it opens a cut-short file on older data without a word).
 */
class LedgerCheckTest {

    @TempDir
    Path state;

    /** A ledger with runs of jobs and points, closed, its witness written. */
    private void ledgerWithRuns(int runs) {
        try (Ledger ledger = Ledger.embedded(state)) {
            for (int r = 0; r < runs; r++) {
                String runId = "nightly-2026120" + (r % 9 + 1) + "-12000" + r % 10 + "-" + r;
                List<JobRecord> jobs = new ArrayList<>();
                List<PointRecord> points = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    jobs.add(JobRecord.planned(runId, "job-" + i, "local", state.resolve(runId).toString(), 60, 120,
                            600));
                    points.add(PointRecord.of(runId, "job-" + i + "-c4", "job-" + i, "{\"pad\":\"" + "y".repeat(800)
                            + "\"}", null));
                }
                ledger.runs().recordRun(RunRecord.planned(runId, "nightly", "s.yaml", state.toString(), null, "{}"),
                        jobs, points);
                for (int i = 0; i < 30; i += 3) {
                    ledger.jobs().beginSubmit(runId, "job-" + i, "sweepd-job-" + i);
                    ledger.jobs().submitted(runId, "job-" + i, String.valueOf(1000 + i));
                }
            }
            ledger.witnessOnClose(LedgerWitness.file(state));
        }
    }

    private Path file() {
        return LedgerBackups.ledgerFile(state);
    }

    private static List<String> problemsOf(Path stateDir) {
        Path file = LedgerBackups.ledgerFile(stateDir);
        Optional<String> header = LedgerCheck.headerProblem(file).or(() -> LedgerCheck.openProblem(file));
        if (header.isPresent()) {
            return List.of(header.get());
        }
        try (Ledger ledger = Ledger.embedded(stateDir)) {
            return LedgerCheck.verify(ledger, LedgerCheck.Depth.QUICK,
                    LedgerWitness.read(LedgerWitness.file(stateDir))).problems();
        } catch (RuntimeException e) {
            return List.of("cannot be opened: " + e);
        }
    }

    /** The check as the daemon's start runs it: the header first, then open and read. */
    private List<String> problems(LedgerCheck.Depth depth) {
        Optional<String> header = LedgerCheck.headerProblem(file()).or(() -> LedgerCheck.openProblem(file()));
        if (header.isPresent()) {
            return List.of(header.get());
        }
        try (Ledger ledger = Ledger.embedded(state)) {
            return LedgerCheck.verify(ledger, depth, LedgerWitness.read(LedgerWitness.file(state))).problems();
        } catch (RuntimeException e) {
            return List.of("cannot be opened: " + e);
        }
    }

    @Test
    void aWholeLedgerPassesBothChecks() {
        ledgerWithRuns(5);

        assertThat(problems(LedgerCheck.Depth.QUICK)).isEmpty();
        try (Ledger ledger = Ledger.embedded(state)) {
            LedgerCheck.Result full = LedgerCheck.verify(ledger, LedgerCheck.Depth.FULL, Optional.empty());
            assertThat(full.ok()).isTrue();
            assertThat(full.rows()).containsEntry("jobs", 150L).containsEntry("points", 150L)
                    .containsEntry("sweep_runs", 5L);
        }
    }

    /**
     * A file H2 has open (or a crash left) has no block field in its header: H2 writes it on a clean close only. That
     * is the ledger of every running daemon and of every daemon killed with kill -9, never damage.
     */
    @Test
    void aFileStillOpenHasNoChunkInItsHeaderAndThatIsNoProblem() throws IOException {
        ledgerWithRuns(2);
        try (Ledger ledger = Ledger.embedded(state)) {
            ledger.runs().runs(); // written by this open: the header H2 rewrote names no chunk until it closes
            String header = new String(Files.readAllBytes(file()), 0, 200, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!header.contains("block:")) {
                assertThat(LedgerCheck.headerProblem(file())).isEmpty();
            }
        }
        String closed = new String(Files.readAllBytes(file()), 0, 200, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(closed).as("closed cleanly, the header names its newest chunk").contains("block:");
        byte[] openHeader = "H:2,blockSize:1000,created:1a23b0640b7,format:3,fletcher:61079318\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(openHeader), 0);
        }
        assertThat(LedgerCheck.headerProblem(file())).as("a header as a killed daemon leaves it").isEmpty();
    }

    @Test
    void aFileCutShortBeforeTheChunkItsHeaderNamesIsDetectedBeforeH2OpensItOnOlderData() throws IOException {
        ledgerWithRuns(5);
        String header = new String(Files.readAllBytes(file()), 0, 200, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("block:([0-9a-f]+)").matcher(header);
        assertThat(block.find()).isTrue();
        long chunkStart = Long.parseLong(block.group(1), 16) * 4096;
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(chunkStart);
        }

        assertThat(LedgerCheck.headerProblem(file())).get().asString().contains("cut short")
                .contains("shorter than its H2 header says");
    }

    @Test
    void aFileCutShortAnywhereIsRefusedOrStillHoldsEverything() throws IOException {
        ledgerWithRuns(5);
        LedgerWitness before = LedgerWitness.read(LedgerWitness.file(state)).orElseThrow();
        for (int cut = 2; cut <= 8; cut++) {
            Path copy = state.resolve("copy-" + cut);
            Files.createDirectories(copy);
            Files.copy(file(), LedgerBackups.ledgerFile(copy));
            Files.copy(LedgerWitness.file(state), LedgerWitness.file(copy));
            try (FileChannel channel = FileChannel.open(LedgerBackups.ledgerFile(copy), StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() * (cut - 1) / cut);
            }
            List<String> problems = problemsOf(copy);
            if (problems.isEmpty()) {
                // H2 may find every live page before the cut (it reuses free space): then nothing was lost.
                try (Ledger ledger = Ledger.embedded(copy)) {
                    assertThat(LedgerWitness.of(ledger)).as("cut at %d/%d", cut - 1, cut).isEqualTo(before);
                }
            }
        }
    }

    @Test
    void aFileOverwrittenInTheMiddleFailsTheFullCheck() throws IOException {
        ledgerWithRuns(8);
        long size = Files.size(file());
        byte[] garbage = new byte[(int) (size / 2)];
        new Random(42).nextBytes(garbage);
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(garbage), size / 4);
        }

        assertThat(problems(LedgerCheck.Depth.FULL)).isNotEmpty();
    }

    @Test
    void aLedgerHoldingLessThanItsWitnessLostWrites() throws IOException {
        ledgerWithRuns(1);
        Path older = Files.copy(file(), state.resolve("older.mv.db"));
        ledgerWithRuns(3);
        Files.copy(older, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(problems(LedgerCheck.Depth.QUICK)).singleElement().asString().contains("lost its last writes");
    }

    @Test
    void aBackupTakenClosedIsAWholeLedgerAndOnlyTheNewestAreKept() {
        ledgerWithRuns(2);
        LedgerBackups backups = new LedgerBackups(state, Clock.systemUTC());

        for (int i = 0; i < 4; i++) {
            assertThat(backups.copyClosed("start", 3)).isPresent();
        }

        assertThat(backups.list()).hasSize(3);
        assertThat(LedgerCheck.headerProblem(backups.list().get(0))).isEmpty();
        assertThat(backups.list().get(0).getFileName().toString()).startsWith("ledger-").endsWith("-start.mv.db");
    }
}
