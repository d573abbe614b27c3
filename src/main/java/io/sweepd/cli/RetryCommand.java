package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobRetries;
import io.sweepd.jobs.SuggestedFix;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.triage.TriageResult;
import io.sweepd.triage.TriageFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd retry SWEEP [--failed|--point ID] [--apply-suggested]}. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Plan chosen jobs of a sweep's latest run (or a run) again; the running daemon submits them. "
                + "Earlier attempts' logs and archives move to attempts/; completed points are never rerun.")
final class RetryCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @ArgGroup(exclusive = true)
    Selection selection;

    static final class Selection {
        @Option(names = "--failed", description = "Every job that ended without success (the default).")
        boolean failed;

        @Option(names = "--point", paramLabel = "ID", description = "The job of this point only.")
        String point;
    }

    @Option(names = "--apply-suggested",
            description = "Add the workaround triage suggested for each failure to its configuration first.")
    boolean applySuggested;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        ProfileCatalog profiles = PlannerFactory.profiles(settings);
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            RunRecord run = SweepdCli.runNamed(ledger, sweep);
            List<JobRecord> chosen = choose(ledger, run);
            JobRetries retries = new JobRetries(ledger.jobs());
            SuggestedFix fixes = new SuggestedFix(PlannerFactory.workarounds(settings));
            int retried = 0;
            for (JobRecord job : chosen) {
                String reason = "retry requested by " + System.getProperty("user.name");
                String addedRule = null;
                if (applySuggested) {
                    Optional<String> added = addSuggested(job, fixes, profiles);
                    if (added.isEmpty()) {
                        continue;
                    }
                    reason = added.get();
                    addedRule = suggestedRule(job);
                }
                if (retries.retry(job, reason, false, addedRule)) {
                    out.println(job.jobKey() + ": planned again (" + reason + ")");
                    retried++;
                }
            }
            out.flush();
            if (retried == 0) {
                throw new CliFailure(ExitCodes.NOTHING_TO_DO, "no job of " + run.runId() + " planned again");
            }
            return ExitCodes.OK;
        }
    }

    /** The jobs to retry; a {@link CliFailure} saying why when there are none. */
    private List<JobRecord> choose(Ledger ledger, RunRecord run) {
        List<JobRecord> jobs = ledger.jobs().jobs(run.runId());
        if (selection != null && selection.point != null) {
            Optional<PointRecord> point = ledger.runs().points(run.runId()).stream()
                    .filter(p -> p.pointId().equals(selection.point)).findFirst();
            if (point.isEmpty()) {
                throw new CliFailure(ExitCodes.NOT_FOUND, "no point " + selection.point + " in " + run.runId());
            }
            Optional<JobRecord> job = jobs.stream().filter(j -> j.jobKey().equals(point.get().jobKey())).findFirst();
            if (job.isEmpty() || !retryable(job.get())) {
                throw new CliFailure(ExitCodes.NOTHING_TO_DO, selection.point + ": " + job.map(j -> "its job is "
                        + j.state() + "; only a job that ended without success is rerun")
                        .orElse("refused points have no job"));
            }
            return List.of(job.get());
        }
        List<JobRecord> failed = new ArrayList<>(jobs.stream().filter(RetryCommand::retryable).toList());
        if (failed.isEmpty()) {
            throw new CliFailure(ExitCodes.NOTHING_TO_DO, "no failed job in " + run.runId()
                    + "; completed points are never rerun");
        }
        return failed;
    }

    private static boolean retryable(JobRecord job) {
        return job.state().terminal() && job.state() != JobState.COMPLETED && !job.reused();
    }

    /** The rule triage suggested for the job's failure (what {@link #addSuggested} added), on record with the retry. */
    private static String suggestedRule(JobRecord job) {
        return TriageFile.read(new JobDirectory(Path.of(job.jobDir()))).map(TriageResult::suggestedWorkaround)
                .orElse(null);
    }

    private Optional<String> addSuggested(JobRecord job, SuggestedFix fixes, ProfileCatalog profiles) {
        PrintWriter err = spec.commandLine().getErr();
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        Optional<TriageResult> triage = TriageFile.read(dir);
        String rule = triage.map(TriageResult::suggestedWorkaround).orElse(null);
        if (rule == null) {
            err.println("sweepd retry: " + job.jobKey() + ": triage suggests no workaround"
                    + triage.map(t -> " (" + t.diagnosis() + ")").orElse(" (not triaged)") + "; not retried");
            return Optional.empty();
        }
        ClusterProfile profile = profiles.byName(job.profile()).orElseThrow();
        SuggestedFix.Outcome outcome = fixes.apply(dir, rule, profile);
        if (!outcome.applied()) {
            err.println("sweepd retry: " + job.jobKey() + ": " + outcome.problem() + "; not retried");
            return Optional.empty();
        }
        return Optional.of("retry with workaround " + rule + " added by triage: " + String.join("; ", outcome.changes()));
    }
}
