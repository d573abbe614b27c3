package io.sweepd.slurm;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.sweepd.jobs.JobState;


/**
 * Reads {@code squeue -h -o FORMAT} rows. Pure: no command is run here.
 *
 * <p>The job name comes last so that a '|' inside a name cannot shift the other columns; every other column is
 * a Slurm-generated token that never contains one.
 */
public final class SqueueParser {


    /** id | state (long form) | reason | node list | time used | start | end | name. */
    public static final String FORMAT = "%i|%T|%r|%N|%M|%S|%e|%j";

    private static final int COLUMNS = 8;

    private final ZoneId zone;

    public SqueueParser(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public List<SlurmJobInfo> parse(String stdout) {
        List<SlurmJobInfo> jobs = new ArrayList<>();
        for (String[] c : SlurmText.rows(stdout, COLUMNS, "squeue")) {
            JobState state = JobStates.fromSlurm(c[1]);
            // For a pending job squeue prints the expected start, for a live job the expected end (start + limit).
            boolean started = state != JobState.PENDING && state != JobState.REQUEUED;
            jobs.add(new SlurmJobInfo(c[0].strip(), c[7].strip(), state, c[1].strip(), SlurmText.orEmpty(c[2]), "",
                    SlurmText.orEmpty(c[3]), SlurmText.elapsed(c[4]), started ? SlurmText.instant(c[5], zone) : null,
                    state.live() ? null : SlurmText.instant(c[6], zone)));
        }
        return jobs;
    }
}
