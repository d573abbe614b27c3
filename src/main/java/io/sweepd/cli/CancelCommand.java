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

/** {@code sweepd cancel SWEEP|RUN [JOB|POINT|SLURM-ID]}, or {@code sweepd cancel SLURM-ID|JOB}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel every unfinished job of a sweep (its latest run) or run, or one job of it (job key, "
                + "point id or Slurm job id after the run). A cancel never reaches another run: a job key alone is "
                + "accepted only when a single run has it unfinished. Jobs not yet submitted never will be; a job "
                + "whose sbatch is running is cancelled as soon as sbatch answers; submitted ones get scancel, and "
                + "the daemon archives them as CANCELLED.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SWEEP|RUN|SLURM-ID|JOB")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "JOB|POINT|SLURM-ID",
            description = "Only this job of the run: its job key, one of its points' ids, or its Slurm job id.")
    String within;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            SlurmClient slurm = new SlurmClient(CommandRunnerFactory.runner(settings), SlurmTimeouts.defaults());
            List<String> done;
            try {
                done = new JobCanceller(ledger, slurm).cancel(target, within, System.getProperty("user.name"));
            } catch (JobCanceller.AmbiguousTarget e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage());
            }
            if (done.isEmpty()) {
                String named = within == null ? target : within + " of " + target;
                boolean knownRun = ledger.runs().runNamedWithoutPlan(target).isPresent();
                if (within != null && !knownRun) {
                    throw new CliFailure(ExitCodes.NOT_FOUND, "no sweep or run named " + target);
                }
                boolean known = (within == null && knownRun)
                        || (within != null && knownRun && ledger.jobs().jobs(ledger.runs().runNamedWithoutPlan(target)
                        .orElseThrow().runId()).stream().anyMatch(j -> j.jobKey().equals(within)
                        || within.equals(j.slurmJobId())))
                        || (within == null && target.matches("\\d+")
                        && ledger.jobs().bySlurmJobId(target).isPresent());
                throw known ? new CliFailure(ExitCodes.NOTHING_TO_DO, "nothing to cancel: every job of " + named
                        + " already ended")
                        : new CliFailure(ExitCodes.NOT_FOUND, "no sweep, run or unfinished job named " + named);
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
