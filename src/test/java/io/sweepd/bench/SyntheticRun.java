package io.sweepd.bench;

import io.sweepd.MutableClock;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobReuse;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.ledger.RunRecord;
import io.sweepd.report.BaselineComparison;
import io.sweepd.report.RunReports;
import org.h2.mvstore.MVStoreTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Fills a sweepd home's ledger with a finished run of N points, for measuring {@code sweepd report} at scale:
 * <pre>java -cp target/classes:target/test-classes:DEPS io.sweepd.bench.SyntheticRun HOME POINTS [HISTORY]</pre>
 * prints the run id; then {@code ./sweepd report RUN --home HOME} reports it. The ledger gets, oldest first, each
 * finished with its final report as the daemon writes it:
 * HISTORY older runs (default 3, a quarter of the size each: two of another sweep, the others of this one), a
 * finished baseline run of the same sweep, and the run itself. Each run is a realistic mix: jobs of four
 * concurrencies each (a tenth of them multinode disaggregated points with a concurrency list), most COMPLETED with
 * InferenceMAX-shaped metrics, a few rows INVALID, some jobs FAILED or TIMEOUT with a triage.json diagnosis in their
 * job directory, some whole jobs refused. Everything goes through the ledger's store APIs (recordRun, transition,
 * recordResults, settled, finishRun), never raw SQL, so it stays valid as the schema evolves.
 */
public final class SyntheticRun {

    public static final String SWEEP = "synthetic";
    static final String OTHER_SWEEP = "synthetic-other";

    private static final List<String> MODELS = List.of("dsr1", "gptoss", "llama70b", "qwen3", "kimik2", "dsv4");
    private static final List<String> HARDWARE = List.of("h100", "h200", "b200", "mi300x", "mi355x");
    private static final List<String> FRAMEWORKS = List.of("vllm", "sglang", "trt");
    private static final int[][] SEQ_LENS = {{1024, 1024}, {8192, 1024}, {1024, 8192}};
    private static final int[] TPS = {1, 2, 4, 8};
    /** A single-node job serves four concurrencies (the model loads once); two jobs cover the eight. */
    private static final int[] CONCS = {4, 8, 16, 32, 64, 128, 256, 512};
    private static final int CONCS_PER_JOB = 4;

    private final Ledger ledger;
    private final MutableClock clock;
    private final Path outputs;

    public SyntheticRun(Ledger ledger, MutableClock clock, Path outputs) {
        this.ledger = ledger;
        this.clock = clock;
        this.outputs = outputs;
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: SyntheticRun HOME POINTS [HISTORY-RUNS]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int points = Integer.parseInt(args[1]);
        int history = args.length == 3 ? Integer.parseInt(args[2]) : 3;
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString()));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Ledger ledger = Ledger.embedded(settings.state(), clock, settings.ledgerOwner())) {
            List<String> runs = new SyntheticRun(ledger, clock, settings.outputs()).history(points, history);
            // Each run's final report, oldest first, as the daemon writes it when the run finishes: that keeps the
            // run's headline and comparison rows, which the reports of the sweep's later runs read.
            RunReports reports = new RunReports(ledger, settings.reports(), profile -> null,
                    BaselineComparison.DEFAULT_TOLERANCE, clock);
            for (String runId : runs) {
                reports.write(ledger.runs().run(runId).orElseThrow(), true, Optional.empty());
            }
            System.out.println(runs.get(runs.size() - 1));
        }
        compact(settings.state());
    }

    /**
     * A daemon writes these rows over hours, and H2 reuses the space of the versions each commit leaves behind; this
     * generator writes them in seconds, so every old version is still in the file (1.6 GB for 10,000 points instead
     * of 170 MB). Compacting leaves the file as a daemon's would be, so reading it measures sweepd, not the debris.
     * Without compression: SHUTDOWN COMPACT also compresses every page (LZF), which no daemon's ledger has, and every
     * read then paid for expanding them.
     */
    private static void compact(Path state) {
        MVStoreTool.compact(LedgerBackups.ledgerFile(state).toString(), false);
    }

    /** The history runs, the baseline, then the run of {@code points} points, all finished: their ids, oldest first. */
    public List<String> history(int points, int historyRuns) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < historyRuns; i++) {
            runs.add(record(i < 2 ? OTHER_SWEEP : SWEEP, Math.max(1, points / 4), i, true));
        }
        runs.add(record(SWEEP, points, 100, true));
        runs.add(record(SWEEP, points, 200, true));
        return runs;
    }

    /**
     * Records one run of {@code points} matrix points and plays every job to its end; finished when asked.
     * {@code seed} varies the numbers (a baseline and its successor differ a little, as two measurements do).
     */
    public String record(String sweep, int points, int seed, boolean finish) {
        clock.advance(Duration.ofHours(1));
        String runId = RunRecord.runId(sweep, clock.instant());
        Plan plan = plan(runId, points);
        ledger.runs().recordRun(RunRecord.planned(runId, sweep, sweep + ".yaml", outputs.toString(), null,
                plan.json(sweep)), plan.jobs, plan.points, JobReuse.FRESH);
        Random random = new Random(seed);
        int slurmId = 100_000 + seed * 10_000;
        for (JobRecord job : plan.jobs) {
            play(job, plan.pointsOf(job.jobKey()), random, slurmId++);
        }
        if (finish) {
            ledger.runs().finishRun(runId, clock.instant());
        }
        return runId;
    }

    /** Moves a job to its end as the daemon would record it, with its results or its triage, and settles it. */
    public void play(JobRecord job, List<PointRecord> points, Random random, int slurmId) {
        int index = Integer.parseInt(job.jobKey().substring(job.jobKey().lastIndexOf('-') + 1), 16);
        JobState end = index % 13 == 5 ? JobState.FAILED : index % 41 == 7 ? JobState.TIMEOUT : JobState.COMPLETED;
        ledger.jobs().beginSubmit(job.runId(), job.jobKey(), "sweepd-" + job.jobKey() + "-a1");
        ledger.jobs().submitted(job.runId(), job.jobKey(), Integer.toString(slurmId));
        Instant started = clock.instant();
        clock.advance(Duration.ofSeconds(30));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(JobDetails.STARTED_AT, started);
        details.put(JobDetails.ENDED_AT, clock.instant());
        details.put(JobDetails.EXIT_CODE, end == JobState.COMPLETED ? 0 : 1);
        ledger.jobs().transition(job.runId(), job.jobKey(), JobState.PENDING, end,
                end == JobState.COMPLETED ? null : end == JobState.FAILED ? "NonZeroExitCode (exit code 1)"
                        : "TimeLimit", details);
        if (end == JobState.COMPLETED) {
            List<ResultRecord> results = new ArrayList<>();
            for (PointRecord point : points) {
                Map<String, Object> spec = Json.MAPPER.convertValue(readTree(point.matrixJson()), Map.class);
                for (int conc : concs(spec)) {
                    boolean invalid = random.nextInt(50) == 0;
                    results.add(ResultRecord.of(job.runId(), point.pointId(), conc, job.jobKey(),
                            invalid ? ResultState.INVALID : ResultState.COMPLETED,
                            invalid ? "7.2% of requests failed (more than 5%)" : null,
                            invalid ? null : json(metrics(spec, conc, random)), null,
                            "results_concurrency_" + conc + "_gpus_8.json"));
                }
            }
            ledger.results().recordResults(job.runId(), job.jobKey(), results);
        } else {
            writeTriage(Path.of(job.jobDir()), end);
        }
        ledger.jobs().settled(job.runId(), job.jobKey(), 1, end == JobState.COMPLETED ? "collected" : "triaged");
    }

    /** A run's plan as the recorder stores it: points (refused ones included), their jobs, and the plan JSON. */
    public Plan plan(String runId, int points) {
        Plan plan = new Plan();
        int jobIndex = 0;
        for (int group = 0; plan.points.size() < points; group++) {
            String model = MODELS.get(group % MODELS.size());
            String hw = HARDWARE.get(group / MODELS.size() % HARDWARE.size());
            String fw = FRAMEWORKS.get(group / (MODELS.size() * HARDWARE.size()) % FRAMEWORKS.size());
            int[] seqLen = SEQ_LENS[group / (MODELS.size() * HARDWARE.size() * FRAMEWORKS.size()) % SEQ_LENS.length];
            int variant = group / (MODELS.size() * HARDWARE.size() * FRAMEWORKS.size() * SEQ_LENS.length);
            boolean multinode = group % 10 == 9;
            int tp = TPS[variant % TPS.length];
            int ep = variant / TPS.length % 2 == 1 ? tp : 1;
            String configKey = model + "-fp8-" + hw + "-" + fw;
            for (int half = 0; half < CONCS.length / CONCS_PER_JOB && plan.points.size() < points; half++) {
                String jobKey = model + "_" + seqLen[0] / 1024 + "k" + seqLen[1] / 1024 + "k-"
                        + String.format("%08x", jobIndex++);
                boolean refused = jobIndex % 31 == 11;
                List<Integer> concs = new ArrayList<>();
                for (int c = half * CONCS_PER_JOB; c < (half + 1) * CONCS_PER_JOB; c++) {
                    concs.add(CONCS[c]);
                }
                List<List<Integer>> pointConcs = multinode ? List.of(concs) : concs.stream().map(List::of).toList();
                for (List<Integer> conc : pointConcs) {
                    if (plan.points.size() >= points) {
                        break;
                    }
                    String pointId = jobKey + "-c" + conc.get(0);
                    Map<String, Object> point = point(pointId, jobKey, configKey, model, hw, fw, seqLen, tp, ep,
                            multinode, conc, refused);
                    plan.add(PointRecord.of(runId, pointId, jobKey, json(point),
                            refused ? (String) point.get("refused") : null), point);
                }
                if (!refused) {
                    plan.jobs.add(JobRecord.planned(runId, jobKey, hw + "-slurm",
                            outputs.resolve(runId).resolve(jobKey).toString(), 600, 1800, 14_400));
                }
            }
        }
        return plan;
    }

    /** The point JSON, shaped as io.sweepd.plan.PlanJson writes it (InferenceMAX's matrix fields, then sweepd's). */
    private static Map<String, Object> point(String pointId, String jobKey, String configKey, String model, String hw,
            String fw, int[] seqLen, int tp, int ep, boolean multinode, List<Integer> conc, boolean refused) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("image", fw + "/" + fw + "-openai:v0.18.0");
        p.put("model", "org/" + model);
        p.put("model-prefix", model);
        p.put("precision", "fp8");
        p.put("framework", fw);
        p.put("runner", hw);
        p.put("isl", seqLen[0]);
        p.put("osl", seqLen[1]);
        Map<String, Object> topology = new LinkedHashMap<>();
        if (multinode) {
            p.put("spec-decoding", "none");
            p.put("prefill", Map.of("num-worker", 1, "tp", tp, "ep", ep, "dp-attn", false));
            p.put("decode", Map.of("num-worker", 2, "tp", tp, "ep", ep, "dp-attn", ep > 1));
            p.put("conc", conc);
            p.put("max-model-len", seqLen[0] + seqLen[1] + 256);
            p.put("exp-name", model + "_" + seqLen[0] / 1024 + "k" + seqLen[1] / 1024 + "k");
            p.put("disagg", true);
            topology.put("nodes", 3);
            topology.put("gpus", 3 * tp);
            topology.put("prefill-workers", 1);
            topology.put("prefill-gpus", tp);
            topology.put("decode-workers", 2);
            topology.put("decode-gpus", 2 * tp);
        } else {
            p.put("tp", tp);
            p.put("conc", conc.get(0));
            p.put("max-model-len", seqLen[0] + seqLen[1] + 256);
            p.put("ep", ep);
            p.put("dp-attn", ep > 1);
            p.put("spec-decoding", "none");
            p.put("exp-name", model + "_" + seqLen[0] / 1024 + "k" + seqLen[1] / 1024 + "k");
            p.put("disagg", false);
            topology.put("nodes", 1);
            topology.put("gpus", tp);
        }
        p.put("run-eval", false);
        p.put("point-id", pointId);
        p.put("config-key", configKey);
        p.put("job-key", jobKey);
        p.put("profile", hw + "-slurm");
        p.put("topology", topology);
        p.put("recipe", null);
        p.put("workarounds", List.of(Map.of("id", "inferencemax-" + configKey, "changes", List.of(
                "aggregated: engine arg max-num-batched-tokens = 8192",
                "aggregated: engine arg gpu-memory-utilization = 0.9",
                "aggregated: env PYTHONNOUSERSITE=1"))));
        p.put("refused", refused ? "needs " + 8 * tp + " GPUs; the pool has 4 nodes x 8" : null);
        p.put("server-config", Map.of(
                "model", Map.of("path", "org/" + model, "container", fw + "/" + fw + "-openai:v0.18.0",
                        "precision", "fp8"),
                "backend", Map.of("type", fw, "config", Map.of("tensor-parallel-size", tp,
                        "max-model-len", seqLen[0] + seqLen[1] + 256, "max-num-batched-tokens", 8192,
                        "gpu-memory-utilization", 0.9, "max-num-seqs", conc.get(conc.size() - 1))),
                "benchmark", Map.of("type", "sa-bench", "isl", seqLen[0], "osl", seqLen[1],
                        "concurrencies", conc.toString())));
        return p;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> concs(Map<String, Object> spec) {
        Object conc = spec.get("conc");
        return conc instanceof List<?> list ? (List<Integer>) list : List.of((Integer) conc);
    }

    /** InferenceMAX process_result.py's fields for one concurrency, with plausible numbers. */
    private static Map<String, Object> metrics(Map<String, Object> spec, int conc, Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        int tp = spec.get("tp") instanceof Integer t ? t : 8;
        m.put("hw", spec.get("runner"));
        m.put("conc", conc);
        m.put("image", spec.get("image"));
        m.put("model", spec.get("model"));
        m.put("infmax_model_prefix", spec.get("model-prefix"));
        m.put("framework", spec.get("framework"));
        m.put("precision", spec.get("precision"));
        m.put("spec_decoding", "none");
        m.put("disagg", spec.get("disagg"));
        m.put("isl", spec.get("isl"));
        m.put("osl", spec.get("osl"));
        m.put("is_multinode", spec.get("conc") instanceof List);
        m.put("tp", tp);
        m.put("ep", spec.getOrDefault("ep", 1));
        m.put("dp_attention", String.valueOf(spec.getOrDefault("dp-attn", false)));
        m.put("num_gpu", tp);
        m.put("gpus_counted_from", "topology");
        double noise = 0.9 + 0.2 * random.nextDouble();
        double tpot = (8 + conc * 0.35) * noise;
        double tput = conc * 1000 / tpot * (1 + random.nextDouble() * 0.05);
        m.put("tput_per_gpu", tput / tp);
        m.put("output_tput_per_gpu", tput / tp * 0.5);
        m.put("input_tput_per_gpu", tput / tp * 0.5);
        for (String stat : List.of("mean", "median", "std", "p90", "p99", "p99.9")) {
            double f = switch (stat) {
                case "std" -> 0.2;
                case "p90" -> 1.3;
                case "p99" -> 1.8;
                case "p99.9" -> 2.4;
                default -> 1.0;
            };
            double ttft = (120 + conc * 4.0) * noise * f;
            double itl = tpot * 0.98 * f;
            double e2el = ttft + tpot * f * ((Integer) spec.get("osl"));
            m.put(stat + "_ttft_ms", ttft);
            m.put(stat + "_ttft", ttft / 1000);
            m.put(stat + "_tpot_ms", tpot * f);
            m.put(stat + "_tpot", tpot * f / 1000);
            m.put(stat + "_itl_ms", itl);
            m.put(stat + "_itl", itl / 1000);
            m.put(stat + "_e2el_ms", e2el);
            m.put(stat + "_e2el", e2el / 1000);
            m.put(stat + "_intvty", 1000 / (tpot * f));
        }
        return m;
    }

    private static void writeTriage(Path jobDir, JobState end) {
        try {
            Files.createDirectories(jobDir);
            Files.writeString(jobDir.resolve("triage.json"), json(Map.of(
                    "category", end == JobState.TIMEOUT ? "timeout" : "cuda-oom",
                    "diagnosis", end == JobState.TIMEOUT ? "the benchmark did not finish within the time limit"
                            : "CUDA out of memory while capturing CUDA graphs: lower max-num-seqs")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the recorder would store for one run. */
    public static final class Plan {
        public final List<JobRecord> jobs = new ArrayList<>();
        public final List<PointRecord> points = new ArrayList<>();
        private final List<Map<String, Object>> pointJson = new ArrayList<>();
        private final Map<String, List<PointRecord>> byJob = new LinkedHashMap<>();

        void add(PointRecord record, Map<String, Object> json) {
            points.add(record);
            pointJson.add(json);
            byJob.computeIfAbsent(record.jobKey(), k -> new ArrayList<>()).add(record);
        }

        public List<PointRecord> pointsOf(String jobKey) {
            return byJob.getOrDefault(jobKey, List.of());
        }

        /** The whole plan, pretty-printed as PlanJson renders it: this is what a run's plan_json holds. */
        String json(String sweep) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sweep", sweep);
            out.put("baseline", null);
            out.put("points", pointJson);
            out.put("jobs", jobs.stream().map(j -> Map.of("job-key", j.jobKey(), "profile", j.profile(),
                    "points", pointsOf(j.jobKey()).stream().map(PointRecord::pointId).toList())).toList());
            try {
                return Json.PRETTY.writeValueAsString(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
