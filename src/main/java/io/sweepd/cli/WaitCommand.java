package io.sweepd.cli;

import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd wait SWEEP}: block until a sweep's latest run has no unfinished job, then say where things are. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Wait until every job of a sweep (its latest run) or run has ended; print where its results "
                + "and failure archives are. Exit 0 when every job completed, 1 otherwise.")
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Parameters(paramLabel = "SWEEP", description = "A sweep name (its latest run) or a run id.")
    String sweep;

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Give up after this long (ISO-8601, e.g. PT10M). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        SweepdSettings settings = parent.settings(Map.of());
        Instant deadline = Instant.now().plus(timeout);
        try (Ledger ledger = LedgerFactory.open(settings)) {
            Optional<RunRecord> run = ledger.runs().runNamed(sweep);
            while (run.isEmpty() || unfinished(ledger, run.get())) {
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("gave up waiting for " + sweep + " after " + timeout);
                    return 2;
                }
                Thread.sleep(2000); // a person is waiting on a cluster, not a test on a condition
                run = ledger.runs().runNamed(sweep);
            }
            List<JobRecord> jobs = ledger.jobs().jobs(run.get().runId());
            Path runDir = settings.outputs().resolve(run.get().runId());
            System.out.println("run " + run.get().runId() + " finished");
            System.out.println("  plan:    " + runDir.resolve("plan.txt"));
            System.out.println("  results: " + runDir + "/<job-key>/results/");
            jobs.stream().map(j -> Path.of(j.jobDir()).resolve(FailureArchiver.ARCHIVE)).filter(Files::exists)
                    .forEach(archive -> System.out.println("  failure archive: " + archive));
            Path report = settings.reports().resolve(run.get().runId()).resolve("report.html");
            if (Files.exists(report)) {
                System.out.println("  report:  " + report);
            }
            boolean allCompleted = jobs.stream().allMatch(j -> j.state().successful());
            return allCompleted ? 0 : 1;
        }
    }

    private static boolean unfinished(Ledger ledger, RunRecord run) {
        return ledger.jobs().jobs(run.runId()).stream().anyMatch(j -> !j.state().terminal());
    }
}
