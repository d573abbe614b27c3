package io.sweepd.render.harness;

import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark client samples the lengths InferenceMAX's benchmark samples, never longer than the point's. */
class BenchmarkClientTest {

    private final BenchmarkClient client = new BenchmarkClient("org/model", "/models/model", 28000,
            ClusterProfile.Eval.DEFAULT);

    /**
     * vLLM 0.32's random dataset (vllm/benchmarks/datasets/utils.py) draws input lengths from
     * [floor(len x (1 - r)), ceil(len x (1 + r))]; InferenceMAX's benchmark_serving.py from [int(0.8 x len), len].
     */
    @ParameterizedTest
    @ValueSource(ints = {1024, 8192, 1000, 128, 10})
    void vllmBenchServeSamplesInferenceMaxsLengthRange(int len) {
        List<String> argv = client.benchmark(4, len, len, 2, Path.of("/job/results"));

        int asked = Integer.parseInt(value(argv, "--random-input-len"));
        double spread = Double.parseDouble(value(argv, "--random-range-ratio"));
        long shortest = (long) Math.floor(asked * (1 - spread));
        long longest = (long) Math.ceil(asked * (1 + spread));
        assertThat(longest).as("longest prompt for %d", len).isLessThanOrEqualTo(len).isGreaterThanOrEqualTo(len - 1);
        assertThat(shortest).as("shortest prompt for %d", len).isBetween((long) (0.8 * len) - 1, (long) (0.8 * len) + 1);
        assertThat(value(argv, "--random-output-len")).isEqualTo(Integer.toString(asked));
    }

    private static String value(List<String> argv, String flag) {
        return argv.get(argv.indexOf(flag) + 1);
    }
}
