package io.sweepd.render.harness;

import io.sweepd.core.ResultFileName;
import io.sweepd.profiles.ClusterProfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client commands a single-node job runs against its live server, with InferenceMAX's benchmark parameters
 * (benchmarks/benchmark_lib.sh, run_benchmark_serving; the workflows' RANDOM_RANGE_RATIO):
 * {@code vllm bench serve} on the random dataset, 10 prompts per unit of concurrency, twice the concurrency in
 * warm-up requests, saving its JSON under the result file contract
 * ({@code results_concurrency_<c>_gpus_<t>.json}, which {@link ResultFileName} parses back); and lm-eval
 * through the server's OpenAI completions endpoint for points marked {@code run-eval}, on the profile's eval tasks
 * ({@code launcher.eval}: InferenceMAX's gsm8k unless the cluster names others).
 *
 * @param servedName the model name the server answers to
 * @param tokenizer  where the client loads the tokenizer from (the server's model path or Hugging Face id)
 * @param eval       the lm-eval tasks and where extra task definitions are
 */
public record BenchmarkClient(String servedName, String tokenizer, int port, ClusterProfile.Eval eval) {

    /**
     * InferenceMAX's workflows run every fixed-seq-len benchmark with {@code --random-range-ratio 0.8} on their
     * bench_serving/benchmark_serving.py, whose random lengths are uniform in [0.8 x len, len]. {@code vllm bench
     * serve} (vLLM 0.9 on) reads the same flag as a symmetric spread around the length, [len' x (1 - r'),
     * len' x (1 + r')]: passed 0.8 as it is, prompts run to 1.8 x isl, past InferenceMAX's max-model-len
     * (isl + osl + 256), and the server rejects them (400 Bad Request). So the client is asked for the midpoint of
     * InferenceMAX's range and the spread that reaches both of its ends ({@link #randomLength}, {@link #SPREAD}).
     */
    public static final double RANDOM_RANGE_RATIO = 0.8;
    /** r' = (1 - 0.8) / (1 + 0.8): the midpoint 0.9 x len, +-1/9 of it, is [0.8 x len, len]. */
    static final String SPREAD = String.format(java.util.Locale.ROOT, "%.6f",
            (1 - RANDOM_RANGE_RATIO) / (1 + RANDOM_RANGE_RATIO));
    public static final int PROMPTS_PER_CONCURRENCY = 10;
    /** The file name the result of one concurrency is saved under. */
    public static String resultFileName(int concurrency, int totalGpus) {
        return "results_concurrency_" + concurrency + "_gpus_" + totalGpus + ".json";
    }

    public List<String> benchmark(int concurrency, int isl, int osl, int totalGpus, Path resultsDir) {
        return List.of("vllm", "bench", "serve",
                "--backend", "openai",
                "--base-url", baseUrl(),
                "--endpoint", "/v1/completions",
                "--model", servedName,
                "--tokenizer", tokenizer,
                "--dataset-name", "random",
                "--random-input-len", Integer.toString(randomLength(isl)),
                "--random-output-len", Integer.toString(randomLength(osl)),
                "--random-range-ratio", SPREAD,
                "--num-prompts", Integer.toString(PROMPTS_PER_CONCURRENCY * concurrency),
                "--max-concurrency", Integer.toString(concurrency),
                "--request-rate", "inf",
                "--ignore-eos",
                "--num-warmups", Integer.toString(2 * concurrency),
                "--percentile-metrics", "ttft,tpot,itl,e2el",
                "--save-result",
                "--result-dir", resultsDir.toString(),
                "--result-filename", resultFileName(concurrency, totalGpus));
    }

    /**
     * The length {@code vllm bench serve} is given for InferenceMAX's length {@code len}: the midpoint of
     * [0.8 x len, len], rounded down so the longest sample (rounded up by the client) stays within {@code len}.
     */
    static int randomLength(int len) {
        return Math.max(1, (int) Math.floor(len * (1 + RANDOM_RANGE_RATIO) / 2));
    }

    /**
     * lm-eval's {@code local-completions} model against the live server; it writes
     * {@code <output>/<model>/results_<time>.json}, which the collector reads as an eval file.
     */
    public List<String> eval(int concurrency, Path outputDir) {
        String modelArgs = String.join(",",
                "model=" + servedName,
                "base_url=" + baseUrl() + "/v1/completions",
                "tokenizer=" + tokenizer,
                "num_concurrent=" + concurrency,
                "max_retries=5",
                "tokenized_requests=False");
        List<String> argv = new ArrayList<>(List.of("lm_eval",
                "--model", "local-completions",
                "--model_args", modelArgs,
                "--tasks", String.join(",", eval.tasks())));
        if (eval.includePath() != null) {
            argv.addAll(List.of("--include_path", eval.includePath()));
        }
        argv.addAll(List.of("--output_path", outputDir.toString(), "--log_samples"));
        return List.copyOf(argv);
    }

    private String baseUrl() {
        return "http://" + ServerCommand.HOST + ":" + port;
    }
}
