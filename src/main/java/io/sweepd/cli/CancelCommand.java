package io.sweepd.cli;

import io.sweepd.app.CommandRunnerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.jobs.JobCanceller;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.ControllerPing;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
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

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP|JOB")
    String target;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            SlurmClient slurm = new SlurmClient(CommandRunnerFactory.runner(settings), SlurmTimeouts.defaults());
            List<String> done = new JobCanceller(ledger, slurm)
                    .cancel(target, System.getProperty("user.name"));
            if (done.isEmpty()) {
                boolean known = ledger.runs().runNamed(target).isPresent()
                        || (target.matches("\\d+") && ledger.jobs().bySlurmJobId(target).isPresent());
                throw known ? new CliFailure(ExitCodes.NOTHING_TO_DO, "nothing to cancel: every job of " + target
                        + " already ended")
                        : new CliFailure(ExitCodes.NOT_FOUND, "no sweep, run or unfinished job named " + target);
            }
            done.forEach(out::println);
            out.flush();
            if (done.stream().anyMatch(line -> line.contains(JobCanceller.SCANCEL_FAILED))) {
                // Tell an unreachable Slurm (try again later) from a refusal by a Slurm that answers.
                ControllerPing ping = slurm.ping();
                if (ping.reach() != ControllerPing.Reach.UP) {
                    throw new CliFailure(ExitCodes.SLURM_UNAVAILABLE, "Slurm cannot be reached (" + ping.message()
                            + "); the jobs above marked failed are not cancelled");
                }
                throw new CliFailure(ExitCodes.ERROR, "scancel failed for the jobs above marked failed");
            }
            return ExitCodes.OK;
        }
    }
}
