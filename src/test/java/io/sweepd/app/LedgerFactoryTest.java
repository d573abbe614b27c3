package io.sweepd.app;

import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.LedgerDamaged;
import io.sweepd.ledger.LedgerWitness;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daemon's ledger at start: checked, backed up before migrations, and refused when damaged. */
class LedgerFactoryTest {

    @TempDir
    Path home;

    private SweepdSettings settings() {
        return SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString()));
    }

    private void recordARun(SweepdSettings settings) {
        try (Ledger ledger = LedgerFactory.openForDaemon(settings)) {
            String run = "nightly-20261202-120000";
            ledger.runs().recordRun(RunRecord.planned(run, "nightly", "s.yaml", home.toString(), null, "{}"),
                    List.of(JobRecord.planned(run, "job-a", "local", home.resolve("a").toString(), 60, 120, 600)),
                    List.of(PointRecord.of(run, "job-a-c4", "job-a", "{\"pad\":\"" + "z".repeat(5000) + "\"}",
                            null)));
        }
    }

    @Test
    void theDaemonsStartBacksTheClosedFileUpAndWritesTheWitness() {
        SweepdSettings settings = settings();
        recordARun(settings);
        assertThat(new LedgerBackups(settings.state(), Clock.systemUTC()).list()).as("no file before the first start")
                .isEmpty();
        assertThat(LedgerWitness.read(LedgerWitness.file(settings.state()))).get()
                .satisfies(w -> assertThat(w.runs()).isEqualTo(1));

        try (Ledger ledger = LedgerFactory.openForDaemon(settings)) {
            assertThat(ledger.runs().runNamed("nightly")).isPresent();
        }

        List<Path> backups = new LedgerBackups(settings.state(), Clock.systemUTC()).list();
        assertThat(backups).singleElement().satisfies(b -> assertThat(Files.size(b)).isPositive());
    }

    @Test
    void aDamagedLedgerStopsTheDaemonsStartNamingTheFileAndTheRecoveryAndChangesNothing() throws IOException {
        SweepdSettings settings = settings();
        recordARun(settings);
        recordARun(settings); // a second start: one backup now
        Path file = LedgerBackups.ledgerFile(settings.state());
        long size = Files.size(file);
        byte[] garbage = new byte[(int) (size / 2)];
        new Random(7).nextBytes(garbage);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(garbage), size / 4);
        }
        byte[] damaged = Files.readAllBytes(file);
        List<Path> before = new LedgerBackups(settings.state(), Clock.systemUTC()).list();

        assertThatThrownBy(() -> LedgerFactory.openForDaemon(settings)).isInstanceOf(LedgerDamaged.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("sweepd ledger restore "
                        + before.get(0));

        assertThat(Files.readAllBytes(file)).as("nothing written to the damaged file").isEqualTo(damaged);
        assertThat(new LedgerBackups(settings.state(), Clock.systemUTC()).list()).as("no backup of a damaged file")
                .isEqualTo(before);
        StartupChecks checks = new StartupChecks(settings, Map.of());
        assertThatThrownBy(() -> checks.ledger(() -> LedgerFactory.openForDaemon(settings)))
                .isInstanceOf(StartupCheckFailed.class).hasMessageStartingWith("the ledger " + file + " is damaged");

        // A command's open (no read-only open first: its one connection fails at once, and writes nothing either).
        assertThatThrownBy(() -> LedgerFactory.open(settings)).isInstanceOf(LedgerDamaged.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("H2 cannot open it")
                .hasMessageContaining("sweepd ledger restore " + before.get(0));
        assertThat(Files.readAllBytes(file)).as("nothing written to the damaged file").isEqualTo(damaged);
    }
}
