package io.sweepd.slurm;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;



/**
 * Reads {@code sacct -n --parsable2 -o FIELDS} rows, from slurmdbd or from the jobcomp file ({@code sacct -c},
 * which prints the same fields but leaves Reason empty and says "(null)" for no nodes). Pure.
 *
 * <p>JobName comes last so that a '|' inside a name cannot shift the other columns.
 */
public final class SacctParser {


    public static final String FIELDS = "JobID,State,ExitCode,Elapsed,Start,End,NodeList,Reason,JobName";

    private static final int COLUMNS = 9;

    private final ZoneId zone;

    public SacctParser(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** One entry per job allocation; step rows ("12.batch", "12.0") are skipped even if -X was forgotten. */
    public List<SlurmJobInfo> parse(String stdout) {
        List<SlurmJobInfo> jobs = new ArrayList<>();
        for (String[] c : SlurmText.rows(stdout, COLUMNS, "sacct")) {
            String jobId = c[0].strip();
            if (jobId.contains(".")) {
                continue;
            }
            SlurmState state = SlurmStates.fromSlurm(c[1]);
            jobs.add(new SlurmJobInfo(jobId, c[8].strip(), state, c[1].strip(), SlurmText.orEmpty(c[7]),
                    c[2].strip(), SlurmText.orEmpty(c[6]), SlurmText.elapsed(c[3]), SlurmText.instant(c[4], zone),
                    state.ended() ? SlurmText.instant(c[5], zone) : null));
        }
        return jobs;
    }
}
