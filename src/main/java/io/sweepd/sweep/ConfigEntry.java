package io.sweepd.sweep;

import java.util.List;

/** One top-level entry of an InferenceMAX master config (the map key is {@link #key()}). */
public record ConfigEntry(
        String key,
        String image,
        String model,
        String modelPrefix,
        String runner,
        String precision,
        String framework,
        boolean multinode,
        boolean disagg,
        List<SeqLenConfig> seqLenConfigs) {

    public ConfigEntry {
        seqLenConfigs = List.copyOf(seqLenConfigs);
    }
}
