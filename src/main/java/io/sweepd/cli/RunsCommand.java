package io.sweepd.cli;

import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.ledger.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.sweepd.cli.Listing.column;
import static io.sweepd.cli.Listing.jsonOnly;

/** {@code sweepd runs}: the runs in the ledger, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the runs in this home's ledger, newest first: sweep, state, configurations (matrix "
                + "entries, refused ones included), jobs (Slurm allocations), points (configurations x their "
                + "concurrencies), when it started and ended, and its report. Reads the ledger only.")
final class RunsCommand implements Callable<Integer> {

    private static final List<Listing.Field> FIELDS = List.of(column("run"), column("sweep"), column("state"),
            column("configurations"), column("refused"), column("jobs"), column("jobs-ended"), column("points"),
            column("started"), column("ended"), column("report", 70), jsonOnly("started-at"), jsonOnly("ended-at"),
            jsonOnly("jobs-by-state"), jsonOnly("source-file"));

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Listing.Format format;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N",
            description = "The newest N runs; 0 for all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 0 (all) or more");
        }
        SweepdSettings settings = parent.settings(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            List<RunRecord> runs = ledger.runs().runsNewestFirstWithoutPlan(limit);
            out.println(Listing.render(format, runs, FIELDS, run -> row(ledger, settings, run),
                    "no runs in " + SweepdCli.where(settings)));
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> row(Ledger ledger, SweepdSettings settings, RunRecord run) {
        RunStore.PointCounts counts = ledger.runs().pointCounts(run.runId());
        Map<JobState, Integer> jobs = ledger.jobs().countByState(run.runId());
        Map<String, Integer> byState = new LinkedHashMap<>();
        jobs.forEach((state, n) -> byState.put(state.name(), n));
        Path report = settings.reports().resolve(run.runId()).resolve("report.html");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", run.runId());
        row.put("sweep", run.sweepName());
        row.put("state", run.state().name().toLowerCase(java.util.Locale.ROOT));
        row.put("configurations", counts.points());
        row.put("refused", counts.refused());
        row.put("jobs", jobs.values().stream().mapToInt(Integer::intValue).sum());
        row.put("jobs-ended", jobs.entrySet().stream().filter(e -> e.getKey().terminal())
                .mapToInt(Map.Entry::getValue).sum());
        row.put("points", ledger.runs().counts(run.runId()).points());
        row.put("started", Listing.localTime(run.createdAt()));
        row.put("ended", Listing.localTime(run.finishedAt()));
        row.put("report", Files.isRegularFile(report) ? report.toString() : null);
        row.put("started-at", run.createdAt() == null ? null : run.createdAt().toString());
        row.put("ended-at", run.finishedAt() == null ? null : run.finishedAt().toString());
        row.put("jobs-by-state", byState);
        row.put("source-file", run.sourceFile());
        return row;
    }
}
