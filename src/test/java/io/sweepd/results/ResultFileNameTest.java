package io.sweepd.results;

import io.sweepd.core.ResultFileName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ResultFileNameTest {

    @Test
    void anAggregatedNameGivesConcurrencyAndTotalGpus() {
        ResultFileName name = ResultFileName.parse("results_concurrency_64_gpus_8.json").orElseThrow();

        assertThat(name.conc()).isEqualTo(64);
        assertThat(name.totalGpus()).isEqualTo(8);
        assertThat(name.prefillGpus()).isNull();
        assertThat(name.decodeGpus()).isNull();
        assertThat(name.disaggregated()).isFalse();
        assertThat(name.describeGpus()).isEqualTo("8 GPUs");
    }

    @Test
    void aDisaggregatedNameAlsoGivesPrefillAndDecodeGpus() {
        ResultFileName name = ResultFileName.parse("results_concurrency_1024_gpus_32_ctx_16_gen_16.json").orElseThrow();

        assertThat(name.conc()).isEqualTo(1024);
        assertThat(name.totalGpus()).isEqualTo(32);
        assertThat(name.prefillGpus()).isEqualTo(16);
        assertThat(name.decodeGpus()).isEqualTo(16);
        assertThat(name.disaggregated()).isTrue();
        assertThat(name.describeGpus()).isEqualTo("32 GPUs (16 prefill + 16 decode)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "results_concurrency_64_gpus_8.json.tmp",
            "results_concurrency_64_gpus_8",
            "results_concurrency_64.json",
            "results_concurrency__gpus_8.json",
            "results_concurrency_x_gpus_8.json",
            "results_concurrency_64_gpus_8_ctx_4.json",
            "results_concurrency_64_gpus_8_ctx_4_gen_4_extra.json",
            "results_concurrency_064_gpus_8.json",
            "results_concurrency_0_gpus_8.json",
            "results_concurrency_-4_gpus_8.json",
            "agg_results_concurrency_64_gpus_8.json",
            "Results_Concurrency_64_gpus_8.json",
            "eval_gsm8k.json",
            "results_2025-06-01T09-12-44.512301.json",
            "results_concurrency_99999999999_gpus_8.json",
            ""})
    void anythingElseIsNotAResultFile(String name) {
        assertThat(ResultFileName.parse(name)).isEmpty();
        assertThat(ResultFileName.isResultFile(name)).isFalse();
    }

    @Test
    void anAgenticResultIsAiperfsSummaryInADirectoryNamedForConcurrencyAndGpus() {
        ResultFileName name = ResultFileName.parseAgentic("aiperf_concurrency_16_gpus_2/profile_export_aiperf.json")
                .orElseThrow();

        assertThat(name).isEqualTo(new ResultFileName("aiperf_concurrency_16_gpus_2", 16, 2, null, null));
        assertThat(ResultFileName.agenticDirName(16, 2)).isEqualTo("aiperf_concurrency_16_gpus_2");
        assertThat(ResultFileName.parseAgentic("run/aiperf_concurrency_16_gpus_2/profile_export_aiperf.json"))
                .contains(name);
        assertThat(ResultFileName.parseAgentic("aiperf_concurrency_16_gpus_2/server_metrics_export.json")).isEmpty();
        assertThat(ResultFileName.parseAgentic("profile_export_aiperf.json")).isEmpty();
        assertThat(ResultFileName.parseAgentic("aiperf_concurrency_016_gpus_2/profile_export_aiperf.json")).isEmpty();
        assertThat(ResultFileName.inAgenticDir("aiperf_concurrency_16_gpus_2/logs/aiperf.json")).isTrue();
        assertThat(ResultFileName.inAgenticDir("sa-bench/results_concurrency_16_gpus_2.json")).isFalse();
    }

    @Test
    void nullIsNotAResultFile() {
        assertThat(ResultFileName.parse(null)).isEmpty();
    }
}
