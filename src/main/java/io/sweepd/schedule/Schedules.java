package io.sweepd.schedule;

import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepOrigin;
import io.sweepd.sweep.SweepParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cron schedules, the part without a scheduler: registering a schedule (from an inbox drop or the schedules
 * folder), deciding what a firing does (a run of the stored sweep, or a skip while the previous run is still
 * going), and recording what it did. The daemon's wiring runs one Quartz trigger per schedule in the ledger and
 * calls {@link #fire} when one fires.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    private final Ledger ledger;
    private final ScheduleFolder folder;
    private final SweepParser parser = new SweepParser();

    public Schedules(Ledger ledger, ScheduleFolder folder) {
        this.ledger = ledger;
        this.folder = folder;
    }

    /**
     * A sweep dropped in the inbox (and planned now) that has {@code sweep.schedule} registers its schedule,
     * replacing the one a previous drop registered. A schedule the schedules folder defines stays: the file is
     * the definition there, and a drop is a one-off run of it.
     *
     * @return true when the schedule was registered or changed
     */
    public boolean registerDrop(SweepFile sweep, String text, SweepOrigin origin) {
        String cron = sweep.settings().schedule();
        if (cron == null) {
            return false;
        }
        Optional<ScheduleRecord> existing = ledger.schedules().schedule(sweep.name());
        if (existing.isPresent() && existing.get().source() == ScheduleSource.FOLDER) {
            LOG.warn("sweep {} was run now; its schedule stays as {} defines it (edit that file to change it)",
                    sweep.name(), existing.get().sourceFile());
            return false;
        }
        boolean changed = ledger.schedules().register(ScheduleRecord.of(sweep.name(), cron, ScheduleSource.INBOX,
                origin.sourceFile(), origin.sourceDir(), origin.profileOverride(), text));
        if (changed) {
            LOG.info("schedule {} registered from {}: '{}'", sweep.name(), origin.sourceFile(), cron);
        }
        return changed;
    }

    /** Brings the ledger's folder schedules in line with the schedules folder's files (see {@link ScheduleFolder}). */
    public void syncFolder() {
        folder.sync(ledger.schedules());
    }

    /**
     * A schedule fired. Returns what to plan, or null when the firing makes no run: the schedule was removed
     * meanwhile, or an earlier run of the sweep is still going (a log line and the schedule's row say so, and
     * the next firing tries again).
     */
    public Firing fire(String name, Instant firedAt) {
        Optional<ScheduleRecord> found = ledger.schedules().schedule(name);
        if (found.isEmpty()) {
            LOG.info("schedule {} fired at {} but is no longer registered; nothing planned", name, firedAt);
            return null;
        }
        ScheduleRecord schedule = found.get();
        Optional<String> busy = stillActive(name);
        if (busy.isPresent()) {
            String reason = "previous run " + busy.get() + " still active";
            LOG.warn("schedule {}: firing at {} skipped: {}", name, firedAt, reason);
            ledger.schedules().skipped(name, firedAt, reason);
            return null;
        }
        SweepOrigin origin = new SweepOrigin(schedule.sourceFile(), schedule.sourceDir(), schedule.profileOverride());
        LOG.info("schedule {} fired at {}: planning the sweep from {}", name, firedAt, schedule.sourceFile());
        return new Firing(name, read(schedule), origin, firedAt);
    }

    /** The firing's run was recorded. */
    public void fired(String name, Instant firedAt, String runId) {
        ledger.schedules().fired(name, firedAt, runId);
        LOG.info("schedule {}: run {} recorded (a fresh run: every job is submitted)", name, runId);
    }

    /** The firing's sweep could not be planned (a profile or recipe gone since it was registered, say). */
    public void firingFailed(String name, Instant firedAt, Exception failure) {
        String reason = "could not be planned: " + rootMessage(failure);
        LOG.warn("schedule {}: firing at {} made no run: {}", name, firedAt, reason);
        ledger.schedules().skipped(name, firedAt, reason);
    }

    /**
     * The sweep a schedule fires, read from its stored text as the inbox reads a file: the same file name (it
     * names the sweep by default), recipes from the same directory, the same --profile.
     */
    SweepFile read(ScheduleRecord schedule) {
        Path baseDir = schedule.sourceDir() == null ? null : Path.of(schedule.sourceDir());
        SweepFile sweep = parser.parse(schedule.sweepText(), schedule.sourceFile(), baseDir);
        if (schedule.profileOverride() == null) {
            return sweep;
        }
        return sweep.withSettings(sweep.settings().withProfile(schedule.profileOverride()));
    }

    /**
     * A run of the sweep not finished yet, if any: a job of it has not ended, or its end has not been handled yet.
     * A run with nothing to submit (every point refused) is finished by the next poll cycle, so it blocks a
     * firing for one cycle at most.
     */
    private Optional<String> stillActive(String sweepName) {
        return ledger.runs().unfinishedRuns(sweepName).stream().findFirst().map(run -> {
            List<JobRecord> jobs = ledger.jobs().jobs(run.runId());
            long open = jobs.stream().filter(job -> !job.settled()).count();
            return run.runId() + " (" + open + " of " + jobs.size() + " jobs not ended or not yet handled)";
        });
    }

    private static String rootMessage(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
    }
}
