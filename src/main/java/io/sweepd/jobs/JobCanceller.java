package io.sweepd.jobs;

import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.slurm.SlurmClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Cancels what a person names, always within one run: a run (or a sweep's latest run), optionally narrowed to one of
 * its jobs (job key, point id or Slurm job id), or a Slurm job id alone. A job key alone is accepted only when one run
 * has an unfinished job of that key: the same key is the same server configuration in every run of a sweep, and a
 * cancel meant for one run must never reach another's.
 *
 * <p>Every state is handled: a job not yet submitted is marked CANCELLED and never submitted; one whose sbatch is
 * running is marked cancel-requested and cancelled as soon as sbatch answers (or ends CANCELLED if Slurm never got
 * it); the submitted ones get one scancel call for all of them, and the tracker records the CANCELLED state Slurm
 * reports for each and archives it like every other failure.
 */
public final class JobCanceller {

    /** Marks a line about a job scancel did not cancel (what follows in brackets is scancel's error). */
    public static final String SCANCEL_FAILED = " failed (";

    /** The name given could mean jobs of more than one run: nothing was cancelled. */
    public static final class AmbiguousTarget extends RuntimeException {
        public AmbiguousTarget(String message) {
            super(message);
        }
    }

    private final Ledger ledger;
    private final SlurmClient slurm;

    public JobCanceller(Ledger ledger, SlurmClient slurm) {
        this.ledger = ledger;
        this.slurm = slurm;
    }

    /**
     * {@code sweepd cancel TARGET}: a sweep or run (every unfinished job of it), a Slurm job id, or a job key that one
     * run only has unfinished.
     *
     * @throws AmbiguousTarget when a job key names unfinished jobs of several runs
     */
    public List<String> cancel(String target, String who) {
        return cancel(target, null, who);
    }

    /**
     * Returns one line per job acted on. Every submitted job named is cancelled in one scancel call (scancel takes
     * many ids), not one call per job.
     *
     * @param within a job key, point id or Slurm job id of the run {@code target} names; null for the whole run
     * @throws AmbiguousTarget when a job key names unfinished jobs of several runs
     */
    public List<String> cancel(String target, String within, String who) {
        List<String> done = new ArrayList<>();
        Map<String, JobRecord> bySlurmId = new LinkedHashMap<>();
        for (JobRecord job : jobsNamedBy(target, within)) {
            if (job.state() == JobState.PLANNED) {
                if (ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PLANNED, JobState.CANCELLED,
                        "cancelled by " + who + " before submission", Map.of())) {
                    done.add(job.runId() + " " + job.jobKey() + ": cancelled before submission");
                }
            } else if (job.state() == JobState.SUBMITTING) {
                if (JobStore.cancelRequested(job) || ledger.jobs().requestCancel(job.runId(), job.jobKey(), who)) {
                    done.add(job.runId() + " " + job.jobKey() + ": sbatch is running; cancelled as soon as it"
                            + " answers");
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

    private List<JobRecord> jobsNamedBy(String target, String within) {
        Optional<RunRecord> run = ledger.runs().runNamedWithoutPlan(target);
        if (run.isPresent()) {
            List<JobRecord> jobs = ledger.jobs().jobs(run.get().runId());
            return within == null ? jobs : jobsWithin(run.get().runId(), jobs, within);
        }
        if (within != null) {
            return List.of(); // the run named first does not exist
        }
        Optional<JobRecord> bySlurmId = target.matches("\\d+") ? ledger.jobs().bySlurmJobId(target) : Optional.empty();
        if (bySlurmId.isPresent()) {
            return List.of(bySlurmId.get());
        }
        List<JobRecord> byKey = new ArrayList<>(ledger.jobs().liveJobs().stream()
                .filter(j -> j.jobKey().equals(target)).toList());
        byKey.addAll(ledger.jobs().jobsInState(JobState.PLANNED).stream()
                .filter(j -> j.jobKey().equals(target)).toList());
        TreeSet<String> runs = new TreeSet<>(byKey.stream().map(JobRecord::runId).toList());
        if (runs.size() > 1) {
            throw new AmbiguousTarget("job " + target + " is unfinished in " + runs.size() + " runs (" + String.join(
                    ", ", runs) + "): name the run too, e.g. sweepd cancel " + runs.last() + " " + target);
        }
        return byKey;
    }

    /** The run's job of this key, of the point of this id, or of this Slurm id (in this run only). */
    private List<JobRecord> jobsWithin(String runId, List<JobRecord> jobs, String within) {
        List<JobRecord> byKeyOrId = jobs.stream()
                .filter(j -> j.jobKey().equals(within) || within.equals(j.slurmJobId())).toList();
        if (!byKeyOrId.isEmpty()) {
            return byKeyOrId;
        }
        Optional<String> pointsJob = ledger.runs().points(runId).stream()
                .filter(p -> p.pointId().equals(within)).map(PointRecord::jobKey).findFirst();
        return pointsJob.map(key -> jobs.stream().filter(j -> j.jobKey().equals(key)).toList()).orElse(List.of());
    }
}
