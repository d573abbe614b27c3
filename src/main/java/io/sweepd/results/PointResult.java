package io.sweepd.results;

import java.util.List;
import java.util.Map;

/**
 * Everything the report needs about one benchmarked concurrency of one point: what it was, how it ended, and
 * its metrics. Produced from the ledger by the collector; consumed by the report and the baseline comparison.
 * A multinode point with several concurrencies yields one PointResult per concurrency.
 *
 * @param pointId       the plan's point id
 * @param configKey     the master-config key (the "configuration" a report series is drawn for)
 * @param hardware      the GPU the profile has (h100, h200, gb200...)
 * @param profile       the cluster profile that ran it
 * @param shape         human-readable parallelism, e.g. "tp8 ep8 dpa" or "1P(tp1 ep16 dpa) + 1D(tp1 ep16 dpa)"
 * @param state         COMPLETED, INVALID, FAILED, TIMEOUT, DEADLINE, CANCELLED, REFUSED, PLANNED, RUNNING ...
 * @param reason        why it is in that state (refusal, Slurm's reason, the validity gate's verdict), or null
 * @param diagnosis     triage's one-line diagnosis of a failure, or null
 * @param prefillGpus   GPUs of the prefill workers (0 when aggregated)
 * @param decodeGpus    GPUs of the decode workers (0 when aggregated)
 * @param totalGpus     every GPU the point occupied, from the real topology
 * @param metrics       InferenceMAX process_result.py field names -> values (null when there are no results)
 * @param eval          lm-eval scores (e.g. "gsm8k" -> {"exact_match,strict-match": 0.93, ...}), or null
 * @param workarounds   ids of the workaround rules applied to the point
 */
public record PointResult(
        String runId,
        String pointId,
        String jobKey,
        String configKey,
        String model,
        String modelPrefix,
        String precision,
        String framework,
        String hardware,
        String profile,
        String runner,
        int isl,
        int osl,
        int conc,
        boolean disagg,
        String specDecoding,
        String shape,
        String state,
        String reason,
        String diagnosis,
        int prefillGpus,
        int decodeGpus,
        int totalGpus,
        Map<String, Object> metrics,
        Map<String, Object> eval,
        List<String> workarounds) {

    public PointResult {
        workarounds = workarounds == null ? List.of() : List.copyOf(workarounds);
    }

    /** One line of a chart: the same configuration at different concurrencies. */
    public String seriesKey() {
        return configKey + " " + shape + " " + isl + "/" + osl;
    }

    public boolean hasMetrics() {
        return metrics != null && !metrics.isEmpty();
    }
}
