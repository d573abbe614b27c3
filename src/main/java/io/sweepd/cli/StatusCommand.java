package io.sweepd.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.app.LedgerFactory;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.json.Json;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd status [SWEEP]}: every point's state, from the ledger (works while the daemon runs). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the state of every point of a sweep (its latest run) or run; all sweeps' latest runs "
                + "without an argument.")
final class StatusCommand implements Callable<Integer> {

    enum Format { table, json }

    @ParentCommand
    SweepdCli parent;

    @Parameters(paramLabel = "SWEEP", arity = "0..1", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Format format;

    @Override
    public Integer call() throws Exception {
        try (Ledger ledger = LedgerFactory.open(parent.settings(Map.of()))) {
            SweepStatus status = new SweepStatus(ledger, Clock.systemDefaultZone());
            List<RunRecord> runs;
            if (sweep == null) {
                runs = status.latestRuns();
            } else {
                Optional<RunRecord> run = SweepdCli.runNamed(ledger, sweep);
                if (run.isEmpty()) {
                    return 2;
                }
                runs = List.of(run.get());
            }
            List<SweepStatus.Row> rows = new ArrayList<>();
            runs.forEach(run -> rows.addAll(status.rows(run)));
            System.out.println(format == Format.json ? json(rows) : table(rows));
            return 0;
        }
    }

    private static String json(List<SweepStatus.Row> rows) throws Exception {
        List<Map<String, Object>> out = rows.stream().map(row -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sweep", row.sweep());
            m.put("point", row.point());
            m.put("job-key", row.jobKey());
            m.put("slurm-job-id", row.slurmJobId());
            m.put("state", row.state());
            m.put("reason", row.reason());
            m.put("elapsed-s", row.elapsedSeconds());
            return m;
        }).toList();
        return Json.PRETTY.writeValueAsString(out);
    }

    private static String table(List<SweepStatus.Row> rows) {
        if (rows.isEmpty()) {
            return "no sweeps yet";
        }
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, rows, List.of(
                new Column().header("sweep").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::sweep),
                new Column().header("point").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::point),
                new Column().header("slurm").with(r -> r.slurmJobId() == null ? "-" : r.slurmJobId()),
                new Column().header("state").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::state),
                new Column().header("elapsed").with(r -> r.elapsedSeconds() == null ? "-" : r.elapsedSeconds() + " s"),
                new Column().header("reason").dataAlign(HorizontalAlign.LEFT).maxWidth(80)
                        .with(r -> r.reason() == null ? "" : r.reason())));
    }
}
