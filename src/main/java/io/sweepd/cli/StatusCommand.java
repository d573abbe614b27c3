package io.sweepd.cli;

import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.InboxSweeps;
import io.sweepd.jobs.RunFollower;
import io.sweepd.jobs.StatusView;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd status [SWEEP]}: one line per run, or every point; once or watched. From the ledger. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One summary line per run (newest first): state, progress, jobs by state, refused points, "
                + "age. With SWEEP, that run (a sweep name: its latest run). --points: every point's Slurm job, "
                + "state, reason and elapsed time. --watch: redraw until the run(s) finished; exit 0 when every "
                + "job completed, 1 otherwise.")
final class StatusCommand implements Callable<Integer> {

    enum Format { table, json }

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", arity = "0..1", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Format format;

    @Option(names = "--points", description = "Every point (Slurm job id, state, reason, elapsed) instead of "
            + "one line per run.")
    boolean points;

    @Option(names = "--limit", defaultValue = "" + StatusView.DEFAULT_LIMIT, paramLabel = "N",
            description = "Without SWEEP: show the newest N runs. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--all", description = "Without SWEEP: show every run.")
    boolean all;

    @Option(names = "--watch", description = "Redraw every --interval until the run(s) finished (or Ctrl-C). "
            + "On a terminal the view is redrawn in place; to a pipe, written again only when it changed.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "PT2S", paramLabel = "DURATION",
            description = "How often --watch reads the ledger (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (interval.isNegative() || interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive");
        }
        SweepdSettings settings = parent.settings(Map.of());
        try (Ledger ledger = LedgerFactory.open(settings)) {
            Clock clock = Clock.systemDefaultZone();
            SweepStatus status = new SweepStatus(ledger, clock);
            StatusView view = new StatusView(status, clock);
            StatusView.Selection selection;
            if (sweep == null) {
                selection = StatusView.Selection.newest(all ? 0 : limit);
            } else {
                Optional<RunRecord> run = view.resolve(sweep);
                if (run.isEmpty()) {
                    spec.commandLine().getErr().println("no sweep or run named " + sweep + " in "
                            + SweepdCli.where(settings));
                    return 2;
                }
                selection = StatusView.Selection.run(run.get().runId());
            }
            StatusView.Style style = new StatusView.Style(points, format == Format.json, watch);
            if (!watch) {
                out.println(view.frame(selection, style).text());
                if (format == Format.table && !points) {
                    // The sweep's schedule (all of them without SWEEP): a skipped firing shows here too.
                    String named = sweep == null ? null : view.resolve(sweep).map(RunRecord::sweepName).orElse(null);
                    SchedulesCommand.statusLines(ledger.schedules().schedules().stream()
                                    .filter(s -> named == null || s.name().equals(named)).toList(), clock.instant(),
                            clock.getZone()).forEach(out::println);
                }
                out.flush();
                return 0;
            }
            RunFollower follower = new RunFollower(status, new InboxSweeps(settings.inbox()), clock,
                    pause -> Thread.sleep(pause.toMillis()), interval);
            // Redraw in place only for a person at a terminal; JSON is for tools, which want every drawing whole.
            boolean terminal = System.console() != null && format == Format.table;
            RunFollower.Frame last = follower.watch(() -> view.frame(selection, style), terminal, text -> {
                out.println(text);
                out.flush();
            });
            return last.success() ? 0 : 1;
        }
    }
}
