package io.sweepd.render.harness;

import io.sweepd.core.ResultFileName;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client a single-node job runs for agentic-coding points: InferenceMAX's trace replay, {@code aiperf profile
 * --scenario inferencex-agentx-mvp}, with the flags of InferenceMAX's benchmarks/benchmark_lib.sh
 * ({@code build_replay_cmd}) and the point's concurrency and duration. aiperf is the one InferenceMAX installs from
 * its {@code utils/aiperf} (aiperf 0.8.0 with the inferencex-agentx-mvp scenario); the job finds it on PATH, in the
 * image or the profile's venv.
 *
 * <p>Where sweepd differs from build_replay_cmd, and why:
 * <ul>
 *   <li>Traces: InferenceMAX downloads the corpus from the Hugging Face hub in every job and replays it with
 *       {@code --public-dataset semianalysis_cc_traces_weka_with_subagents}. Compute nodes here do not reach the hub,
 *       so the profile names a local copy ({@code launcher.agentic.traces}: one Weka trace JSON per trace) and aiperf
 *       reads it with {@code --custom-dataset-type weka_trace --input-file <dir>}, the offline loader its
 *       inferencex-agentx-mvp scenario accepts as well (utils/aiperf/docs/tutorials/agentx-mvp.md); both loaders
 *       rebuild conversations with the same code. The file loader reads every trace in the directory;
 *       {@code --num-dataset-entries 472} (the corpus' size) is passed as InferenceMAX passes it.</li>
 *   <li>{@code --tokenizer}: the server's model path, so prompts are built from the weights' own tokenizer without
 *       a hub lookup (InferenceMAX's MODEL is a hub id it downloaded just before).</li>
 *   <li>{@code --max-context-length}: the server's max length when its configuration sets one (InferenceMAX passes
 *       its MAX_MODEL_LEN, the same value it gives the server), so no trace longer than the server accepts is
 *       replayed; none when the server runs with the model's own length.</li>
 * </ul>
 * Durations under the scenario's 900 s minimum get {@code --unsafe-override}, as InferenceMAX does: aiperf then
 * runs and stamps {@code submission_valid: false} on its result.
 *
 * <p>Output: aiperf writes its artifacts ({@code profile_export_aiperf.json}, the per-request
 * {@code profile_export.jsonl}, server metrics) into {@code results/aiperf_concurrency_<c>_gpus_<t>/}, the
 * directory name {@link ResultFileName} reads the concurrency and GPUs from.
 *
 * @param servedName the model name the server answers to
 * @param tokenizer  the model path the server loaded (or its Hugging Face id)
 * @param traces     the profile's trace directory
 * @param maxContext the server's max length, or null when it does not set one
 */
public record AgenticClient(String servedName, String tokenizer, int port, String traces, Integer maxContext) {

    /** aiperf's scenario: InferenceX's agentic-coding rules (trace replay, warm-up, cache busting, idle-gap cap). */
    public static final String SCENARIO = "inferencex-agentx-mvp";
    /** The scenario refuses shorter runs; InferenceMAX overrides it for short smoke runs. */
    public static final int SCENARIO_MIN_DURATION_SECONDS = 900;
    /** The with-subagents corpus' trace count; the cap InferenceMAX passes so every trace is loaded. */
    static final int DATASET_ENTRIES = 472;

    /**
     * Set for the client as benchmark_lib.sh exports them: building the replay dataset takes 4-5 min on fast disks
     * and up to 14 on slow ones, past aiperf's 900 s default; both timeouts move together (aiperf checks that the
     * service timeout is at least the dataset's). Pre-recorded assistant turns, InferenceMAX's default, explicitly.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "AIPERF_DATASET_CONFIGURATION_TIMEOUT", "1800",
            "AIPERF_SERVICE_PROFILE_CONFIGURE_TIMEOUT", "1800",
            "AIPERF_DATASET_WEKA_LIVE_ASSISTANT_RESPONSES", "0");

    /** The directory aiperf writes one concurrency's artifacts into. */
    public static String artifactDirName(int concurrency, int totalGpus) {
        return ResultFileName.agenticDirName(concurrency, totalGpus);
    }

    public List<String> benchmark(int concurrency, int durationSeconds, int totalGpus, Path resultsDir) {
        List<String> argv = new ArrayList<>(List.of("aiperf", "profile",
                "--scenario", SCENARIO,
                "--url", "http://" + ServerCommand.HOST + ":" + port,
                "--endpoint", "/v1/chat/completions",
                "--endpoint-type", "chat",
                "--streaming",
                "--model", servedName,
                "--tokenizer", tokenizer,
                "--concurrency", Integer.toString(concurrency),
                "--benchmark-duration", Integer.toString(durationSeconds),
                "--random-seed", "42",
                // InferenceMAX: tolerate rare transient errors in long runs, stop a run that is mostly failing.
                "--failed-request-threshold", "0.10",
                // Warm-up starts each trajectory at 25-75 % of its turns, not at a cold turn 0.
                "--trajectory-start-min-ratio", "0.25",
                "--trajectory-start-max-ratio", "0.75",
                // Lengths from the server's usage fields: exact for vLLM, and no client-side re-tokenizing.
                "--use-server-token-count",
                // Some tokenizers (Kimi) ship code; harmless for the others.
                "--tokenizer-trust-remote-code"));
        if (maxContext != null && maxContext > 0) {
            argv.addAll(List.of("--max-context-length", Integer.toString(maxContext)));
        }
        argv.addAll(List.of(
                "--num-dataset-entries", Integer.toString(DATASET_ENTRIES),
                // 1 s time slices of the server metrics, for per-window KV usage and hit-rate series.
                "--slice-duration", "1.0",
                "--output-artifact-dir", resultsDir.resolve(artifactDirName(concurrency, totalGpus)).toString()));
        if (durationSeconds < SCENARIO_MIN_DURATION_SECONDS) {
            argv.add("--unsafe-override");
        }
        argv.addAll(List.of("--custom-dataset-type", "weka_trace", "--input-file", traces));
        return List.copyOf(argv);
    }
}
