package io.sweepd.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.Topology;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.recipes.ServerConfigs;
import io.sweepd.render.harness.SingleNodeJob;
import io.sweepd.srtslurm.SrtSlurmJobFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
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

    // Slurm runs the job as the submitting user, but slurmd (often root on an NFS root-squashed share) and the
    // people triaging a failure must be able to read the directory: group and others get read access.
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> SCRIPT_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

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
            createReadable(dir.root());
            for (Path d : List.of(dir.root(), dir.logs(), dir.results())) {
                Files.createDirectories(d);
                permit(d, DIR_MODE);
            }
            for (Path stale : List.of(dir.exitCodeFile(), dir.startedMarker(),
                    dir.root().resolve(JobDirectory.EXIT_CODE + ".tmp"),
                    dir.root().resolve(JobDirectory.STARTED + ".tmp"))) {
                Files.deleteIfExists(stale);
            }
            write(dir.plan(), Json.PRETTY.writeValueAsString(planJson(request)) + "\n", FILE_MODE);
            write(dir.recipe(), Json.YAML.writeValueAsString(recipe), FILE_MODE);
            if (srtSlurm != null) {
                write(dir.srtslurmConfig(), Json.YAML.writeValueAsString(srtSlurm.srtslurmYaml()), FILE_MODE);
            }
            write(dir.script(), script.text(), SCRIPT_MODE);
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
            MatrixPoint p = planned.enriched().point();
            String at = "point " + planned.id() + " ";
            SafeValues.token(at + "config key", p.configKey());
            SafeValues.token(at + "image", p.image());
            SafeValues.token(at + "model", p.model());
            SafeValues.token(at + "model-prefix", p.modelPrefix());
            SafeValues.token(at + "precision", p.precision());
            SafeValues.token(at + "framework", p.framework());
            SafeValues.token(at + "runner", p.runner());
            ObjectNode config = planned.enriched().serverConfig();
            if (config != null) {
                tokenIfText(at + "recipe name", config.get("name"));
                tokenIfText(at + "recipe model.path", config.path("model").get("path"));
                tokenIfText(at + "recipe model.container", config.path("model").get("container"));
            }
        }
    }

    private static void tokenIfText(String what, JsonNode node) {
        if (node != null && node.isTextual()) {
            SafeValues.token(what, node.textValue());
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
        EnrichedPoint first = request.points().get(0).enriched();
        ObjectNode recipe = first.serverConfig() != null
                ? first.serverConfig().deepCopy()
                : ServerConfigs.synthesize(first.point());
        if (!recipe.path("name").isTextual()) {
            recipe.put("name", request.job().jobKey()); // srt-slurm requires a name; synthesized configs have none
        }
        ObjectNode benchmark = recipe.get("benchmark") instanceof ObjectNode b ? b : recipe.putObject("benchmark");
        if (!benchmark.has("type")) {
            benchmark.put("type", "sa-bench");
        }
        benchmark.put("isl", first.point().isl());
        benchmark.put("osl", first.point().osl());
        benchmark.put("concurrencies", request.job().concurrencies().stream().map(String::valueOf)
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

    /** Writes through a temporary file beside the target, so a crash never leaves a half-written file. */
    private static void write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        permit(tmp, mode);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Creates the directory and any missing parents (outputs/&lt;run-id&gt;/ for the first job of a run) readable
     * by others whatever the daemon's umask: a 0700 run directory would hide the job directory inside it.
     * Directories that already exist keep their mode.
     */
    private static void createReadable(Path target) throws IOException {
        ArrayDeque<Path> missing = new ArrayDeque<>();
        for (Path p = target; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            Files.createDirectories(p);
            permit(p, DIR_MODE);
        }
    }

    private static void permit(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, mode);
        }
    }
}
