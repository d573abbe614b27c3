package io.sweepd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of the seed PR's failures (fixtures/seed-pr/failure-logs), line for line in the same shapes, so
 * a classifier built on the fixtures recognises the simulator's logs. Numbers that depend on the job
 * (GiB, world size, deadline) are computed; the rest is the fixtures' text.
 */
final class Signatures {

    /**
     * Engine flags Dynamo's vLLM worker parser does not take, in the order its error lists them: the first two
     * are vLLM API-server (frontend) flags and are what the seed's log names; the recipe also carried the other
     * two, which the PR removed from the workers in the same change.
     */
    static final List<String> FRONTEND_ONLY_FLAGS = List.of("enable-auto-tool-choice", "tool-call-parser",
            "tokenizer-mode", "reasoning-parser");

    private Signatures() {
    }

    /** Case 2: ai-dynamo 1.0.1 imports a module the DSV4 vLLM wheel removed. */
    static List<String> dynamoImport() {
        return List.of(
                "Traceback (most recent call last):",
                "  File \"<frozen runpy>\", line 198, in _run_module_as_main",
                "  File \"/opt/dynamo/venv/lib/python3.12/site-packages/dynamo/vllm/__main__.py\", line 4, in <module>",
                "    from dynamo.vllm.main import main",
                "  File \"/opt/dynamo/venv/lib/python3.12/site-packages/dynamo/vllm/handlers.py\", line 17, in <module>",
                "    from vllm.inputs.data import TokensPrompt",
                "ModuleNotFoundError: No module named 'vllm.inputs.data'");
    }

    /** The frontend-only flags a worker's arguments carry, as argparse would list them ({@code --flag value}). */
    static List<String> unrecognizedFlags(ObjectNode args) {
        List<String> out = new ArrayList<>();
        for (String flag : FRONTEND_ONLY_FLAGS) {
            for (String spelling : List.of(flag, flag.replace('-', '_'))) {
                JsonNode value = args.get(spelling);
                if (value == null || value.isNull() || value.isBoolean() && !value.booleanValue()) {
                    continue;
                }
                out.add("--" + flag);
                if (!value.isBoolean()) {
                    out.add(value.asText());
                }
                break;
            }
        }
        return out;
    }

    /** Case 3: Dynamo's worker refuses vLLM API-server flags. */
    static List<String> unrecognizedArguments(List<String> flags) {
        return List.of(
                "usage: python3 -m dynamo.vllm [-h] [--model MODEL] [--is-prefill-worker] ...",
                "python3 -m dynamo.vllm: error: unrecognized arguments: " + String.join(" ", flags));
    }

    /**
     * Case 7: Dynamo starts one vLLM process per GPU, so each process sees one GPU of its node and a
     * tensor-parallel group wider than that is refused at config validation.
     */
    static List<String> worldSizeTooLarge(int worldSize) {
        return List.of(
                "pydantic_core._pydantic_core.ValidationError: 1 validation error for ParallelConfig",
                "  Value error, World size (" + worldSize + ") is larger than the number of available GPUs (1) in this"
                        + " node. If this is intentional and you are using:",
                "- ray, set '--distributed-executor-backend ray'.",
                "- multiprocessing, set '--nnodes' appropriately.");
    }

    /** tqdm's line for safetensors shard loading, as vLLM prints it. */
    static String shardProgress(int done, int total, double elapsedS) {
        int percent = total == 0 ? 100 : done * 100 / total;
        if (done == 0) {
            return String.format(Locale.ROOT, "Loading safetensors checkpoint shards: %3d%% Completed | 0/%d [00:00<?, ?it/s]",
                    percent, total);
        }
        double perShard = elapsedS / done;
        double remaining = perShard * (total - done);
        return String.format(Locale.ROOT, "Loading safetensors checkpoint shards: %3d%% Completed | %d/%d [%s<%s, %.2fs/it]",
                percent, done, total, tqdmTime(elapsedS), tqdmTime(remaining), perShard);
    }

    /** Case 8: srt-slurm's orchestrator gives up waiting for health. */
    static String deadlineReached(int deadlineSeconds) {
        return "orchestrator: deadline of " + deadlineSeconds + " s reached before the server became healthy; cancelling job";
    }

    /** Case 4: NVSHMEM's host IPC bootstrap (deepep all2all) fails in the cu129 DSV4 wheel on Hopper. */
    static List<String> nvshmemIpcFailure() {
        return List.of(
                "/dvs/p4/build/sw/rel/gpgpu/toolkit/r12.9/main_nvshmem/src/host/mem/mem_heap.cpp:exchange_heap_memory_handle:781: Fatal IPC Failure",
                "IPC failure: Sending data over socket failed: No such file or directory");
    }

    /** Case 9: the weights leave no room, so the first allocation after loading fails. */
    static List<String> perRankOom(double usableGib) {
        return List.of(
                "ERROR [core.py:708] EngineCore failed to start.",
                "Traceback (most recent call last):",
                "  File \".../vllm/v1/worker/gpu_worker.py\", line 276, in determine_available_memory",
                String.format(Locale.ROOT, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB."
                        + " GPU 0 has a total capacity of %.2f GiB of which 41.00 MiB is free. Including non-PyTorch"
                        + " memory, this process has %.2f GiB memory in use.", usableGib, usableGib - 0.05));
    }

    /** Weights larger than the whole card: the loader itself runs out of memory. */
    static List<String> loadOom(double usableGib, double weightsGib) {
        return List.of(
                "Traceback (most recent call last):",
                "  File \".../vllm/model_executor/model_loader/default_loader.py\", line 269, in load_weights",
                String.format(Locale.ROOT, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.75 GiB."
                        + " GPU 0 has a total capacity of %.2f GiB of which 0.31 GiB is free. Including non-PyTorch"
                        + " memory, this process has %.2f GiB memory in use. (this rank needs %.2f GiB of weights)",
                        usableGib, usableGib - 0.31, weightsGib));
    }

    /** Case 5: DSV4's Lightning Indexer allocates transient buffers vLLM's profiling does not count. */
    static List<String> indexerOom(double usableGib, double memoryFraction) {
        return List.of(
                "Traceback (most recent call last):",
                "  File \".../vllm/v1/worker/gpu_model_runner.py\", line 3105, in _dummy_run",
                "  File \".../vllm/model_executor/layers/sparse_attn_indexer.py\", line 122, in forward",
                String.format(Locale.ROOT, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB."
                        + " GPU 0 has a total capacity of %.2f GiB of which 93.00 MiB is free. PyTorch: %.2f GiB |"
                        + " CUDA Graphs: 1.28 GiB", usableGib, usableGib * memoryFraction - 2.24));
    }

    /** Case 6: the benchmark client applies a chat template the DSV4-Pro tokenizer does not ship. */
    static List<String> chatTemplateMissing() {
        return List.of(
                "Traceback (most recent call last):",
                "  File \"/srtctl-benchmarks/sa-bench/benchmark_serving.py\", line 346, in sample_random_requests",
                "    chat_template_dummy = tokenizer.apply_chat_template(",
                "ValueError: Cannot use chat template functions because tokenizer.chat_template is not set and no"
                        + " template argument was passed!");
    }

    /** tqdm's {@code MM:SS} or {@code H:MM:SS}. */
    static String tqdmTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
