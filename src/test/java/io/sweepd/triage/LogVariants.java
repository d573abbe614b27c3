package io.sweepd.triage;

import io.sweepd.Fixtures;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Realistic surroundings for the seed's failure lines: what a failed multi-node vLLM job's log looks like around
 * the one line that matters. Seeded, so a failure reproduces.
 */
final class LogVariants {

    static final String SEED_LOGS = "seed-pr/failure-logs/";
    private static final Pattern PREFIX = Pattern.compile("^\\[([a-z]+-\\d+)] (.*)$");
    private static final String ESC = "\u001B";

    private final Random random;
    private int second;

    LogVariants(long seed) {
        this.random = new Random(seed);
    }

    static List<String> fixtureLines(String name) {
        try {
            return Files.readAllLines(Fixtures.fixture(SEED_LOGS + name), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ordinary line of a vLLM/NCCL/Dynamo worker, with or without a rank prefix. */
    String noise(String rank) {
        String stamp = String.format(Locale.ROOT, "04-24 19:%02d:%02d", (second / 60) % 60, second % 60);
        second++;
        int gpu = random.nextInt(8);
        String line = switch (random.nextInt(16)) {
            case 0 -> "INFO " + stamp + " [__init__.py:239] Automatically detected platform cuda.";
            case 1 -> "INFO " + stamp + " [parallel_state.py:1165] rank " + gpu + " in world size 16 is assigned as"
                    + " DP rank " + gpu + ", PP rank 0, TP rank 0, EP rank " + gpu;
            case 2 -> "h100-dgxc-slurm-16:2211:2211 [" + gpu + "] NCCL INFO Channel 0" + gpu + "/32 : 0[" + gpu
                    + "] -> 1[" + gpu + "] via P2P/CUMEM/read";
            case 3 -> "h100-dgxc-slurm-16:2211:2283 [" + gpu + "] NCCL INFO NET/IB : Using [0]mlx5_0:1/IB"
                    + " [1]mlx5_3:1/IB ; OOB ibp26s0:10.0.0.16<0>";
            case 4 -> "h100-dgxc-slurm-16:2211:2211 [" + gpu + "] NCCL INFO NET/Plugin: Could not find:"
                    + " libnccl-net.so. Using internal network plugin.";
            case 5 -> "h100-dgxc-slurm-16:2211:2211 [" + gpu + "] NCCL INFO Bootstrap : Using ibp26s0:10.0.0.16<0>";
            case 6 -> "INFO " + stamp + " [gpu_model_runner.py:1950] Starting to load model"
                    + " deepseek-ai/DeepSeek-V4-Pro...";
            case 7 -> "WARNING " + stamp + " [topk_topp_sampler.py:69] FlashInfer is not available. Falling back to"
                    + " the PyTorch-native implementation of top-p & top-k sampling.";
            case 8 -> "[W424 19:01:05.123456 ProcessGroupNCCL.cpp:4715] [PG ID 0 PG GUID 0 Rank " + gpu + "]  using"
                    + " GPU " + gpu + " to perform barrier as devices used by this process are currently unknown.";
            case 9 -> "/opt/venv/lib/python3.12/site-packages/torch/cuda/__init__.py:61: FutureWarning: The pynvml"
                    + " package is deprecated. Please install nvidia-ml-py instead.";
            case 10 -> "INFO " + stamp + " [utils.py:326] non-default args: {'model': 'deepseek-ai/DeepSeek-V4-Pro',"
                    + " 'data_parallel_size': 16, 'enable_expert_parallel': True, 'gpu_memory_utilization': 0.95}";
            case 11 -> "INFO " + stamp + " [cuda.py:368] Using FlashMLA backend on V1 engine.";
            case 12 -> "INFO:     127.0.0.1:51514 - \"GET /health HTTP/1.1\" 503 Service Unavailable";
            case 13 -> "INFO " + stamp + " [default_loader.py:262] Loading weights took 455.02 seconds";
            case 14 -> "h100-dgxc-slurm-17:3012:3012 [" + gpu + "] NCCL INFO comm 0x55d0c8a0 rank " + gpu
                    + " nRanks 16 nNodes 2 localRanks 8 localRank " + gpu + " MNNVL 0";
            default -> "INFO " + stamp + " [core.py:61] Initializing a V1 LLM engine (v0.11.1.dev0+dsv4) with config:"
                    + " model='deepseek-ai/DeepSeek-V4-Pro', dtype=torch.bfloat16, tensor_parallel_size=1";
        };
        return rank == null ? line : "[" + rank + "] " + line;
    }

    /** A random rank other than {@code except}. */
    String otherRank(String except) {
        while (true) {
            String rank = (random.nextBoolean() ? "decode-" : "prefill-") + random.nextInt(16);
            if (!rank.equals(except)) {
                return rank;
            }
        }
    }

    /** {@code before} noise lines (of many ranks), the failure, then {@code after} more and the orchestrator's. */
    List<String> withNoise(List<String> failure, int before, int after) {
        List<String> out = new ArrayList<>();
        String failing = rankOf(failure.get(0));
        for (int i = 0; i < before; i++) {
            out.add(noise(otherRank(failing)));
        }
        out.addAll(failure);
        for (int i = 0; i < after; i++) {
            out.add(noise(otherRank(failing)));
        }
        out.add("orchestrator: worker " + (failing == null ? "decode-0" : failing) + " exited with code 1 before"
                + " the server became healthy; cancelling job");
        return out;
    }

    /** The failure's lines with 1 to 5 lines of other ranks between each two of them. */
    List<String> interleaved(List<String> failure) {
        List<String> out = new ArrayList<>();
        String failing = rankOf(failure.get(0));
        for (int i = 0; i < 200; i++) {
            out.add(noise(otherRank(failing)));
        }
        for (String line : failure) {
            out.add(line);
            int others = 1 + random.nextInt(5);
            for (int i = 0; i < others; i++) {
                out.add(noise(otherRank(failing)));
            }
        }
        return out;
    }

    /** Colour codes as a terminal-minded logger writes them: prefix cyan, levels and errors red, bold, erase-line. */
    static List<String> coloured(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PREFIX.matcher(line);
            String prefix = m.matches() ? ESC + "[36m[" + m.group(1) + "]" + ESC + "[0m " : "";
            String text = m.matches() ? m.group(2) : line;
            if (text.startsWith("INFO ")) {
                text = ESC + "[32mINFO" + ESC + "[0m " + text.substring(5);
            } else if (text.matches(".*(Error|error|Failure|failed).*")) {
                text = ESC + "[1;31m" + text + ESC + "[0m";
            }
            out.add(ESC + "[2K" + prefix + text);
        }
        return out;
    }

    /** tqdm progress as it lands in a file: one physical line, redrawn with carriage returns. */
    static String progressBar(String rank, int shards) {
        StringBuilder line = new StringBuilder();
        for (int done = 0; done <= shards; done += 8) {
            line.append('\r').append(rank == null ? "" : "[" + rank + "] ")
                    .append(String.format(Locale.ROOT, "Loading safetensors checkpoint shards: %3d%% Completed |"
                            + " %d/%d [00:%02d<00:10, 1.00it/s]", done * 100 / shards, done, shards, done % 60));
        }
        return line.toString();
    }

    static String rankOf(String line) {
        Matcher m = PREFIX.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    static Path write(Path file, List<String> lines, String newline) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join(newline, lines) + newline, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A log of at least {@code bytes}: noise, then the failure, then {@code after} noise lines. Returns the 1-based
     * line number of the failure's first line.
     */
    long writeHuge(Path file, long bytes, List<String> failure, int after) {
        long lines = 0;
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            String failing = rankOf(failure.get(0));
            while (written < bytes) {
                String line = noise(otherRank(failing));
                out.write(line);
                out.write('\n');
                written += line.length() + 1;
                lines++;
            }
            for (String line : failure) {
                out.write(line);
                out.write('\n');
            }
            for (int i = 0; i < after; i++) {
                out.write(noise(otherRank(failing)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines + 1;
    }
}
