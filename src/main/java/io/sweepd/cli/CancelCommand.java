package io.sweepd.cli;

import io.sweepd.app.CommandRunnerFactory;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.JobCanceller;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sweepd cancel SWEEP|JOB}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel every unfinished job of a sweep (its latest run) or run, or one job (job key or "
                + "Slurm job id). Jobs not yet submitted never will be; submitted ones get scancel, and the "
                + "daemon archives them as CANCELLED.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Parameters(paramLabel = "SWEEP|JOB")
    String target;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        try (Ledger ledger = LedgerFactory.open(settings)) {
            SlurmClient slurm = new SlurmClient(CommandRunnerFactory.runner(settings), SlurmTimeouts.defaults());
            List<String> done = new JobCanceller(ledger, slurm)
                    .cancel(target, System.getProperty("user.name"));
            if (done.isEmpty()) {
                System.err.println("nothing to cancel for " + target);
                return 2;
            }
            done.forEach(System.out::println);
            return 0;
        }
    }
}
