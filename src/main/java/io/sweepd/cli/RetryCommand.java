package io.sweepd.cli;

import io.sweepd.app.LedgerFactory;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
        try (Ledger ledger = LedgerFactory.open(settings)) {
            Optional<RunRecord> run = SweepdCli.runNamed(ledger, sweep);
            if (run.isEmpty()) {
                return 2;
            }
            List<JobRecord> chosen = choose(ledger, run.get());
            if (chosen == null) {
                return 2;
            }
            JobRetries retries = new JobRetries(ledger.jobs());
            SuggestedFix fixes = new SuggestedFix(PlannerFactory.workarounds(settings));
            int retried = 0;
            for (JobRecord job : chosen) {
                String reason = "retry requested by " + System.getProperty("user.name");
                if (applySuggested) {
                    Optional<String> added = addSuggested(job, fixes, profiles);
                    if (added.isEmpty()) {
                        continue;
                    }
                    reason = added.get();
                }
                if (retries.retry(job, reason, false)) {
                    System.out.println(job.jobKey() + ": planned again (" + reason + ")");
                    retried++;
                }
            }
            return retried > 0 ? 0 : 1;
        }
    }

    /** The jobs to retry, or null after telling the user why there are none. */
    private List<JobRecord> choose(Ledger ledger, RunRecord run) {
        List<JobRecord> jobs = ledger.jobs().jobs(run.runId());
        if (selection != null && selection.point != null) {
            Optional<PointRecord> point = ledger.runs().points(run.runId()).stream()
                    .filter(p -> p.pointId().equals(selection.point)).findFirst();
            if (point.isEmpty()) {
                System.err.println("no point " + selection.point + " in " + run.runId());
                return null;
            }
            Optional<JobRecord> job = jobs.stream().filter(j -> j.jobKey().equals(point.get().jobKey())).findFirst();
            if (job.isEmpty() || !retryable(job.get())) {
                System.err.println(selection.point + ": " + job.map(j -> "its job is " + j.state()
                        + "; only a job that ended without success is rerun").orElse("refused points have no job"));
                return null;
            }
            return List.of(job.get());
        }
        List<JobRecord> failed = new ArrayList<>(jobs.stream().filter(RetryCommand::retryable).toList());
        if (failed.isEmpty()) {
            System.err.println("no failed job in " + run.runId() + "; completed points are never rerun");
            return null;
        }
        return failed;
    }

    private static boolean retryable(JobRecord job) {
        return job.state().terminal() && job.state() != JobState.COMPLETED && !job.reused();
    }

    private static Optional<String> addSuggested(JobRecord job, SuggestedFix fixes, ProfileCatalog profiles) {
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        Optional<TriageResult> triage = TriageFile.read(dir);
        String rule = triage.map(TriageResult::suggestedWorkaround).orElse(null);
        if (rule == null) {
            System.err.println(job.jobKey() + ": triage suggests no workaround"
                    + triage.map(t -> " (" + t.diagnosis() + ")").orElse(" (not triaged)") + "; not retried");
            return Optional.empty();
        }
        ClusterProfile profile = profiles.byName(job.profile()).orElseThrow();
        SuggestedFix.Outcome outcome = fixes.apply(dir, rule, profile);
        if (!outcome.applied()) {
            System.err.println(job.jobKey() + ": " + outcome.problem() + "; not retried");
            return Optional.empty();
        }
        return Optional.of("retry with workaround " + rule + " added by triage: " + String.join("; ", outcome.changes()));
    }
}
