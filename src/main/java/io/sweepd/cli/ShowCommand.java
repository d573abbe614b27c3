package io.sweepd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobDirectory;
import io.sweepd.inspect.RecipeDiff;
import io.sweepd.json.Json;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.triage.TriageFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code sweepd show POINT|JOB}: everything the ledger and the job directory know about one point or job. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Everything known about one job or point: its plan entry, the recipe it runs with against "
                + "the recipe it was planned from (key by key), every attempt (Slurm id, state, nodes, exit code, "
                + "queue wait and run time, diagnosis, the rule a retry added), the Slurm record, triage, results, "
                + "and the files (job directory, logs, failure archives) with their paths. Reads the ledger and the "
                + "job directory only; no Slurm command runs.",
                "",
                "NAME is looked up in this order, the first kind that matches wins: a job key, a point id, a Slurm "
                + "job id (of any attempt). A job or point recurs in every run of its sweep: the newest run's is "
                + "shown (stderr names the others; --run picks one). A name that matches several different jobs "
                + "or points of one run lists them and exits 6, as an unknown name does."})
final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A job key, a point id or a Slurm job id.")
    String name;

    @Option(names = "--run", paramLabel = "SWEEP|RUN", description = "Look in this run only (a sweep name: its "
            + "latest run).")
    String run;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Listing.Format format;

    /** What NAME named: a job (and the point asked for, if it was a point id), in one run. */
    private record Target(String kind, RunRecord run, JobRecord job, PointRecord point) {
    }

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(settings)) {
            Target target = find(ledger, settings);
            ObjectNode shown = describe(ledger, target);
            out.println(format == Listing.Format.json ? Json.PRETTY.writeValueAsString(shown) : ShowText.render(shown));
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ lookup

    private Target find(Ledger ledger, SweepdSettings settings) {
        Optional<String> onlyRun = Optional.ofNullable(run).map(r -> SweepdCli.runNamed(ledger, r).runId());
        List<JobRecord> jobs = inRun(ledger.jobs().jobsWithKey(name), JobRecord::runId, onlyRun);
        if (!jobs.isEmpty()) {
            JobRecord job = newest(jobs, JobRecord::runId, "job " + name);
            return new Target("job", runOf(ledger, job.runId()), job, null);
        }
        List<PointRecord> points = inRun(ledger.runs().pointsWithId(name), PointRecord::runId, onlyRun);
        if (!points.isEmpty()) {
            PointRecord point = newest(points, PointRecord::runId, "point " + name);
            JobRecord job = ledger.jobs().job(point.runId(), point.jobKey()).orElse(null);
            return new Target("point", runOf(ledger, point.runId()), job, point);
        }
        if (name.matches("[0-9]+([_+][0-9]+)?")) {
            List<JobRecord> submitted = inRun(ledger.jobs().jobsEverSubmittedAs(name), JobRecord::runId, onlyRun)
                    .stream().filter(j -> name.equals(j.slurmJobId()) || ledger.jobs().attempts(j.runId(),
                            j.jobKey()).stream().anyMatch(a -> name.equals(a.slurmJobId()))).toList();
            if (submitted.size() > 1) {
                // Slurm ids repeat across clusters sharing a ledger and after a controller is rebuilt.
                throw new CliFailure(ExitCodes.NOT_FOUND, "Slurm job id " + name + " names " + submitted.size()
                        + " jobs; show one by its job key:" + candidates(submitted.stream()
                        .map(j -> j.jobKey() + "  (run " + j.runId() + ", " + j.state() + ")").toList()));
            }
            if (submitted.size() == 1) {
                JobRecord job = submitted.get(0);
                return new Target("job", runOf(ledger, job.runId()), job, null);
            }
        }
        throw new CliFailure(ExitCodes.NOT_FOUND, "no job key, point id or Slurm job id " + name
                + onlyRun.map(r -> " in run " + r).orElse("") + " in " + SweepdCli.where(settings));
    }

    private static <T> List<T> inRun(List<T> found, java.util.function.Function<T, String> runId,
                                     Optional<String> onlyRun) {
        return onlyRun.map(r -> found.stream().filter(t -> runId.apply(t).equals(r)).toList()).orElse(found);
    }

    /** The one of the newest run (the list is oldest first); several in that run are ambiguous. */
    private <T> T newest(List<T> found, java.util.function.Function<T, String> runId, String what) {
        String newestRun = runId.apply(found.get(found.size() - 1));
        List<T> inNewest = found.stream().filter(t -> runId.apply(t).equals(newestRun)).toList();
        if (inNewest.size() > 1) {
            throw new CliFailure(ExitCodes.NOT_FOUND, what + " is ambiguous in run " + newestRun + ":"
                    + candidates(inNewest.stream().map(String::valueOf).toList()));
        }
        List<String> others = found.stream().map(runId).filter(r -> !r.equals(newestRun)).distinct().toList();
        if (!others.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("sweepd show: " + what + " of run " + newestRun + "; also in " + String.join(", ", others)
                    + " (--run RUN shows one of those)");
            err.flush();
        }
        return inNewest.get(0);
    }

    private static String candidates(List<String> lines) {
        return "\n  " + String.join("\n  ", lines);
    }

    private static RunRecord runOf(Ledger ledger, String runId) {
        return ledger.runs().runNamedWithoutPlan(runId).orElseThrow();
    }

    // ------------------------------------------------------------------ what is known

    private ObjectNode describe(Ledger ledger, Target target) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", target.kind());
        out.put("name", name);
        RunRecord run = target.run();
        ObjectNode runNode = out.putObject("run");
        runNode.put("id", run.runId()).put("sweep", run.sweepName()).put("state", run.state().name())
                .put("source-file", run.sourceFile());
        JobRecord job = target.job();
        List<PointRecord> points = target.point() != null ? List.of(target.point())
                : ledger.runs().points(run.runId(), job.jobKey());
        ArrayNode pointsNode = out.putArray("points");
        for (PointRecord p : points) {
            ObjectNode pn = pointsNode.addObject();
            pn.put("id", p.pointId()).put("state", p.state().name()).put("refused-reason", p.refusedReason());
            pn.set("matrix", Json.MAPPER.readTree(p.matrixJson()));
        }
        if (job == null) {
            out.putNull("job");
            out.put("note", "a refused point has no job: nothing was rendered or submitted");
            return out;
        }
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        ObjectNode jobNode = out.putObject("job");
        jobNode.put("key", job.jobKey()).put("profile", job.profile()).put("state", job.state().name())
                .put("reason", job.reason()).put("slurm-job-id", job.slurmJobId()).put("job-name", job.jobName())
                .put("attempts", job.attempt()).put("reused-from-run", job.reusedFromRun())
                .put("exit-code", job.exitCode()).put("directory", job.jobDir())
                .put("settle-error", job.settleError());
        JsonNode plan = readJson(dir.plan());
        out.set("plan", planEntry(plan, target.point()));
        out.set("recipe", recipe(dir, plan, run));
        out.set("workarounds-added", readJson(dir.root().resolve("workarounds-added.json")));
        ArrayNode attempts = out.putArray("attempts");
        for (AttemptRecord a : ledger.jobs().attempts(job.runId(), job.jobKey())) {
            attempts.add(attempt(a, dir));
        }
        out.set("slurm-record", readJson(dir.root().resolve("slurm.json")));
        ObjectNode triage = Json.MAPPER.createObjectNode();
        TriageFile.read(dir).ifPresent(t -> triage.setAll((ObjectNode) Json.MAPPER.valueToTree(TriageFile.fields(t))));
        out.set("triage", triage.isEmpty() ? null : triage);
        ArrayNode results = out.putArray("results");
        for (ResultRecord r : ledger.results().results(job.runId(), job.jobKey())) {
            if (target.point() != null && !r.pointId().equals(target.point().pointId())) {
                continue;
            }
            ObjectNode rn = results.addObject();
            rn.put("point", r.pointId()).put("conc", r.conc()).put("state", r.state().name())
                    .put("reason", r.reason()).put("result-file", r.resultFile() == null ? null
                            : dir.results().resolve(r.resultFile()).toString());
            rn.set("metrics", r.metricsJson() == null ? null : Json.MAPPER.readTree(r.metricsJson()));
            rn.set("eval", r.evalJson() == null ? null : Json.MAPPER.readTree(r.evalJson()));
        }
        out.set("files", files(dir));
        return out;
    }

    /** The job's plan.json, narrowed to the point asked for when NAME was a point. */
    private static JsonNode planEntry(JsonNode plan, PointRecord point) {
        if (plan == null || point == null) {
            return plan;
        }
        ObjectNode narrowed = ((ObjectNode) plan).deepCopy();
        ArrayNode only = Json.MAPPER.createArrayNode();
        plan.path("points").forEach(p -> {
            if (point.pointId().equals(p.path("point-id").asText())) {
                only.add(p);
            }
        });
        narrowed.set("points", only);
        return narrowed;
    }

    /**
     * The recipe the job runs ({@code recipe.yaml}, as rendered and as a retry may have patched it) against its base:
     * the recipe file the plan names when it is still there (resolved as planning resolved it: against the sweep
     * file's directory), else the planned server configuration in plan.json.
     */
    private static ObjectNode recipe(JobDirectory dir, JsonNode plan, RunRecord run) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (!Files.isRegularFile(dir.recipe())) {
            return null;
        }
        out.put("rendered", dir.recipe().toString());
        JsonNode rendered = Json.YAML.readTree(dir.recipe().toFile());
        JsonNode firstPoint = plan == null ? null : plan.path("points").path(0);
        String reference = firstPoint == null ? null : firstPoint.path("recipe").asText(null);
        JsonNode base = null;
        if (reference != null && !reference.contains(":")) {
            Path file = Path.of(reference);
            if (!file.isAbsolute() && run.sourceDir() != null) {
                file = Path.of(run.sourceDir()).resolve(reference);
            }
            if (Files.isRegularFile(file)) {
                base = Json.YAML.readTree(file.toFile());
                out.put("base", file.toString());
            }
        }
        if (base == null && firstPoint != null && firstPoint.hasNonNull("server-config")) {
            base = firstPoint.get("server-config");
            out.put("base", dir.plan() + " (server-config: the planned configuration, workarounds applied"
                    + (reference == null ? "" : "; the recipe " + reference + " is a variant or gone") + ")");
        }
        if (base == null) {
            return out;
        }
        ArrayNode changes = out.putArray("changes");
        for (RecipeDiff.Change c : RecipeDiff.between(base, rendered)) {
            changes.addObject().put("path", c.path()).put("change", c.kind()).put("base", c.before())
                    .put("rendered", c.after());
        }
        return out;
    }

    private static ObjectNode attempt(AttemptRecord a, JobDirectory dir) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("attempt", a.attempt()).put("job-name", a.jobName()).put("slurm-job-id", a.slurmJobId())
                .put("state", a.state().name()).put("nodes", a.nodes())
                .put("exit-code", a.exitCode())
                .put("submitted-at", text(a.submittedAt() != null ? a.submittedAt() : a.claimedAt()))
                .put("started-at", text(a.startedAt())).put("ended-at", text(a.endedAt()))
                .put("queue-wait-seconds", seconds(a.queueWait())).put("run-seconds", seconds(a.runTime()))
                .put("reason", a.reason()).put("category", a.category()).put("diagnosis", a.diagnosis())
                .put("suggested-workaround", a.suggestedWorkaround()).put("retried-because", a.retriedBecause())
                .put("rule-added", a.addedWorkaround()).put("excluded-nodes", a.excludedNodes())
                .put("evidence", a.evidence(dir).toString());
        return n;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }

    /** The job directory's files a person opens, with paths: only those that exist. */
    private static ObjectNode files(JobDirectory dir) throws IOException {
        ObjectNode files = Json.MAPPER.createObjectNode();
        files.put("directory", dir.root().toString());
        for (Path p : List.of(dir.plan(), dir.recipe(), dir.script(), dir.srtslurmConfig(),
                dir.root().resolve("slurm.json"), dir.root().resolve(TriageFile.FILE),
                dir.root().resolve("failure.tar.gz"), dir.exitCodeFile())) {
            if (Files.isRegularFile(p)) {
                files.put(p.getFileName().toString(), p.toString());
            }
        }
        files.set("logs", listing(dir.logs()));
        files.set("results", listing(dir.results()));
        ArrayNode earlier = files.putArray("attempts");
        Path attempts = dir.root().resolve(JobDirectory.ATTEMPTS);
        if (Files.isDirectory(attempts)) {
            try (Stream<Path> each = Files.list(attempts)) {
                for (Path a : each.sorted().toList()) {
                    ObjectNode an = earlier.addObject().put("directory", a.toString());
                    Path archive = a.resolve("failure.tar.gz");
                    an.put("failure-archive", Files.isRegularFile(archive) ? archive.toString() : null);
                    an.set("logs", listing(a.resolve(JobDirectory.LOGS)));
                }
            }
        }
        return files;
    }

    /** The files under a folder (recursively, sorted), or an empty list. */
    private static ArrayNode listing(Path folder) throws IOException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).map(Path::toString)
                        .forEach(list::add);
            }
        }
        return list;
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : null;
    }
}
