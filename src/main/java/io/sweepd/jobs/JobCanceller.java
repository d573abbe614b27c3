package io.sweepd.jobs;

import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.slurm.SlurmClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cancels what a person names: a run (or a sweep's latest run), a job key, or a Slurm job id. A job not yet
 * submitted is marked CANCELLED and never submitted; the submitted ones get one scancel call for all of them, and the
 * tracker records the CANCELLED state Slurm reports for each and archives it like every other failure.
 */
public final class JobCanceller {

    /** Marks a line about a job scancel did not cancel (what follows in brackets is scancel's error). */
    public static final String SCANCEL_FAILED = " failed (";

    private final Ledger ledger;
    private final SlurmClient slurm;

    public JobCanceller(Ledger ledger, SlurmClient slurm) {
        this.ledger = ledger;
        this.slurm = slurm;
    }

    /**
     * Returns one line per job acted on. Every submitted job named is cancelled in one scancel call (scancel takes
     * many ids), not one call per job.
     */
    public List<String> cancel(String target, String who) {
        List<String> done = new ArrayList<>();
        Map<String, JobRecord> bySlurmId = new LinkedHashMap<>();
        for (JobRecord job : jobsNamedBy(target)) {
            if (job.state() == JobState.PLANNED) {
                if (ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PLANNED, JobState.CANCELLED,
                        "cancelled by " + who + " before submission", Map.of())) {
                    done.add(job.runId() + " " + job.jobKey() + ": cancelled before submission");
                }
            } else if (job.state().live() && job.slurmJobId() != null) {
                bySlurmId.put(job.slurmJobId(), job);
            }
        }
        if (bySlurmId.isEmpty()) {
            return done;
        }
        for (CommandResult call : slurm.cancel(bySlurmId.keySet())) {
            String failure = call.succeeded() ? "" : SCANCEL_FAILED + call.firstErrorLine() + ")";
            for (String id : call.spec().arguments()) {
                JobRecord job = bySlurmId.get(id);
                done.add(job.runId() + " " + job.jobKey() + ": scancel " + id + failure);
            }
        }
        return done;
    }

    private List<JobRecord> jobsNamedBy(String target) {
        Optional<RunRecord> run = ledger.runs().runNamed(target);
        if (run.isPresent()) {
            return ledger.jobs().jobs(run.get().runId());
        }
        Optional<JobRecord> bySlurmId = target.matches("\\d+") ? ledger.jobs().bySlurmJobId(target) : Optional.empty();
        if (bySlurmId.isPresent()) {
            return List.of(bySlurmId.get());
        }
        List<JobRecord> byKey = new ArrayList<>(ledger.jobs().liveJobs().stream()
                .filter(j -> j.jobKey().equals(target)).toList());
        byKey.addAll(ledger.jobs().jobsInState(JobState.PLANNED).stream()
                .filter(j -> j.jobKey().equals(target)).toList());
        return byKey;
    }
}
