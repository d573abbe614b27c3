package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The srt-slurm contract, sweepd's side: for every multinode point of both master-config snapshots, the recipe and
 * srtslurm.yaml sweepd writes pass {@link SrtctlSchema} (srtctl's documented fields), and the recipe's resources
 * describe the topology sweepd planned, so srtctl starts the workers on the GPUs Slurm was asked for.
 */
class SrtSlurmContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<SnapshotMultinodeJobs.Job> jobs;

    @BeforeAll
    static void planBothSnapshots() throws IOException {
        jobs = SnapshotMultinodeJobs.all();
    }

    @Test
    void everyMultinodePointOfBothSnapshotsIsCovered() {
        assertThat(jobs.stream().filter(j -> j.snapshot().equals("2026-05-01"))).hasSize(448);
        assertThat(jobs.stream().filter(j -> j.snapshot().equals("2026-06-03"))).hasSize(438);
        assertThat(jobs).allMatch(j -> j.point().multinode());
    }

    @Test
    void everyRecipeAndSrtslurmYamlPassesTheSchemaCheck() {
        for (SnapshotMultinodeJobs.Job job : written()) {
            assertThat(SrtctlSchema.problems(job.files().recipe(), JSON.valueToTree(job.files().srtslurmYaml())))
                    .as(job.describe()).isEmpty();
        }
    }

    @Test
    void noMultinodePointIsRefused() {
        assertThat(jobs.stream().filter(j -> j.refusal() != null).map(j -> j.describe() + ": " + j.refusal()))
                .isEmpty();
    }

    @Test
    void everyRecipesResourcesAreThePlannedTopology() {
        for (SnapshotMultinodeJobs.Job job : written()) {
            JsonNode r = job.files().recipe().path("resources");
            var t = job.topology();
            String what = job.describe();
            assertThat(r.path("gpu_type").asText()).as(what).isEqualTo(job.profile().hardware().gpu());
            assertThat(r.path("gpus_per_node").asInt()).as(what).isEqualTo(t.gpusPerNode());
            if (t.disaggregated()) {
                assertThat(r.path("prefill_workers").asInt() * r.path("gpus_per_prefill").asInt()).as(what)
                        .isEqualTo(t.prefillGpus());
                assertThat(r.path("decode_workers").asInt() * r.path("gpus_per_decode").asInt()).as(what)
                        .isEqualTo(t.decodeGpus());
                assertThat(r.path("prefill_nodes").asInt() + r.path("decode_nodes").asInt()).as(what)
                        .isEqualTo(t.nodes());
            } else {
                // A "disaggregated" point with no decode workers serves aggregated (ServingRole).
                assertThat(r.path("agg_workers").asInt() * r.path("gpus_per_agg").asInt()).as(what)
                        .isEqualTo(t.aggregatedGpus());
                assertThat(r.path("agg_nodes").asInt()).as(what).isEqualTo(t.nodes());
            }
        }
    }

    /**
     * Staged weights by alias where the profile has them (as InferenceMAX's launch scripts map them); else the
     * cluster's Hugging Face cache, which srtctl fills once before the workers start.
     */
    @Test
    void everyModelIsAnAliasOfItsSrtslurmYamlOrComesFromTheClustersHuggingFaceCache() {
        long viaCache = 0;
        for (SnapshotMultinodeJobs.Job job : written()) {
            String path = job.files().recipe().at("/model/path").asText();
            if (path.startsWith("hf:")) {
                viaCache++;
                assertThat(path).as(job.describe()).isEqualTo("hf:" + job.point().model());
                assertThat(job.files().recipe().at("/backend/prefill_environment/HF_HOME").asText()).as(job.describe())
                        .isEqualTo(job.profile().paths().hfCache());
            } else {
                assertThat(job.files().srtslurmYaml().get("model_paths")).as(job.describe())
                        .asInstanceOf(InstanceOfAssertFactories.MAP).containsKey(path);
            }
        }
        // DeepSeek-V4 on b200-dgxc: its launch script stages no DeepSeek-V4 weights for multinode jobs.
        assertThat(viaCache).isEqualTo(3);
    }

    private static List<SnapshotMultinodeJobs.Job> written() {
        return jobs.stream().filter(j -> j.files() != null).toList();
    }
}
