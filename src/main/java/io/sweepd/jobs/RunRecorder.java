package io.sweepd.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.files.FileModes;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobReuse;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlanWriter;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderRequest;
import io.sweepd.sweep.SweepOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a plan into a run: renders every job's directory (before anything is submitted, so the {@code --output}
 * directory exists), writes the run's plan files, and records run, jobs and points in the ledger in one
 * transaction. Submission then works from the ledger alone, so a restarted daemon picks up where it stopped.
 */
public final class RunRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private final Ledger ledger;
    private final ProfileCatalog profiles;
    private final JobRenderer renderer;
    private final Path outputs;
    private final FileModes modes;
    /** Run ids being recorded right now (taken, not yet in the ledger). */
    private final Set<String> recording = new HashSet<>();

    public RunRecorder(Ledger ledger, ProfileCatalog profiles, Path outputs) {
        this(ledger, profiles, outputs, FileModes.OWNER_ONLY);
    }

    /** @param modes what run and job directories are created with (sweepd.files.group-readable) */
    public RunRecorder(Ledger ledger, ProfileCatalog profiles, Path outputs, FileModes modes) {
        this.ledger = ledger;
        this.profiles = profiles;
        this.outputs = outputs;
        this.modes = modes;
        this.renderer = new JobRenderer(modes);
    }

    /**
     * Records the plan as a run and returns its id. The id comes from when the sweep file was written, so a
     * daemon that crashed after recording but before moving the file out of the inbox reads the same file
     * again, finds the run it already recorded, and neither re-renders its jobs nor records them twice.
     */
    public String record(Plan plan, SweepOrigin origin, Instant writtenAt) {
        return record(plan, origin, writtenAt, JobReuse.REUSE_COMPLETED);
    }

    /**
     * As {@link #record(Plan, SweepOrigin, Instant)}, saying whether jobs an earlier run of the sweep completed
     * are taken over ({@link JobReuse#REUSE_COMPLETED}, an inbox drop) or run again ({@link JobReuse#FRESH}, a
     * scheduled firing, whose {@code writtenAt} is the firing time).
     */
    public String record(Plan plan, SweepOrigin origin, Instant writtenAt, JobReuse reuse) {
        String planJson = PlanJson.render(plan);
        String base = RunRecord.runId(plan.sweep().name(), writtenAt);
        String runId;
        // Intake records several files at once: an id is taken under the lock and held until the run is in the
        // ledger, so two files of one sweep name written in the same second get two runs, never one directory.
        synchronized (recording) {
            runId = base;
            for (int n = 2; ; n++) {
                Optional<RunRecord> existing = ledger.runs().run(runId);
                if (existing.isEmpty() && !recording.contains(runId)) {
                    break;
                }
                // Same name, same second, same plan: a restart re-reading the file it recorded before moving it
                // out, or the same file dropped again (cp -p keeps its time). While that run is active a second one
                // would only duplicate it; once it has finished, the drop is a new run (reusing the jobs it
                // completed).
                if (existing.isPresent() && existing.get().planJson().equals(planJson)
                        && !existing.get().finished()) {
                    LOG.warn("sweep {}: same name, time stamp and plan as run {}, which is still active; not recorded"
                            + " again (a restart re-read the file, or the same file was dropped again). To run it"
                            + " once more, wait until {} finishes or touch the file before dropping it.",
                            plan.sweep().name(), runId, runId);
                    return runId;
                }
                runId = base + "-" + n;
            }
            recording.add(runId);
        }
        try {
            recordAs(runId, plan, planJson, origin, reuse);
        } finally {
            synchronized (recording) {
                recording.remove(runId);
            }
        }
        return runId;
    }

    private void recordAs(String runId, Plan plan, String planJson, SweepOrigin origin, JobReuse reuse) {
        Path runDir = outputs.resolve(runId);
        List<JobRecord> jobs = new ArrayList<>();
        Map<String, List<PlannedPoint>> pointsByJob = plan.pointsByJob();
        for (PlannedJob job : plan.jobs()) {
            List<PlannedPoint> points = pointsByJob.get(job.jobKey());
            ClusterProfile profile = profiles.byName(job.profile()).orElseThrow(
                    () -> new IllegalStateException("job " + job.jobKey() + " names unknown profile " + job.profile()));
            Path jobDir = runDir.resolve(job.jobKey());
            renderer.render(new RenderRequest(runId, plan.sweep().name(), job, points, profile, jobDir));
            ClusterProfile.Deadlines deadlines = points.get(0).enriched().deadlines();
            jobs.add(JobRecord.planned(runId, job.jobKey(), job.profile(), jobDir.toString(),
                    deadlines.firstLogSeconds(), deadlines.healthySeconds(), deadlines.totalSeconds()));
        }
        String id = runId;
        List<PointRecord> points = plan.points().stream()
                .map(p -> PointRecord.of(id, p.id(), p.jobKey(), json(PlanJson.point(p)), p.enriched().refused()))
                .toList();
        PlanWriter.write(plan, runDir, modes);
        ledger.runs().recordRun(RunRecord.planned(runId, plan.sweep().name(), origin.sourceFile(), origin.sourceDir(),
                origin.profileOverride(), planJson), jobs, points, reuse);
        long reused = ledger.jobs().jobs(runId).stream().filter(JobRecord::reused).count();
        LOG.info("run {}: {} jobs recorded ({} already completed by an earlier run), {} points refused", runId,
                jobs.size(), reused, plan.refusedPoints().size());
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("point is not serializable", e);
        }
    }
}
