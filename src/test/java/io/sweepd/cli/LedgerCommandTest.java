package io.sweepd.cli;

import io.sweepd.app.DaemonLock;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.LedgerWitness;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd ledger check|backup|restore} and what every command does with a damaged embedded ledger, on real H2
 * files in a temporary home.
 */
class LedgerCommandTest {

    @TempDir
    Path home;

    private Path state;
    private Path config;

    @BeforeEach
    void home() throws IOException {
        state = home.resolve("state");
        // A slurm.conf no Slurm command can use: no real cluster is touched.
        Path unusableSlurmConf = Files.writeString(home.resolve("slurm.conf"), "not a slurm configuration = =\n");
        config = Files.writeString(home.resolve("sweepd.properties"), "sweepd.slurm.conf=" + unusableSlurmConf
                + "\n");
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran sweepd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--config", config.toString()));
        all.addAll(List.of(args));
        return new Ran(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    /** Records a run of {@code jobs} planned jobs with a point each, through the ledger a command would open. */
    private void record(String runId, int jobs) throws IOException {
        try (Ledger ledger = Ledger.embedded(state)) {
            List<JobRecord> rows = new ArrayList<>();
            List<PointRecord> points = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String key = "job-" + i;
                Path dir = Files.createDirectories(home.resolve("outputs").resolve(runId).resolve(key));
                rows.add(JobRecord.planned(runId, key, "local", dir.toString(), 60, 120, 600));
                points.add(PointRecord.of(runId, key + "-c4", key, "{\"conc\":4,\"pad\":\"" + "x".repeat(400)
                        + "\"}", null));
            }
            ledger.runs().recordRun(RunRecord.planned(runId, runId.substring(0, runId.indexOf('-')), "s.yaml",
                    home.toString(), null, "{}"), rows, points);
            // Closed through a command's ledger, so the witness is written as a command or the daemon would.
            ledger.witnessOnClose(LedgerWitness.file(state));
        }
    }

    @Test
    void aBackupRestoredBringsTheLedgerBackAndTheNextCommandsAcceptIt() throws IOException {
        record("nightly-20261202-120000", 3);
        Ran backup = sweepd("ledger", "backup");
        assertThat(backup.exit()).as(backup.err()).isZero();
        Path taken = Path.of(backup.out().strip());
        assertThat(taken).exists().hasParent(LedgerBackups.dir(state));
        record("weekly-20261203-120000", 2);
        assertThat(sweepd("status").out()).contains("weekly-20261203-120000");

        Ran restore = sweepd("ledger", "restore", taken.toString());

        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("restored").contains("the file it replaced is kept as");
        Ran status = sweepd("status");
        assertThat(status.err()).isEmpty();
        assertThat(status.out()).contains("nightly-20261202-120000").doesNotContain("weekly-20261203-120000");
        Ran check = sweepd("ledger", "check");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).contains(": ok").contains("jobs: 3 rows");
        assertThat(sweepd("ledger", "backup", "--list").out().lines()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void restoreRefusesWhileADaemonHoldsTheHome() throws IOException {
        record("nightly-20261202-120000", 1);
        Path backup = Path.of(sweepd("ledger", "backup").out().strip());

        Ran restore;
        try (DaemonLock held = DaemonLock.tryAcquire(state, Clock.systemUTC()).orElseThrow()) {
            restore = sweepd("ledger", "restore", backup.toString());
        }

        assertThat(restore.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(restore.err()).contains("a daemon holds this home").contains("stop it first").hasLineCount(1);
    }

    /** Where H2's header says the newest chunk starts: block times blockSize, both hexadecimal. */
    private static long newestChunkStart(Path h2File) throws IOException {
        String header;
        try (var in = Files.newInputStream(h2File)) {
            header = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("block:([0-9a-f]+),blockSize:([0-9a-f]+)")
                .matcher(header);
        assertThat(block.find()).as("a closed ledger's header names its newest chunk: " + header).isTrue();
        return Long.parseLong(block.group(1), 16) * Long.parseLong(block.group(2), 16);
    }

    @Test
    void aLedgerCutShortIsRefusedByEveryCommandInOneLineNamingTheFileAndTheRecovery() throws IOException {
        record("nightly-20261202-120000", 40);
        Path backup = Path.of(sweepd("ledger", "backup").out().strip());
        Path file = LedgerBackups.ledgerFile(state);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // Before the newest chunk, wherever H2 wrote it (a command's close leaves it where free space was).
            channel.truncate(Math.min(channel.size() / 3, newestChunkStart(file)));
        }

        Ran status = sweepd("status");
        Ran check = sweepd("ledger", "check");

        assertThat(status.exit()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(status.err()).hasLineCount(1).contains(file.toString()).contains("cut short")
                .contains("sweepd ledger restore").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(check.exit()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(check.err()).hasLineCount(1).contains("cut short");

        assertThat(sweepd("ledger", "restore", backup.toString()).exit()).isZero();
        assertThat(sweepd("status").out()).contains("nightly-20261202-120000");
    }

    @Test
    void aLedgerReplacedByAnOlderCopyIsRefusedAsHavingLostWrites() throws IOException {
        record("nightly-20261202-120000", 2);
        Path older = Files.copy(LedgerBackups.ledgerFile(state), home.resolve("older.mv.db"));
        record("weekly-20261203-120000", 2);
        Files.copy(older, LedgerBackups.ledgerFile(state), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Ran status = sweepd("status");

        assertThat(status.exit()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(status.err()).hasLineCount(1).contains("lost its last writes").contains("1 runs")
                .contains("2 runs");
    }
}
