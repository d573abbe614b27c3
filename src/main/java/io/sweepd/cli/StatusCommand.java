package io.sweepd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.InboxSweeps;
import io.sweepd.jobs.RunFollower;
import io.sweepd.jobs.StatusView;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.json.Json;
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
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sweepd status [SWEEP]}: one line per run, or every point; once or watched. From the ledger. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One summary line per run (newest first): state, progress, jobs by state, refused points, "
                + "age. With SWEEP, that run (a sweep name: its latest run). --points: every point's Slurm job, "
                + "state, reason and elapsed time. --watch: redraw until the run(s) finished; the exit status then "
                + "says how they ended (below). With --format json, --watch writes one JSON document per line.")
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
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            Clock clock = Clock.systemDefaultZone();
            SweepStatus status = new SweepStatus(ledger, clock);
            StatusView view = new StatusView(status, clock);
            StatusView.Selection selection;
            if (sweep == null) {
                selection = StatusView.Selection.newest(all ? 0 : limit);
            } else {
                RunRecord run = view.resolve(sweep).orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND,
                        "no sweep or run named " + sweep + " in " + SweepdCli.where(settings)));
                selection = StatusView.Selection.run(run.runId());
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
                return ExitCodes.OK;
            }
            RunFollower follower = new RunFollower(status, new InboxSweeps(settings.inbox()), clock,
                    pause -> Thread.sleep(pause.toMillis()), interval);
            RunFollower.Frame last;
            if (format == Format.json) {
                // JSON Lines: one compact document per drawing, so a tool reads each line as it comes.
                String key = points ? "points" : "runs";
                last = follower.watchDrawings(() -> view.frame(selection, style), false, (stamp, frame) -> {
                    ObjectNode drawing = Json.MAPPER.createObjectNode().put("at", stamp);
                    drawing.set(key, readJson(frame.text()));
                    out.println(drawing.toString());
                    out.flush();
                });
            } else {
                // Redraw in place only for a person at a terminal: to a pipe, clearing codes would be noise.
                last = follower.watch(() -> view.frame(selection, style), Terminal.stdoutIsTerminal(), text -> {
                    out.println(text);
                    out.flush();
                });
            }
            if (!last.success()) {
                return ExitCodes.FAILED;
            }
            return shownRuns(status, selection).stream().anyMatch(run -> status.summary(run).refusedPoints() > 0)
                    ? ExitCodes.REFUSED : ExitCodes.OK;
        }
    }

    /** The runs a drawing of the selection shows (as StatusView picks them). */
    private static List<RunRecord> shownRuns(SweepStatus status, StatusView.Selection selection) {
        List<RunRecord> all = selection.runId() != null
                ? status.resolveRun(selection.runId()).stream().toList() : status.runsNewestFirst();
        return selection.limit() > 0 && all.size() > selection.limit() ? all.subList(0, selection.limit()) : all;
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
