package io.sweepd.render;

import io.sweepd.core.JobDirectory;

import java.nio.file.Path;
import java.util.List;

/**
 * A job directory ready for {@code sbatch --parsable <script>}.
 *
 * @param jobName    the Slurm job name, {@code sweepd-<job-key>}: how the poller and crash reconciliation find it
 * @param timeLimit  the {@code --time} the script asks for
 * @param directives every {@code #SBATCH} option in the script, in order, without the {@code #SBATCH } prefix
 */
public record RenderedJob(String jobKey, String jobName, JobDirectory directory, String timeLimit,
                          List<String> directives) {

    public RenderedJob {
        directives = List.copyOf(directives);
    }

    public Path script() {
        return directory.script();
    }
}
