package io.sweepd.profiles;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What sweepd knows about one Slurm cluster (or one partition of it): which runner labels it serves,
 * how to ask Slurm for resources, what hardware a job gets, how a job is launched and how long each
 * phase may take. Loaded from {@code cluster-profiles/NAME.yaml}; the file's keys are the kebab-case
 * forms of these component names.
 *
 * @param runnerNodes      how many of InferenceMAX's runners.yaml nodes of a label are on this cluster; when
 *                         several profiles serve a label, the one with the most takes its points by default
 * @param containerRuntime how the cluster's launch script runs the engine's image: {@code pyxis} (srun
 *                         --container-image, enroot squash files), {@code docker}, {@code apptainer} or
 *                         {@code none}; null when not stated
 * @param assumed          facts of this profile that no source establishes, by dotted key
 *                         ({@code hardware.usable-gib}), with how the value was derived; preflight names them
 *                         in every refusal whose numbers rest on them
 * @param limits           how many of this profile's jobs may be in Slurm's queue at once and how many may be
 *                         submitted per minute; the rest wait in the ledger, PLANNED
 */
public record ClusterProfile(
        String name,
        String description,
        List<String> runners,
        Map<String, Integer> runnerNodes,
        Slurm slurm,
        Hardware hardware,
        Paths paths,
        String containerRuntime,
        Launcher launcher,
        Deadlines deadlines,
        Features features,
        Retry retry,
        Map<String, String> assumed,
        Limits limits) {

    public ClusterProfile {
        limits = limits == null ? Limits.UNLIMITED : limits;
        runners = runners == null ? List.of() : List.copyOf(runners);
        runnerNodes = runnerNodes == null ? Map.of() : Map.copyOf(runnerNodes);
        features = features == null ? new Features(false) : features;
        retry = retry == null ? Retry.DEFAULT : retry;
        // Sorted, so notes that name several assumptions read the same every time.
        assumed = assumed == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(assumed));
    }

    /** A profile without submission limits. */
    public ClusterProfile(String name, String description, List<String> runners, Map<String, Integer> runnerNodes,
                          Slurm slurm, Hardware hardware, Paths paths, String containerRuntime, Launcher launcher,
                          Deadlines deadlines, Features features, Retry retry, Map<String, String> assumed) {
        this(name, description, runners, runnerNodes, slurm, hardware, paths, containerRuntime, launcher, deadlines,
                features, retry, assumed, Limits.UNLIMITED);
    }

    /** A profile of established facts only, as tests and older callers build them. */
    public ClusterProfile(String name, String description, List<String> runners, Slurm slurm, Hardware hardware,
                          Paths paths, Launcher launcher, Deadlines deadlines,
                          Features features, Retry retry) {
        this(name, description, runners, Map.of(), slurm, hardware, paths, null, launcher, deadlines,
                features, retry, Map.of());
    }

    /** This profile under another name (a file's name fills in an absent {@code name} key). */
    public ClusterProfile named(String newName) {
        return new ClusterProfile(newName, description, runners, runnerNodes, slurm, hardware, paths,
                containerRuntime, launcher, deadlines, features, retry, assumed, limits);
    }

    /** The runners.yaml nodes of {@code runner} on this cluster; 0 when the profile does not say. */
    public int runnerNodesOf(String runner) {
        return runnerNodes.getOrDefault(runner, 0);
    }

    /**
     * " (hardware.nodes of profile P is assumed: why)" for each of {@code facts} this profile marks assumed,
     * to end a message whose numbers rest on them; empty when they are all established.
     */
    public String assumptionNote(String... facts) {
        StringBuilder note = new StringBuilder();
        for (String fact : facts) {
            String why = assumed.get(fact);
            if (why != null) {
                note.append(String.format(Locale.ROOT, " (%s of profile %s is assumed: %s)", fact, name, why));
            }
        }
        return note.toString();
    }

    /**
     * How jobs ask Slurm for resources.
     *
     * @param gpuDirective {@code gpus-per-node} (--gpus-per-node=N) or {@code gres} (--gres=gpu[:type]:N)
     * @param gresType     the GRES type name used with {@code gres} (e.g. h100), or null for untyped
     * @param exclude      nodes the cluster's launch script keeps jobs off ({@code --exclude}), or null
     * @param extraDirectives further {@code #SBATCH} options, verbatim (profile authors are trusted; sweep files are not)
     */
    public record Slurm(
            String partition,
            String account,
            String qos,
            String timeLimit,
            String gpuDirective,
            String gresType,
            boolean exclusive,
            boolean segment,
            String exclude,
            List<String> extraDirectives) {

        public Slurm {
            extraDirectives = extraDirectives == null ? List.of() : List.copyOf(extraDirectives);
        }

        /** Without node exclusions. */
        public Slurm(String partition, String account, String qos, String timeLimit, String gpuDirective,
                     String gresType, boolean exclusive, boolean segment, List<String> extraDirectives) {
            this(partition, account, qos, timeLimit, gpuDirective, gresType, exclusive, segment, null,
                    extraDirectives);
        }
    }

    /**
     * @param gpu          GPU model label, lower case (h100, h200, gb200)
     * @param architecture hopper, blackwell, ...
     * @param gpuMemoryGb  the card's nominal memory in GB (80, 141, 186), used in messages
     * @param usableGib    memory PyTorch reports as usable per GPU, in GiB (79.19 on an H100 80GB)
     * @param nodes        nodes in the pool a sweep may use
     * @param nvlinkDomain GPUs in one NVLink domain (8 on HGX, 72 on NVL72)
     */
    public record Hardware(
            String gpu,
            String architecture,
            double gpuMemoryGb,
            double usableGib,
            int gpusPerNode,
            int nodes,
            int nvlinkDomain) {

        public int totalGpus() {
            return gpusPerNode * nodes;
        }
    }

    /**
     * Where models, container images (squash files), srt-slurm recipes and the Hugging Face hub cache the
     * launch script mounts live on the cluster.
     *
     * @param modelAliases   srt-slurm model aliases (srtslurm.yaml {@code model_paths}): alias to weights directory
     * @param venv           a Python virtual environment with the engine installed, for {@code container-runtime: none}
     *                       (bare metal) single-node jobs; null to use whatever the node's PATH finds
     * @param srtSlurm       an srt-slurm checkout with srtctl installed (scripts/install-srtctl.sh), on a file system
     *                       the compute nodes see; the srt-slurm launcher runs srtctl from it. A login node has no
     *                       internet, so a job never clones srt-slurm itself.
     * @param srtSlurmPython the python of srtctl's venv; null means {@code <srt-slurm>/.venv/bin/python}. Set it
     *                       when the compute nodes need a venv of their own architecture (aarch64 GB200 trays
     *                       behind an x86_64 login node)
     */
    public record Paths(String models, String containers, String recipes, String hfCache,
                        Map<String, String> modelAliases, String venv, String srtSlurm, String srtSlurmPython) {

        public Paths {
            modelAliases = modelAliases == null ? Map.of() : Map.copyOf(modelAliases);
        }

        /** Without a virtual environment or an srt-slurm installation. */
        public Paths(String models, String containers, String recipes, String hfCache,
                     Map<String, String> modelAliases) {
            this(models, containers, recipes, hfCache, modelAliases, null, null, null);
        }

        /** Without a hub cache. */
        public Paths(String models, String containers, String recipes, Map<String, String> modelAliases) {
            this(models, containers, recipes, null, modelAliases);
        }

        /**
         * The cached copy of an image under {@link #containers}: the image with {@code / : @ #} replaced by
         * {@code _} plus the extension ({@code sqsh} for enroot, {@code sif} for apptainer), exactly as
         * InferenceMAX's launch scripts name them, so a cluster's existing cache is reused.
         */
        public String imageFile(String image, String extension) {
            return java.nio.file.Path.of(containers, image.replaceAll("[/:@#]", "_") + "." + extension).toString();
        }
    }

    /**
     * What the job script runs ({@code single-node-type}, when set, for single-node jobs): {@code srt-slurm}
     * (srtctl's in-allocation sweep, {@code srtctl.cli.do_sweep}, from
     * the installation {@link Paths#srtSlurm} names, on the recipe and srtslurm.yaml sweepd writes),
     * {@code single-node} (sweepd's own harness: one server in the profile's container, the benchmark client once
     * per concurrency, lm-eval for run-eval points), or {@code command} (the cluster's own script, {@code command}
     * argv with the job directory appended).
     */
    public record Launcher(String type, List<String> command, Map<String, String> environment,
                           String singleNodeType, Eval eval, Agentic agentic) {

        public Launcher {
            command = command == null ? List.of() : List.copyOf(command);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            eval = eval == null ? Eval.DEFAULT : eval;
            agentic = agentic == null ? Agentic.NONE : agentic;
        }

        /** Without agentic-coding settings. */
        public Launcher(String type, List<String> command, Map<String, String> environment, String singleNodeType,
                        Eval eval) {
            this(type, command, environment, singleNodeType, eval, null);
        }

        /** One launcher for every job, with InferenceMAX's eval ({@link Eval#DEFAULT}). */
        public Launcher(String type, List<String> command, Map<String, String> environment) {
            this(type, command, environment, null, null);
        }

        /**
         * The launcher type of a job of this shape: {@code single-node-type} for single-node jobs when the profile
         * names one (a cluster whose runners take both kinds, as InferenceMAX's launch scripts branch on
         * IS_MULTINODE), else {@code type}.
         */
        public String typeFor(boolean multinode) {
            return multinode || singleNodeType == null ? type : singleNodeType;
        }
    }

    /**
     * What lm-eval runs for points marked run-eval on the single-node launcher ({@code launcher.eval}).
     *
     * @param tasks       lm-eval task names; default gsm8k, InferenceMAX's eval
     * @param includePath a directory of extra lm-eval task definitions on the cluster ({@code --include_path}), for
     *                    tasks lm-eval does not ship; null for none
     */
    public record Eval(List<String> tasks, String includePath) {

        public static final Eval DEFAULT = new Eval(List.of("gsm8k"), null);

        public Eval {
            tasks = tasks == null || tasks.isEmpty() ? List.of("gsm8k") : List.copyOf(tasks);
        }
    }

    /**
     * What the single-node launcher needs for agentic-coding points ({@code launcher.agentic}), which replay
     * recorded coding-agent traces with InferenceMAX's client (aiperf) instead of random prompts.
     *
     * @param traces      a directory on the cluster holding the trace corpus InferenceMAX replays, one Weka-format
     *                    trace JSON file per trace (the rows of {@code semianalysisai/cc-traces-weka-with-subagents-052726},
     *                    each written to its own {@code <id>.json}); mounted into the container and given to aiperf as
     *                    {@code --custom-dataset-type weka_trace --input-file}. InferenceMAX downloads the corpus from the
     *                    Hugging Face hub in every job; compute nodes here have no hub, so it is read from this path.
     *                    Null: agentic points are refused on this profile.
     * @param kvOffloadGb host memory, in GB, the KV-cache offload pool of one job may take (InferenceMAX's
     *                    {@code TOTAL_CPU_DRAM_GB}); null: InferenceMAX's workflow default,
     *                    {@value #DEFAULT_KV_OFFLOAD_GB}
     */
    public record Agentic(String traces, Integer kvOffloadGb) {

        /** benchmark-tmpl.yml's {@code total-cpu-dram-gb} default, which run-sweep.yml never overrides. */
        public static final int DEFAULT_KV_OFFLOAD_GB = 2500;

        public static final Agentic NONE = new Agentic(null, null);

        public int kvOffloadGbOrDefault() {
            return kvOffloadGb == null ? DEFAULT_KV_OFFLOAD_GB : kvOffloadGb;
        }
    }

    /** This profile as it launches jobs of one shape: its launcher resolved to that shape's type. */
    public ClusterProfile launching(boolean multinode) {
        String effective = launcher.typeFor(multinode);
        if (effective.equals(launcher.type()) && launcher.singleNodeType() == null) {
            return this;
        }
        return new ClusterProfile(name, description, runners, runnerNodes, slurm, hardware, paths, containerRuntime,
                new Launcher(effective, launcher.command(), launcher.environment(), null, launcher.eval(),
                        launcher.agentic()), deadlines,
                features, retry, assumed, limits);
    }

    /** Seconds until the first log line, until the server is healthy, and for the whole job. */
    public record Deadlines(int firstLogSeconds, int healthySeconds, int totalSeconds) {
    }

    /**
     * @param headlessMultinode the cluster's Dynamo/vLLM setup can run one engine across nodes
     *                          (headless workers), so cross-node tensor parallelism is possible
     */
    public record Features(boolean headlessMultinode) {
    }

    /**
     * How much of Slurm's queue this profile's jobs may take ({@code limits}), so one large sweep neither floods the
     * queue past a QOS's MaxSubmitJobs (where sbatch refuses the rest) nor hammers slurmctld with a burst of sbatch
     * calls. Jobs over a limit stay PLANNED in the ledger, with the reason, until a slot frees.
     *
     * @param maxQueuedJobs        the most jobs Slurm holds for this profile at once (submitting, pending, running,
     *                             requeued); null: no limit
     * @param submissionsPerMinute the most sbatch calls started in any 60 s; null: no limit
     */
    public record Limits(Integer maxQueuedJobs, Integer submissionsPerMinute) {

        public static final Limits UNLIMITED = new Limits(null, null);

        public boolean limited() {
            return maxQueuedJobs != null || submissionsPerMinute != null;
        }
    }

    /**
     * What happens to a job that dies of a transient cause (triage says retryable: node failure, communication
     * bootstrap flake, preemption, controller unreachable): it is submitted again, up to {@code maxAttempts}
     * in all, after {@code backoffSeconds}, and with the nodes it ran on excluded when
     * {@code excludeFailedNodes}. Deterministic failures are never retried blindly.
     */
    public record Retry(int maxAttempts, int backoffSeconds, boolean excludeFailedNodes) {

        public static final Retry DEFAULT = new Retry(3, 60, true);
    }
}
