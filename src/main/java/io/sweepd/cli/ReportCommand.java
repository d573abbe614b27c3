package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.report.ReportWriter;
import io.sweepd.report.RunReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd report SWEEP [--baseline RUN]}: rebuild a run's report from the ledger. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate the report of a sweep (its latest run) or run from the ledger: report.md, .csv, "
                + ".json and a self-contained report.html with charts, under reports/<run-id>/.")
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @Option(names = "--baseline", paramLabel = "RUN",
            description = "Compare against this run (default: the previous finished run of the same sweep).")
    String baseline;

    @Option(names = "--tolerance", defaultValue = "0.05", paramLabel = "FRACTION",
            description = "Flag throughput/GPU or interactivity lower than the baseline by more than this "
                    + "(default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        ProfileCatalog profiles = PlannerFactory.profiles(settings);
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            // Without its plan: the report reads the run's points from the ledger, never the plan (16 MB of JSON
            // for 10,000 points).
            Optional<RunRecord> run = ledger.runs().runNamedWithoutPlan(sweep);
            if (run.isEmpty()) {
                throw new CliFailure(ExitCodes.NOT_FOUND, "no sweep or run named " + sweep + " in "
                        + SweepdCli.where(settings));
            }
            RunReports reports = new RunReports(ledger, settings.reports(),
                    profile -> profiles.byName(profile).map(p -> p.hardware().gpu()).orElse(null), tolerance,
                    Clock.systemDefaultZone(), Duration.ZERO, settings.fileModes());
            boolean finished = ledger.jobs().jobs(run.get().runId()).stream().allMatch(j -> j.state().terminal());
            ReportWriter.WrittenReport written = reports.write(run.get(), finished, Optional.ofNullable(baseline));
            PrintWriter out = spec.commandLine().getOut();
            out.println(written.html());
            out.println(written.markdown());
            out.flush();
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            // RunReports says so when the --baseline run does not exist.
            throw new CliFailure(ExitCodes.NOT_FOUND, e.getMessage());
        }
    }
}
