package io.sweepd.cli;

import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sweepd schedules} against a real embedded ledger in a home directory. */
class SchedulesCommandTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    private void register() {
        try (Ledger ledger = Ledger.embedded(home.resolve("state"))) {
            ledger.schedules().register(ScheduleRecord.of("nightly", "0 0 2 * * ?", ScheduleSource.INBOX,
                    "/sweeps/nightly.yaml", "/sweeps", null, "sweep: {schedule: '0 0 2 * * ?'}\n"));
            ledger.schedules().fired("nightly", Instant.parse("2026-11-30T02:00:00Z"), "nightly-20261130-020000");
            ledger.schedules().skipped("nightly", Instant.parse("2026-12-01T02:00:00Z"),
                    "previous run nightly-20261130-020000 (1 of 3 jobs not ended) still active");
            ledger.schedules().register(ScheduleRecord.of("weekly", "0 0 3 ? * MON", ScheduleSource.FOLDER,
                    "/home/schedules/weekly.yaml", "/home/schedules", null, "sweep: {schedule: '0 0 3 ? * MON'}\n"));
        }
    }

    @Test
    void listsEachScheduleWithItsNextFiringLastRunAndLastSkip() {
        register();

        assertThat(run("schedules")).isZero();

        String table = out.toString();
        assertThat(table).contains("nightly").contains("0 0 2 * * ?").contains("nightly-20261130-020000")
                .contains("still active").contains("weekly").contains("folder: /home/schedules/weekly.yaml");
        // The next 2 a.m. in this machine's zone, as the daemon's Quartz scheduler reads the cron.
        assertThat(table).containsPattern("\\d{4}-\\d{2}-\\d{2} 02:00:00");
    }

    @Test
    void jsonNamesTheSameFields() {
        register();
        assertThat(run("schedules", "--format", "json")).isZero();
        assertThat(out.toString()).contains("\"name\" : \"nightly\"").contains("\"next-firing\"")
                .contains("\"last-run\" : \"nightly-20261130-020000\"").contains("\"last-skip-reason\"");
    }

    @Test
    void removeTakesAnInboxScheduleButSendsAFolderOneToItsFile() {
        register();

        assertThat(run("schedules", "--remove", "weekly")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("delete that file");
        assertThat(run("schedules", "--remove", "nightly")).isZero();
        assertThat(run("schedules", "--remove", "nope")).isEqualTo(ExitCodes.NOT_FOUND);

        try (Ledger ledger = Ledger.embedded(home.resolve("state"))) {
            assertThat(ledger.schedules().schedules()).extracting(ScheduleRecord::name).containsExactly("weekly");
        }
    }

    @Test
    void noSchedulesSaysHowToMakeOne() {
        Ledger.embedded(home.resolve("state")).close(); // a home the daemon has run in, with nothing scheduled

        assertThat(run("schedules")).isZero();
        assertThat(out.toString()).contains("no schedules");
    }

    @Test
    void aHomeWithoutALedgerIsNamedAndLeftAsItWas() {
        assertThat(run("schedules")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString()).contains("no ledger in home " + home);
        assertThat(home.resolve("state")).doesNotExist();
    }
}
