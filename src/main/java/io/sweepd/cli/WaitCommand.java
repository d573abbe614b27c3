package io.sweepd.cli;

import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.jobs.InboxSweeps;
import io.sweepd.jobs.RunFollower;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.ledger.Ledger;
import io.sweepd.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sweepd wait SWEEP}: follow a sweep's latest run until the daemon finished it, printing its progress as
 * it changes, then say where things are.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Follow a sweep (its latest run) or run until the daemon finished it (every job settled, the "
                + "final report written), printing a progress line when its jobs change state and a line per job "
                + "that ends; then print where its plan, results, failure archives and report are. A sweep just "
                + "submitted (still in the inbox) is waited for. The exit status says how the run ended (below).")
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Give up after this long (ISO-8601, e.g. PT10M). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--pickup-timeout", defaultValue = "PT2M", paramLabel = "DURATION",
            description = "How long a sweep file may stay in the inbox before wait concludes no daemon is reading "
                    + "it. Default: ${DEFAULT-VALUE}.")
    Duration pickupTimeout;

    @Option(names = "--interval", defaultValue = "PT2S", paramLabel = "DURATION", hidden = true,
            description = "How often the ledger is read.")
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
            // A person is waiting on a cluster here, not a test on a condition: a plain pause between readings.
            RunFollower follower = new RunFollower(new SweepStatus(ledger, clock), new InboxSweeps(settings.inbox()),
                    clock, pause -> Thread.sleep(pause.toMillis()), interval);
            RunFollower.Outcome outcome = follower.await(sweep, timeout, pickupTimeout, line -> {
                out.println(line);
                out.flush();
            });
            out.flush();
            switch (outcome.ending()) {
                case UNKNOWN -> throw new CliFailure(ExitCodes.NOT_FOUND, outcome.message() + "; looked in "
                        + SweepdCli.where(settings));
                case REFUSED -> throw new CliFailure(ExitCodes.BAD_INPUT, outcome.message());
                case TIMED_OUT, NOT_PICKED_UP -> throw new CliFailure(ExitCodes.UNFINISHED, outcome.message());
                case FINISHED -> {
                    whereThingsAre(settings, outcome.last(), out);
                    out.flush();
                    return exitCode(outcome.last());
                }
                default -> throw new IllegalStateException("unknown ending " + outcome.ending());
            }
        }
    }

    /** How a finished run ended: a job that did not complete outweighs refused points. */
    static int exitCode(SweepStatus.Snapshot run) {
        if (!run.allCompleted()) {
            return ExitCodes.FAILED;
        }
        return run.summary().refusedPoints() > 0 ? ExitCodes.REFUSED : ExitCodes.OK;
    }

    private static void whereThingsAre(SweepdSettings settings, SweepStatus.Snapshot run, PrintWriter out) {
        String runId = run.run().runId();
        Path runDir = settings.outputs().resolve(runId);
        out.println("run " + runId + " finished");
        out.println("  plan:    " + runDir.resolve("plan.txt"));
        out.println("  results: " + runDir + "/<job-key>/results/");
        run.jobs().stream().map(j -> Path.of(j.jobDir()).resolve(FailureArchiver.ARCHIVE)).filter(Files::exists)
                .forEach(archive -> out.println("  failure archive: " + archive));
        SweepStatus.RunSummary summary = run.summary();
        if (summary.refusedPoints() > 0) {
            out.println("  refused: " + summary.refusedPoints() + " of " + summary.points() + " points (sweepd status "
                    + runId + " --points says why)");
        }
        Path report = settings.reports().resolve(runId).resolve(ReportWriter.HTML);
        // Always named: a run whose points were all refused has no results, and its report says why.
        out.println("  report:  " + report + (Files.exists(report) ? "" : " (not written; sweepd report " + runId
                + " writes it)"));
    }
}
