package io.sweepd.sweep;

import java.util.List;

/**
 * One side (prefill or decode) of a multinode search-space item, as the master config writes it.
 *
 * @param numWorker          workers of this side; 0 on the decode side of an aggregated (not disaggregated)
 *                           multinode entry, where the prefill spec describes the one kind of worker
 * @param additionalSettings {@code KEY=VALUE} strings passed through to the launcher; null when the
 *                           file has none (kept null so the matrix prints exactly what the generator does)
 */
public record WorkerSpec(int numWorker, int tp, int ep, boolean dpAttn, List<String> additionalSettings) {

    public WorkerSpec {
        additionalSettings = additionalSettings == null ? null : List.copyOf(additionalSettings);
    }
}
