package io.sweepd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.preflight.EngineArgs;
import io.sweepd.preflight.RankWeights;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One simulated job, phase by phase, as srt-slurm's orchestrator and the engines would live it: workers
 * start, parse their arguments, validate the parallel config, load weights from shared storage while the
 * orchestrator polls health, size the KV cache, warm up, serve; then the benchmark client runs each
 * concurrency. Each seed failure is checked in the phase where the real one happened, so the first one a
 * configuration carries is the one it dies of, as on the cluster.
 */
final class SimulatedRun {

    /** Memory a rank needs right after loading, before any KV cache: activation peak, CUDA graphs, NCCL. */
    static final double RUNTIME_MIN_GIB = 1.0;

    /** Shard size of large checkpoints (DSV4-Pro: ~862 GB in 64 shards). */
    static final double SHARD_GB = 13.5;

    /** KV cache per token, MLA-like FP8 (DeepSeek: ~69 KiB); only shapes the KV log lines. */
    static final double KV_KIB_PER_TOKEN = 69;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RESULT_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneId.systemDefault());

    /**
     * Where a run leaves its results, and whether an orchestrator watches it: srtctl's sweep (its log_dir holds
     * the benchmark and eval directories; it polls health against its own deadline and prints what it sees), or
     * a lone server behind sweepd's single-node harness (the harness owns the health deadline and the clients).
     */
    record Mode(Path resultsDir, Path evalDir, boolean orchestrated) {

        static Mode srtctl(JobDirectory dir, int isl, int osl) {
            Path logs = dir.logs();
            return new Mode(logs.resolve("sa-bench_isl_" + isl + "_osl_" + osl), logs.resolve("eval_results"), true);
        }

        static Mode server() {
            return new Mode(null, null, false);
        }
    }

    private final SimJob job;
    private final JobDirectory dir;
    private final SimClock clock;
    private final EngineLog logs;
    private final PrintStream out;
    private final Mode mode;
    private final Map<SimRole, List<EngineLog.Proc>> procs = new LinkedHashMap<>();

    SimulatedRun(SimJob job, JobDirectory dir, SimClock clock, EngineLog logs, PrintStream out, Mode mode) {
        this.job = job;
        this.dir = dir;
        this.clock = clock;
        this.logs = logs;
        this.out = out;
        this.mode = mode;
    }

    /** srtctl's whole sweep: the workers, health, then every concurrency and the eval. */
    int execute() throws IOException, InterruptedException {
        Integer failed = start();
        return failed != null ? failed : benchmark();
    }

    /** Workers start, load and warm up, then the API server answers /health; null then, else the exit code. */
    Integer start() throws InterruptedException {
        out.println("sweepd-sim: DEV/TEST engine stand-in (" + EngineSimulator.class.getName() + "): no model runs"
                + " here and every number it writes is synthetic");
        orchestrator(String.format(Locale.ROOT, "orchestrator: slurm job %s on %s: %s %s (%s), %d GPUs of %s"
                        + " (%.2f GiB usable), CUDA_VISIBLE_DEVICES=%s", job.slurmJobId(), job.nodeList(), job.model(),
                job.precision(), job.framework(), job.totalGpus(), job.gpu().name(), job.gpu().usableGib(),
                job.cudaVisibleDevices().isEmpty() ? "(unset)" : job.cudaVisibleDevices()));
        for (SimRole role : job.roles()) {
            procs.put(role, logs.procs(role));
            orchestrator(String.format(Locale.ROOT, "orchestrator: starting %d %s worker(s) of %d GPUs (TP%d, DP%d, EP%d)",
                    role.workers(), role.role(), role.gpusPerWorker(), role.tp(), role.dp(), role.ep()));
        }
        orchestrator(String.format(Locale.ROOT, "orchestrator: waiting for health: %d checks, %d s apart (%d s)",
                job.healthMaxAttempts(), job.healthIntervalSeconds(), job.healthDeadlineSeconds()));

        clock.advance(15); // container start, Python imports
        allProcs().forEach(p -> logs.info(p, "__init__.py:239", "Automatically detected platform cuda."));

        if (job.behaviour().kind() == Behaviour.Kind.EXIT_1) {
            EngineLog.Proc first = allProcs().get(0);
            logs.raw(first, List.of("Traceback (most recent call last):",
                    "RuntimeError: simulated worker failure (SWEEPD_SIM_BEHAVIOUR=exit-1)"));
            return workerDied(first, 1);
        }
        if (job.behaviour().kind() == Behaviour.Kind.FLAKY_ONCE && !Files.isDirectory(dir.root().resolve("attempts"))) {
            EngineLog.Proc first = allProcs().get(0);
            logs.raw(first, List.of("NCCL WARN socketStartConnect: Connect to 10.0.0.12<41223> failed : "
                    + "Connection refused", "RuntimeError: NCCL error: remote process exited or there was a network error"));
            return workerDied(first, 1);
        }
        Integer failed = startupFailure();
        if (failed != null) {
            return failed;
        }
        for (EngineLog.Proc p : allProcs()) {
            logs.info(p, "utils.py:326", "non-default args: " + nonDefaultArgs(p.role()));
            logs.info(p, "parallel_state.py:1165", String.format(Locale.ROOT,
                    "rank %d in world size %d is assigned as DP rank %d, PP rank 0, TP rank 0, EP rank %d",
                    p.rank(), p.role().gpusPerWorker(), p.rank() % p.role().ranksPerWorker(),
                    p.rank() % p.role().ranksPerWorker()));
        }
        failed = parallelConfigFailure();
        if (failed != null) {
            return failed;
        }
        if (job.behaviour().kind() == Behaviour.Kind.SLOW) {
            out.println("sweepd-sim: SWEEPD_SIM_BEHAVIOUR=slow: waiting " + job.behaviour().seconds() + " s (real time)");
            clock.sleepReal(Duration.ofSeconds(job.behaviour().seconds()));
        }

        failed = loadWeights();
        if (failed != null) {
            return failed;
        }
        failed = memoryAndWarmup();
        if (failed != null) {
            return failed;
        }
        if (clock.elapsed() > healthDeadlineSeconds()) {
            orchestrator(Signatures.deadlineReached(job.healthDeadlineSeconds()));
            return 1;
        }
        serve();
        return null;
    }

    /** srtctl gives up on health at its deadline; a lone server keeps loading until the harness stops it. */
    private double healthDeadlineSeconds() {
        return mode.orchestrated() ? job.healthDeadlineSeconds() : Double.MAX_VALUE;
    }

    /** Cases 2 and 3: the worker dies before it parses or validates anything. */
    private Integer startupFailure() {
        if (job.dynamo() && "1.0.1".equals(job.dynamoVersion()) && job.dynamoHash() == null && job.deepSeekV4Image()) {
            for (SimRole role : job.roles()) {
                firstOfEachWorker(role).forEach(p -> logs.raw(p, Signatures.dynamoImport()));
            }
            return workerDied(allProcs().get(0), 1);
        }
        if (job.dynamoVllm()) {
            for (SimRole role : job.roles()) {
                List<String> flags = Signatures.unrecognizedFlags(role.args());
                if (!flags.isEmpty()) {
                    firstOfEachWorker(role).forEach(p -> logs.raw(p, Signatures.unrecognizedArguments(flags)));
                    return workerDied(procs.get(role).get(0), 2);
                }
            }
        }
        return null;
    }

    /** Case 7: a dynamo-vllm worker's TP group is wider than one node. */
    private Integer parallelConfigFailure() {
        if (!job.dynamoVllm()) {
            return null;
        }
        for (SimRole role : job.roles()) {
            if (role.worldSize() > job.gpusPerNode()) {
                firstOfEachWorker(role).forEach(p -> logs.raw(p, Signatures.worldSizeTooLarge(role.worldSize())));
                return workerDied(procs.get(role).get(0), 1);
            }
        }
        return null;
    }

    /** Case 8 while the shards load; weights that exceed the card; then "Model loading took". */
    private Integer loadWeights() throws InterruptedException {
        double modelGb = job.modelGb();
        int shards = Math.max(1, (int) Math.ceil(modelGb / SHARD_GB));
        double loadSeconds = modelGb / Math.max(job.storageGBps(), 1e-6);
        double perShard = loadSeconds / shards;
        List<EngineLog.Proc> loaders = new ArrayList<>();
        job.roles().forEach(role -> loaders.addAll(firstOfEachWorker(role)));
        for (EngineLog.Proc p : allProcs()) {
            logs.info(p, "gpu_model_runner.py:1950", "Starting to load model " + job.model() + "...");
        }
        loaders.forEach(p -> logs.raw(p, Signatures.shardProgress(0, shards, 0)));

        if (job.behaviour().kind() == Behaviour.Kind.HANG) {
            out.println("sweepd-sim: SWEEPD_SIM_BEHAVIOUR=hang: the server will never become healthy");
            while (true) {
                clock.sleepReal(Duration.ofSeconds(1)); // until Slurm or sweepd kills the job
            }
        }

        double loadStart = clock.elapsed();
        int every = Math.max(1, shards / 8);
        for (int s = 1; s <= shards; s++) {
            if (loadStart + s * perShard > healthDeadlineSeconds()) {
                clock.advance(job.healthDeadlineSeconds() - clock.elapsed());
                orchestrator(Signatures.deadlineReached(job.healthDeadlineSeconds()));
                return 1;
            }
            clock.advance(perShard);
            if (s == 1 || s % every == 0 || s == shards) {
                int done = s;
                loaders.forEach(p -> logs.raw(p, Signatures.shardProgress(done, shards, clock.elapsed() - loadStart)));
            }
        }

        for (SimRole role : job.roles()) {
            double weights = weightsGib(role);
            if (job.facts().isPresent() && weights > job.gpu().usableGib()) {
                EngineLog.Proc p = procs.get(role).get(0);
                logs.raw(p, Signatures.loadOom(job.gpu().usableGib(), weights));
                return workerDied(p, 1);
            }
        }
        double took = clock.elapsed() - loadStart + 8.3;
        for (EngineLog.Proc p : allProcs()) {
            logs.info(p, "default_loader.py:308", String.format(Locale.ROOT, "Loading weights took %.2f seconds",
                    clock.elapsed() - loadStart));
            logs.info(p, "gpu_model_runner.py:2011", String.format(Locale.ROOT,
                    "Model loading took %.2f GiB and %.1f seconds", weightsGib(p.role()), took));
        }
        return null;
    }

    /**
     * Cases 4, 5 and 9, in the order the engine meets them: all2all init; the profiling forward pass, where the
     * indexer's transient buffers (uncounted by the profiler) run out at 0.95 on an 80 GB card; KV cache sizing,
     * where weights alone exceed the budget. This is the order the PR met them in: 0.95 failed in the indexer,
     * 0.85 then left no room after the weights.
     */
    private Integer memoryAndWarmup() throws InterruptedException {
        if (job.deepSeekV4() && job.gpu().hopper()) {
            for (SimRole role : job.roles()) {
                JsonNode backend = role.args().get("all2all-backend");
                if (backend == null) {
                    backend = role.args().get("all2all_backend");
                }
                if (backend != null && backend.asText().startsWith("deepep")) {
                    EngineLog.Proc p = procs.get(role).get(Math.min(3, procs.get(role).size() - 1));
                    logs.raw(p, Signatures.nvshmemIpcFailure());
                    return workerDied(p, 1);
                }
            }
        }
        clock.advance(12); // memory profiling: a dummy forward pass, which runs DSV4's sparse-attention indexer
        if (job.deepSeekV4() && job.gpu().eightyGbClass()) {
            for (SimRole role : job.roles()) {
                if (role.memoryFraction() > 0.9) {
                    EngineLog.Proc p = procs.get(role).get(0);
                    logs.raw(p, Signatures.indexerOom(job.gpu().usableGib(), role.memoryFraction()));
                    return workerDied(p, 1);
                }
            }
        }
        for (SimRole role : job.roles()) {
            double budget = job.gpu().usableGib() * role.memoryFraction();
            if (job.facts().isPresent() && weightsGib(role) + RUNTIME_MIN_GIB > budget) {
                EngineLog.Proc p = procs.get(role).get(Math.min(5, procs.get(role).size() - 1));
                logs.raw(p, Signatures.perRankOom(job.gpu().usableGib()));
                return workerDied(p, 1);
            }
        }
        for (EngineLog.Proc p : allProcs()) {
            double kvGib = Math.max(0.5, job.gpu().usableGib() * p.role().memoryFraction() - weightsGib(p.role())
                    - RUNTIME_MIN_GIB - 1.28);
            long tokens = (long) (kvGib * 1024 * 1024 / KV_KIB_PER_TOKEN);
            int maxLen = maxModelLen(p.role());
            logs.info(p, "gpu_worker.py:276", String.format(Locale.ROOT, "Available KV cache memory: %.2f GiB", kvGib));
            logs.info(p, "kv_cache_utils.py:1087", String.format(Locale.ROOT, "GPU KV cache size: %,d tokens", tokens));
            logs.info(p, "kv_cache_utils.py:1091", String.format(Locale.ROOT,
                    "Maximum concurrency for %,d tokens per request: %.2fx", maxLen, (double) tokens / maxLen));
        }
        clock.advance(25); // CUDA graph capture
        for (EngineLog.Proc p : allProcs()) {
            logs.info(p, "gpu_model_runner.py:2700", "Graph capturing finished in 25 secs, took 1.28 GiB");
            logs.info(p, "core.py:210", "init engine (profile, create kv cache, warmup model) took 37.14 seconds");
        }
        return null;
    }

    /** The API server comes up and answers /health. */
    private void serve() {
        PrintWriter frontend = job.dynamo() ? logs.file("frontend.log") : null;
        EngineLog.Proc server = allProcs().get(0);
        List<String> lines = List.of(
                "INFO:     Started server process [" + (4000 + job.totalGpus()) + "]",
                "INFO:     Waiting for application startup.",
                "INFO:     Application startup complete.",
                "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
                "INFO:     127.0.0.1:51514 - \"GET /health HTTP/1.1\" 200 OK");
        if (frontend != null) {
            frontend.println("INFO " + clock.stamp() + " dynamo_frontend: serving " + job.servedModelName()
                    + " with " + job.roles().size() + " worker role(s)");
            lines.forEach(frontend::println);
        } else {
            logs.raw(server, lines);
        }
        int attempt = (int) Math.ceil(clock.elapsed() / job.healthIntervalSeconds());
        orchestrator(String.format(Locale.ROOT, "orchestrator: server healthy after %.0f s (health check %d/%d)",
                clock.elapsed(), attempt, job.healthMaxAttempts()));
    }

    /** Case 6, else one result JSON per concurrency and the eval when a point asks for one (srtctl's sa-bench). */
    private int benchmark() throws IOException, InterruptedException {
        PrintWriter bench = logs.file("benchmark.log");
        Files.createDirectories(mode.resultsDir());
        if (chatTemplateFails(bench)) {
            orchestrator("orchestrator: benchmark sa-bench exited with code 1; no results written");
            return 1;
        }
        List<String> written = new ArrayList<>();
        for (int c : job.concurrencies()) {
            LoadModel.Run run = benchmarkOne(c, mode.resultsDir().resolve(resultFileName(c)), bench);
            written.add(resultFileName(c));
            orchestrator(String.format(Locale.ROOT, "orchestrator: concurrency %d done: %.1f tok/s output, TPOT %.2f ms",
                    c, run.outputThroughput(), run.tpotMs()));
        }
        if (job.evalConcurrency() != null) {
            bench.println("lm-eval: gsm8k at concurrency " + job.evalConcurrency());
            Files.createDirectories(mode.evalDir());
            writeEval(mode.evalDir().resolve("eval_gsm8k.json"), job.evalConcurrency());
            written.add("eval_gsm8k.json");
        }
        orchestrator("orchestrator: sweep finished; results: " + String.join(", ", written));
        return 0;
    }

    /** Case 6: DeepSeek-V4's tokenizer has no chat template, so a client that applies one dies. */
    boolean chatTemplateFails(PrintWriter bench) {
        if (!(job.useChatTemplate() && job.deepSeekV4())) {
            return false;
        }
        bench.println("sa-bench: model " + job.servedModelName() + ", isl " + job.isl() + ", osl " + job.osl()
                + ", use_chat_template=True");
        Signatures.chatTemplateMissing().forEach(bench::println);
        return true;
    }

    /** One concurrency: the client's summary into {@code bench}, its result JSON into {@code file}. */
    LoadModel.Run benchmarkOne(int concurrency, Path file, PrintWriter bench) throws IOException, InterruptedException {
        LoadModel.Run run = LoadModel.run(job, concurrency);
        bench.println(String.format(Locale.ROOT, "sa-bench: concurrency %d, %d prompts, isl %d, osl %d, request rate inf",
                concurrency, run.numPrompts(), job.isl(), job.osl()));
        clock.advance(run.durationS());
        summary(bench, run);
        writeJson(file, resultJson(run));
        return run;
    }

    /** lm-eval's gsm8k result at {@code concurrency}, in lm-eval's results JSON shape. */
    void writeEval(Path file, int concurrency) throws IOException, InterruptedException {
        clock.advance(120);
        writeJson(file, evalJson(concurrency));
    }

    /** {@code results_concurrency_<c>_gpus_<t>.json}, or {@code ..._ctx_<p>_gen_<d>.json} when disaggregated. */
    String resultFileName(int concurrency) {
        String base = "results_concurrency_" + concurrency + "_gpus_" + job.totalGpus();
        return job.disaggregated()
                ? base + "_ctx_" + job.prefillGpus() + "_gen_" + job.decodeGpus() + ".json"
                : base + ".json";
    }

    private Map<String, Object> resultJson(LoadModel.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", RESULT_DATE.format(clock.now()));
        m.put("backend", job.dynamo() ? "dynamo" : job.backendType());
        m.put("model_id", job.servedModelName());
        m.put("tokenizer_id", job.model());
        m.put("num_prompts", run.numPrompts());
        m.put("request_rate", "inf");
        m.put("burstiness", 1.0);
        m.put("max_concurrency", run.concurrency());
        m.put("duration", run.durationS());
        m.put("completed", run.numPrompts());
        m.put("failed", 0);
        m.put("total_input_tokens", run.inputTokens());
        m.put("total_output_tokens", run.outputTokens());
        m.put("request_throughput", r(run.requestThroughput()));
        m.put("request_goodput", r(run.requestThroughput())); // no SLOs given: every request counts
        m.put("output_throughput", r(run.outputThroughput()));
        m.put("total_token_throughput", r(run.totalTokenThroughput()));
        for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
            double mean = switch (metric) {
                case "ttft" -> run.ttftMs();
                case "tpot" -> run.tpotMs();
                case "itl" -> run.itlMs();
                default -> run.e2elMs();
            };
            LoadModel.Stats s = LoadModel.stats(metric, mean);
            m.put("mean_" + metric + "_ms", r(s.mean()));
            m.put("median_" + metric + "_ms", r(s.median()));
            m.put("std_" + metric + "_ms", r(s.std()));
            m.put("p90_" + metric + "_ms", r(s.p90()));
            m.put("p99_" + metric + "_ms", r(s.p99()));
        }
        m.put("simulator", "sweepd EngineSimulator (DEV/TEST): synthetic numbers, not a measurement");
        return m;
    }

    private Map<String, Object> evalJson(int concurrency) {
        double strict = LoadModel.gsm8k(job, false);
        double flexible = LoadModel.gsm8k(job, true);
        Map<String, Object> gsm8k = new LinkedHashMap<>();
        gsm8k.put("alias", "gsm8k");
        gsm8k.put("exact_match,strict-match", r(strict));
        gsm8k.put("exact_match_stderr,strict-match", r(Math.sqrt(strict * (1 - strict) / 1319)));
        gsm8k.put("exact_match,flexible-extract", r(flexible));
        gsm8k.put("exact_match_stderr,flexible-extract", r(Math.sqrt(flexible * (1 - flexible) / 1319)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("results", Map.of("gsm8k", gsm8k));
        m.put("n-samples", Map.of("gsm8k", Map.of("original", 1319, "effective", 1319)));
        m.put("config", Map.of("model", "local-completions", "model_args", "model=" + job.servedModelName(),
                "num_concurrent", concurrency));
        m.put("model_name", job.servedModelName());
        m.put("date", clock.now().getEpochSecond());
        m.put("simulator", "sweepd EngineSimulator (DEV/TEST): synthetic score, not a measurement");
        return m;
    }

    private void summary(PrintWriter bench, LoadModel.Run run) {
        bench.println("============ Serving Benchmark Result ============");
        row(bench, "Successful requests:", String.valueOf(run.numPrompts()));
        row(bench, "Maximum request concurrency:", String.valueOf(run.concurrency()));
        row(bench, "Benchmark duration (s):", f(run.durationS()));
        row(bench, "Total input tokens:", String.valueOf(run.inputTokens()));
        row(bench, "Total generated tokens:", String.valueOf(run.outputTokens()));
        row(bench, "Request throughput (req/s):", f(run.requestThroughput()));
        row(bench, "Output token throughput (tok/s):", f(run.outputThroughput()));
        row(bench, "Total Token throughput (tok/s):", f(run.totalTokenThroughput()));
        bench.println("---------------Time to First Token----------------");
        row(bench, "Mean TTFT (ms):", f(run.ttftMs()));
        row(bench, "Median TTFT (ms):", f(LoadModel.stats("ttft", run.ttftMs()).median()));
        row(bench, "P99 TTFT (ms):", f(LoadModel.stats("ttft", run.ttftMs()).p99()));
        bench.println("-----Time per Output Token (excl. 1st token)------");
        row(bench, "Mean TPOT (ms):", f(run.tpotMs()));
        row(bench, "Median TPOT (ms):", f(LoadModel.stats("tpot", run.tpotMs()).median()));
        row(bench, "P99 TPOT (ms):", f(LoadModel.stats("tpot", run.tpotMs()).p99()));
        bench.println("---------------Inter-token Latency----------------");
        row(bench, "Mean ITL (ms):", f(run.itlMs()));
        row(bench, "Median ITL (ms):", f(LoadModel.stats("itl", run.itlMs()).median()));
        row(bench, "P99 ITL (ms):", f(LoadModel.stats("itl", run.itlMs()).p99()));
        bench.println("==================================================");
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-40s%-10s", label, value));
    }

    private int workerDied(EngineLog.Proc proc, int code) {
        orchestrator(String.format(Locale.ROOT, "orchestrator: worker %s-%d exited with code %d before the server"
                + " became healthy; cancelling job", proc.role().label(), proc.worker(), code));
        return code;
    }

    /** Weights one rank of the role holds, by the same arithmetic as preflight ({@link RankWeights}). */
    private double weightsGib(SimRole role) {
        return job.facts()
                .map(f -> RankWeights.of(f, role.gpusPerWorker(), role.ep(), role.dpAttn()).perRankGib())
                .orElse(job.modelGb() / RankWeights.GB_PER_GIB / Math.max(1, role.gpusPerWorker()));
    }

    private int maxModelLen(SimRole role) {
        return EngineArgs.maxModelLen(roleConfigStub(role), role.role()).map(EngineArgs.Arg::value)
                .orElse(job.isl() + job.osl() + 256);
    }

    /** EngineArgs reads arguments out of a whole recipe; give it one holding just this role's. */
    private ObjectNode roleConfigStub(SimRole role) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("backend").put("type", job.backendType())
                .putObject(job.backendType() + "_config").set(role.role(), role.args());
        return root;
    }

    private String nonDefaultArgs(SimRole role) {
        Map<String, Object> args = new LinkedHashMap<>();
        role.args().fields().forEachRemaining(e -> args.put(e.getKey().replace('-', '_'),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return args.toString();
    }

    private List<EngineLog.Proc> allProcs() {
        List<EngineLog.Proc> all = new ArrayList<>();
        procs.values().forEach(all::addAll);
        return all;
    }

    private List<EngineLog.Proc> firstOfEachWorker(SimRole role) {
        return procs.get(role).stream().filter(EngineLog.Proc::firstOfWorker).toList();
    }

    /** srtctl's own lines, on the job's stdout; a lone server has no orchestrator. */
    private void orchestrator(String line) {
        if (!mode.orchestrated()) {
            return;
        }
        out.println(line);
        out.flush();
    }

    private static void writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(value) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static double r(double value) {
        return LoadModel.round(value, 4);
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
