package io.sweepd.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sweepd.exec.CommandRunner;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SlurmClient against the real local Slurm (scripts/local-slurm.sh): partitions h100 and h200, two nodes each with
 * eight fake GPUs. Needs SLURM_CONF; every job name carries a per-run prefix so other jobs on the cluster don't
 * matter.
 */
class SlurmClientIT {

    private static final Duration JOB_BOUND = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private CommandRunner runner;
    private SlurmClient client;
    private String prefix;

    @BeforeEach
    void connect() throws IOException {
        String conf = System.getenv("SLURM_CONF");
        assumeTrue(conf != null && !conf.isBlank(),
                "SLURM_CONF is not set: start the local cluster (scripts/local-slurm.sh start) and export its env");
        // Passed as the overlay on purpose, so the test also proves the overlay reaches Slurm's clients.
        runner = new CommandRunner(Map.of("SLURM_CONF", conf));
        client = new SlurmClient(runner, SlurmTimeouts.defaults());
        prefix = "sweepd-it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Files.createDirectories(dir.resolve("logs"));
    }

    @Test
    void realJobsEndInTheMappedStatesAndAccountingAgreesWithOneSqueuePerPoll() throws IOException {
        String ok = submit("ok", "echo gpus=$CUDA_VISIBLE_DEVICES; exit 0", "--gres=gpu:h100:1");
        String fail = submit("fail", "echo failing >&2; exit 1", "--gres=gpu:h100:1");
        String cancelled = submit("cancel", "sleep 600", "--gres=gpu:h100:1");
        String twoNode = submit("two-node", "srun hostname; exit 0", "--nodes=2", "--gres=gpu:h100:1");
        List<String> ids = List.of(ok, fail, cancelled, twoNode);

        await("the job to be cancelled is running").atMost(JOB_BOUND).pollInterval(POLL)
                .until(() -> pollOnce().job(cancelled).map(j -> j.state() == SlurmState.RUNNING).orElse(false));
        assertThat(client.cancel(cancelled).succeeded()).isTrue();

        Map<String, SlurmJobInfo> finalState = new LinkedHashMap<>();
        await("all four jobs to leave the live states").atMost(JOB_BOUND).pollInterval(POLL).until(() -> {
            QueueSnapshot snapshot = pollOnce();
            for (String id : ids) {
                snapshot.job(id).filter(j -> !!j.state().ended()).ifPresent(j -> finalState.put(id, j));
            }
            for (String id : snapshot.absent(ids)) {
                // Purged (MinJobAge) between two polls: sacct has the outcome.
                client.accounting(id).filter(j -> !!j.state().ended()).ifPresent(j -> finalState.put(id, j));
            }
            return finalState.keySet().containsAll(ids);
        });

        assertThat(finalState.get(ok).state()).isEqualTo(SlurmState.COMPLETED);
        assertThat(finalState.get(fail).state()).isEqualTo(SlurmState.FAILED);
        assertThat(finalState.get(cancelled).state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(finalState.get(twoNode).state()).isEqualTo(SlurmState.COMPLETED);
        // Two of the partition's nodes, whichever the scheduler picked (other tests may hold some).
        assertThat(finalState.get(twoNode).nodeList()).matches("gpu-node\\[\\d[-,]\\d\\]");
        assertThat(finalState.get(ok).jobName()).isEqualTo(prefix + "ok");
        assertThat(Files.readString(dir.resolve("logs").resolve(prefix + "ok-" + ok + ".out"))).contains("gpus=");

        // slurmdbd's records lag the controller by up to a second.
        for (String id : ids) {
            await("sacct to agree on job " + id).atMost(Duration.ofMinutes(1)).pollInterval(POLL)
                    .until(() -> client.accounting(id).map(SlurmJobInfo::state).orElse(null),
                            state -> state == finalState.get(id).state());
        }
        SlurmJobInfo failed = client.accounting(fail).orElseThrow();
        assertThat(failed.exitStatus()).hasValue(1);
        assertThat(client.accounting(cancelled).orElseThrow().slurmState()).startsWith("CANCELLED");
    }

    @Test
    void aRefusedSubmissionIsPermanentAndCarriesSlurmsReason() throws IOException {
        Path script = script("bad-partition", "exit 0", "--partition=no-such-partition");

        assertThat(client.submit(script)).isEqualTo(new SubmitOutcome.Permanent(
                "sbatch: error: Batch job submission failed: Invalid partition name specified"));

        Path tooMany = script("too-many-gpus", "exit 0", "--gres=gpu:h100:9");
        assertThat(client.submit(tooMany)).isEqualTo(new SubmitOutcome.Permanent(
                "sbatch: error: Batch job submission failed: Requested node configuration is not available"));
    }

    @Test
    void aFinishedJobIsFoundByNameAndShownByScontrol() throws IOException {
        String id = submit("find-me", "exit 0", "--gres=gpu:h100:1");
        await().atMost(JOB_BOUND).pollInterval(POLL)
                .until(() -> pollOnce().job(id).map(j -> j.state() == SlurmState.COMPLETED).orElse(false));

        assertThat(client.findByName(prefix + "find-me")).extracting(SlurmJobInfo::jobId).containsExactly(id);
        String shown = client.showJob(id).orElseThrow();
        assertThat(ScontrolParser.parse(shown)).containsEntry("JobId", id).containsEntry("JobState", "COMPLETED")
                .containsEntry("JobName", prefix + "find-me");
        assertThat(client.showJob("999999999")).isEmpty();
        assertThat(client.findByName(prefix + "never-submitted")).isEmpty();
    }

    /** queue() with the invocation counter checked: exactly one squeue per call, however many jobs there are. */
    private QueueSnapshot pollOnce() {
        long before = runner.invocations("squeue");
        QueueSnapshot snapshot = client.queue(prefix);
        assertThat(runner.invocations("squeue") - before).isEqualTo(1);
        assertThat(snapshot.ok()).as("squeue failed: %s", snapshot.failure()).isTrue();
        return snapshot;
    }

    private String submit(String name, String body, String... directives) throws IOException {
        SubmitOutcome outcome = client.submit(script(name, body, directives));
        assertThat(outcome).isInstanceOf(SubmitOutcome.Submitted.class);
        return ((SubmitOutcome.Submitted) outcome).jobId();
    }

    private Path script(String name, String body, String... directives) throws IOException {
        StringBuilder text = new StringBuilder("#!/bin/bash\n")
                .append("#SBATCH --job-name=").append(prefix).append(name).append('\n')
                .append("#SBATCH --output=").append(dir.resolve("logs")).append("/%x-%j.out\n")
                .append("#SBATCH --time=5\n");
        boolean partitionGiven = false;
        for (String directive : directives) {
            text.append("#SBATCH ").append(directive).append('\n');
            partitionGiven |= directive.startsWith("--partition");
        }
        if (!partitionGiven) {
            text.append("#SBATCH --partition=h100\n");
        }
        text.append(body).append('\n');
        Path script = dir.resolve(name + ".sbatch");
        Files.writeString(script, text);
        return script;
    }
}
