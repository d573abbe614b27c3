package io.sweepd.render;

import io.sweepd.core.JobDirectory;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The srt-slurm job as rendered, file for file, against golden copies in src/test/resources/render/golden/: the
 * seed PR's first job on the H200 cluster (a disaggregated Dynamo/vLLM recipe). The job directory's path is
 * written {@code <JOB_DIR>} in the golden files. After an intended change, regenerate them with
 * {@code -Dsweepd.golden.update=true} and review the diff.
 */
class SrtSlurmJobGoldenTest {

    private static final String GOLDEN = "src/test/resources/render/golden/srt-slurm-h200";

    @TempDir
    Path home;

    @TempDir
    Path out;

    @Test
    void seedJobOnTheH200ClusterRendersAsTheGoldenFiles() throws IOException {
        Plan plan = RenderFixtures.seedOnH200(home);
        PlannedJob job = plan.jobs().get(0);
        Path dir = out.resolve(job.jobKey()).toAbsolutePath();

        new JobRenderer().render(RenderFixtures.request(plan, job, RenderFixtures.profile("h200-dgxc-slurm"), dir));

        boolean update = Boolean.getBoolean("sweepd.golden.update");
        for (String file : List.of(JobDirectory.SCRIPT, JobDirectory.RECIPE, JobDirectory.SRTSLURM_CONFIG)) {
            String rendered = Files.readString(dir.resolve(file)).replace(dir.toString(), "<JOB_DIR>");
            Path golden = Path.of(GOLDEN, file);
            if (update) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, rendered);
            }
            assertThat(rendered).as(file).isEqualTo(Files.readString(golden));
        }
    }
}
