package io.sweepd.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.Secrets;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.files.FileModes;
import io.sweepd.enrich.Topology;
import io.sweepd.json.Json;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.render.harness.SingleNodeJob;
import io.sweepd.srtslurm.SrtSlurmJobFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders one planned job into its job directory (see {@link JobDirectory} for the layout): plan.json,
 * recipe.yaml, job.sbatch, and empty logs/ and results/; for the srt-slurm launcher also srtslurm.yaml, with the
 * recipe completed into one srtctl loads ({@link SrtSlurmJobFiles}). The directories exist before anything is submitted
 * because Slurm fails a job whose --output directory is missing with ExitCode 0:53 and writes no log at all
 * (seed case 1).
 *
 * <p>Rendering again (a resubmission) rewrites the files and removes the previous attempt's started and
 * exit-code markers, so the poller never reads an old attempt's exit as the new one's; logs and results of
 * the earlier attempt are left for the archive.
 *
 * <p>Values that come from the sweep file (run id, job key, names, image, model) are checked with
 * {@link SafeValues} before anything is written, and every value in the script is {@link Shell#quote quoted}.
 */
public final class JobRenderer {

    // Owner-only by default (sweepd.files.group-readable opens them to the group): a job directory holds the
    // recipe, environment and logs of someone's benchmark. Slurm runs the job as the submitting user, who owns it.
    private final FileModes modes;

    public JobRenderer() {
        this(FileModes.OWNER_ONLY);
    }

    public JobRenderer(FileModes modes) {
        this.modes = modes;
    }

    public RenderedJob render(RenderRequest request) {
        PlannedJob job = request.job();
        validate(request);
        JobDirectory dir = new JobDirectory(request.jobDir());
        Topology topology = job.topology();
        String timeLimit = SlurmTime.jobLimit(request.profile().slurm().timeLimit(), totalDeadline(request));
        SbatchScript.Script script = SbatchScript.render(request, dir, timeLimit, topology.nodes(),
                topology.gpusPerNode());
        ObjectNode recipe = recipe(request);
        SrtSlurmJobFiles srtSlurm = null;
        if (SbatchScript.SRT_SLURM.equals(request.profile().launcher().type())) {
            EnrichedPoint first = request.points().get(0).enriched();
            srtSlurm = SrtSlurmJobFiles.of(recipe, first.point(), topology, request.profile(), timeLimit,
                    healthyDeadline(request));
            recipe = srtSlurm.recipe();
        }

        try {
            for (Path d : List.of(dir.root(), dir.logs(), dir.results())) {
                modes.createDirectories(d);
            }
            for (Path stale : List.of(dir.exitCodeFile(), dir.startedMarker(),
                    dir.root().resolve(JobDirectory.EXIT_CODE + ".tmp"),
                    dir.root().resolve(JobDirectory.STARTED + ".tmp"))) {
                Files.deleteIfExists(stale);
            }
            modes.write(dir.plan(), Json.PRETTY.writeValueAsString(planJson(request)) + "\n");
            // Secret-named environment values never reach recipe.yaml: srtctl loads it as it is, so they are left
            // out and inherited from the job's secrets file; the single-node harness takes its environment from its
            // own owner-only inputs, so recipe.yaml only shows them redacted.
            modes.write(dir.recipe(), Json.YAML.writeValueAsString(srtSlurm != null
                    ? Secrets.withoutSecrets(recipe) : Secrets.environmentRedacted(recipe)));
            if (srtSlurm != null) {
                modes.write(dir.srtslurmConfig(), Json.YAML.writeValueAsString(srtSlurm.srtslurmYaml()));
            }
            Map<String, String> secrets = SbatchScript.secretEnvironment(request);
            Path secretsFile = dir.root().resolve(SbatchScript.SECRETS_FILE);
            if (secrets.isEmpty()) {
                Files.deleteIfExists(secretsFile);
            } else {
                modes.write(secretsFile, SbatchScript.secretsFile(secrets), modes.secret());
            }
            modes.write(dir.script(), script.text(), modes.executable());
            if (SingleNodeJob.appliesTo(request.profile())) {
                SingleNodeJob.of(request, dir).writeInputs();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write job directory " + dir.root() + ": " + e.getMessage(), e);
        }
        return new RenderedJob(job.jobKey(), SbatchScript.jobName(job.jobKey()), dir, timeLimit, script.directives());
    }

    /** The prefix every sweepd job name starts with (one squeue call lists them all). */
    public static String jobNamePrefix() {
        return SbatchScript.JOB_NAME_PREFIX;
    }

    private static void validate(RenderRequest request) {
        PlannedJob job = request.job();
        SafeValues.name("run id", request.runId());
        SafeValues.name("profile name", request.profile().name());
        SafeValues.name("job key", job.jobKey());
        SafeValues.token("sweep name", request.sweepName());
        if (request.points().isEmpty()) {
            throw new IllegalArgumentException("job " + job.jobKey() + " has no points to render");
        }
        if (job.topology() == null) {
            throw new IllegalArgumentException("job " + job.jobKey() + " has no topology");
        }
        // A set, not the list: one job may hold thousands of points (a long conc-list sharing one server).
        Set<String> pointIds = new HashSet<>(job.pointIds());
        for (PlannedPoint planned : request.points()) {
            if (!job.jobKey().equals(planned.jobKey()) || !pointIds.contains(planned.id())) {
                throw new IllegalArgumentException("point " + planned.id() + " does not belong to job " + job.jobKey());
            }
            if (planned.refused()) {
                throw new IllegalArgumentException("point " + planned.id() + " was refused and cannot be rendered: "
                        + planned.enriched().refused());
            }
            RenderChecks.check("point " + planned.id() + " ", planned.enriched());
        }
    }

    /** The longest total deadline of the job's points (they share one server configuration, so normally one). */
    private static int totalDeadline(RenderRequest request) {
        return request.points().stream()
                .map(p -> p.enriched().deadlines())
                .filter(d -> d != null)
                .mapToInt(ClusterProfile.Deadlines::totalSeconds)
                .max()
                .orElse(request.profile().deadlines().totalSeconds());
    }

    /** The job's healthy deadline: its first point's (the points share one server configuration). */
    private static int healthyDeadline(RenderRequest request) {
        ClusterProfile.Deadlines deadlines = request.points().get(0).enriched().deadlines();
        return (deadlines == null ? request.profile().deadlines() : deadlines).healthySeconds();
    }

    /**
     * The job's server configuration as the launcher reads it: the patched recipe of its points (or one
     * synthesized from the matrix when there is none) with the benchmark set to this job's concurrencies in
     * srt-slurm's {@code 4x8x16} form and the points' sequence lengths.
     */
    static ObjectNode recipe(RenderRequest request) {
        return recipe(request.points().get(0).enriched(), request.job().jobKey(), request.job().concurrencies());
    }

    /** The recipe of a job whose first point is {@code first} (what {@link RenderChecks} checks for one point). */
    static ObjectNode recipe(EnrichedPoint first, String jobKey, List<Integer> concurrencies) {
        ObjectNode recipe = first.serverConfig() != null
                ? first.serverConfig().deepCopy()
                : ServerConfigs.synthesize(first.point());
        if (!recipe.path("name").isTextual()) {
            recipe.put("name", jobKey); // srt-slurm requires a name; synthesized configs have none
        }
        ObjectNode benchmark = recipe.get("benchmark") instanceof ObjectNode b ? b : recipe.putObject("benchmark");
        if (!benchmark.has("type")) {
            benchmark.put("type", "sa-bench");
        }
        benchmark.put("isl", first.point().isl());
        benchmark.put("osl", first.point().osl());
        benchmark.put("concurrencies", concurrencies.stream().map(String::valueOf)
                .collect(Collectors.joining("x")));
        return recipe;
    }

    static Map<String, Object> planJson(RenderRequest request) {
        PlannedJob job = request.job();
        ClusterProfile profile = request.profile();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run-id", request.runId());
        out.put("sweep", request.sweepName());
        out.put("job-key", job.jobKey());
        out.put("job-name", SbatchScript.jobName(job.jobKey()));
        out.put("profile", job.profile());
        out.put("launcher", profile.launcher().type());
        out.put("container-runtime", profile.containerRuntime());
        out.put("concurrencies", job.concurrencies());
        out.put("topology", topology(job.topology()));
        Map<String, Object> hardware = new LinkedHashMap<>();
        hardware.put("gpu", profile.hardware().gpu());
        hardware.put("architecture", profile.hardware().architecture());
        hardware.put("gpu-memory-gb", profile.hardware().gpuMemoryGb());
        hardware.put("usable-gib", profile.hardware().usableGib());
        hardware.put("gpus-per-node", profile.hardware().gpusPerNode());
        out.put("hardware", hardware);
        ClusterProfile.Deadlines deadlines = request.points().get(0).enriched().deadlines();
        if (deadlines == null) {
            deadlines = profile.deadlines();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("first-log-seconds", deadlines.firstLogSeconds());
        d.put("healthy-seconds", deadlines.healthySeconds());
        d.put("total-seconds", totalDeadline(request));
        out.put("deadlines", d);
        out.put("points", request.points().stream().map(PlanJson::point).toList());
        return out;
    }

    /** PlanJson's topology keys, plus the per-worker and per-node counts a launcher needs. */
    static Map<String, Object> topology(Topology t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", t.nodes());
        out.put("gpus", t.totalGpus());
        out.put("gpus-per-node", t.gpusPerNode());
        if (t.disaggregated()) {
            out.put("prefill-workers", t.prefillWorkers());
            out.put("gpus-per-prefill-worker", t.gpusPerPrefillWorker());
            out.put("prefill-gpus", t.prefillGpus());
            out.put("decode-workers", t.decodeWorkers());
            out.put("gpus-per-decode-worker", t.gpusPerDecodeWorker());
            out.put("decode-gpus", t.decodeGpus());
        } else {
            out.put("aggregated-workers", t.aggregatedWorkers());
            out.put("gpus-per-aggregated-worker", t.gpusPerAggregatedWorker());
        }
        return out;
    }
}
