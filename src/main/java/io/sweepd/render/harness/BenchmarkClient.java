package io.sweepd.render.harness;

import io.sweepd.profiles.ClusterProfile;
import io.sweepd.results.ResultFileName;

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

    /** InferenceMAX's workflows run every fixed-seq-len benchmark at this input/output length spread. */
    public static final String RANDOM_RANGE_RATIO = "0.8";
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
                "--random-input-len", Integer.toString(isl),
                "--random-output-len", Integer.toString(osl),
                "--random-range-ratio", RANDOM_RANGE_RATIO,
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
