package io.sweepd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.bench.SyntheticRun;
import io.sweepd.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sweepd report}: the latest run of a sweep (or a run id) reported from the ledger, against its baseline. */
class ReportCommandTest {

    @TempDir
    Path home;

    private final String url = InMemoryLedger.url();
    private Ledger ledger;
    private Path config;

    @BeforeEach
    void openLedger() throws Exception {
        ledger = Ledger.open(url, "sa", "", new MutableClock(Instant.parse("2026-11-01T00:00:00Z")));
        config = Files.writeString(home.resolve("sweepd.properties"),
                "sweepd.ledger.jdbc-url=" + url + "\nsweepd.ledger.user=sa\n");
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private int sweepd(String... args) {
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--config", config.toString()));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void aSweepsLatestRunIsReportedAgainstThePreviousFinishedRun() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
        Ledger timed = Ledger.open(url, "sa", "", clock);
        String runId;
        String baseline;
        try {
            SyntheticRun synthetic = new SyntheticRun(timed, clock, home.resolve("outputs"));
            synthetic.record("other", 8, 1, true);
            baseline = synthetic.record(SyntheticRun.SWEEP, 24, 2, true);
            runId = synthetic.record(SyntheticRun.SWEEP, 24, 3, true);
        } finally {
            timed.close();
        }

        assertThat(sweepd("report", SyntheticRun.SWEEP)).isZero();

        JsonNode report = new ObjectMapper().readTree(home.resolve("reports").resolve(runId).resolve("report.json")
                .toFile());
        assertThat(report.path("run_id").asText()).isEqualTo(runId);
        assertThat(report.path("final").asBoolean()).isTrue();
        assertThat(report.path("summary").path("total").asInt()).isEqualTo(24);
        assertThat(report.path("baseline").path("run_id").asText()).isEqualTo(baseline);
        assertThat(report.path("baseline").path("counts").path("matched").asInt()).isPositive();
        assertThat(home.resolve("reports").resolve(runId).resolve("report.html")).isRegularFile();

        assertThat(sweepd("report", "no-such-sweep")).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
