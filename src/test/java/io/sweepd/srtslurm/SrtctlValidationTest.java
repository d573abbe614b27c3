package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sweepd.enrich.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The srt-slurm contract, srtctl's side: srtctl's own loader (load_config with SRTSLURM_CONFIG, the strict
 * ClusterConfig schema, validate_topology, the benchmark's validate_config) accepts the recipe and srtslurm.yaml
 * sweepd writes for every multinode point of both snapshots, and reads from them the nodes, GPUs, model path and
 * concurrencies sweepd planned.
 *
 * <p>Needs a python with srtctl installed: {@code scripts/install-srtctl.sh SRT_SLURM_CHECKOUT VENV} prints it;
 * name it in {@code SWEEPD_SRTCTL_PYTHON}. Skipped otherwise.
 */
class SrtctlValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    @TempDir
    Path out;

    @Test
    void srtctlLoadsWhatSweepdWritesForEveryMultinodePoint() throws Exception {
        String python = System.getenv("SWEEPD_SRTCTL_PYTHON");
        assumeTrue(python != null && !python.isBlank(), "SWEEPD_SRTCTL_PYTHON is not set: install srtctl with"
                + " scripts/install-srtctl.sh SRT_SLURM_CHECKOUT VENV and set it to the python that prints");
        assumeTrue(run(List.of(python, "-c", "import srtctl.core.config"), 60).exit() == 0,
                "srtctl is not importable by " + python + "; run scripts/install-srtctl.sh");

        Map<Path, SnapshotMultinodeJobs.Job> byDir = new LinkedHashMap<>();
        for (SnapshotMultinodeJobs.Job job : SnapshotMultinodeJobs.all()) {
            if (job.files() == null) {
                continue; // refused by sweepd (SrtSlurmContractTest says which and why)
            }
            Path dir = Files.createDirectories(out.resolve("job-" + byDir.size()));
            Files.writeString(dir.resolve("recipe.yaml"), YAML.writeValueAsString(job.files().recipe()));
            Files.writeString(dir.resolve("srtslurm.yaml"), YAML.writeValueAsString(job.files().srtslurmYaml()));
            byDir.put(dir, job);
        }
        Path validator = out.resolve("validate_with_srtctl.py");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/srtctl/validate_with_srtctl.py"))) {
            Files.copy(in, validator);
        }
        List<String> command = new ArrayList<>(List.of(python, validator.toString()));
        byDir.keySet().forEach(d -> command.add(d.toString()));

        Result result = run(command, 600);

        assertThat(result.exit()).as(result.output()).isZero();
        List<JsonNode> reports = result.output().lines().filter(l -> l.startsWith("{")).map(SrtctlValidationTest::json)
                .toList();
        assertThat(reports).hasSize(byDir.size());
        for (JsonNode report : reports) {
            SnapshotMultinodeJobs.Job job = byDir.get(Path.of(report.path("dir").asText()));
            String what = job.describe();
            assertThat(report.path("errors")).as(what + ": srtctl's errors").isEmpty();
            Topology t = job.topology();
            assertThat(report.path("total_nodes").asInt()).as(what).isEqualTo(t.nodes());
            assertThat(report.path("prefill_gpus").asInt()).as(what).isEqualTo(t.prefillGpus());
            assertThat(report.path("decode_gpus").asInt()).as(what).isEqualTo(t.decodeGpus());
            assertThat(report.path("agg_gpus").asInt()).as(what).isEqualTo(t.aggregatedGpus());
            assertThat(report.path("model_path").asText()).as(what + ": alias resolved or a Hugging Face id")
                    .matches("/.*|hf:.*");
            List<Integer> conc = new ArrayList<>();
            report.path("concurrencies").forEach(c -> conc.add(c.asInt()));
            assertThat(conc).as(what).isEqualTo(job.point().conc());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("srtctl validator printed " + line, e);
        }
    }
}
