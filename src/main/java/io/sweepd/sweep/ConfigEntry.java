package io.sweepd.sweep;

import java.util.List;

/**
 * One top-level entry of an InferenceMAX master config (the map key is {@link #key()}).
 *
 * @param schema        which generation of the master-config schema the entry is written in
 * @param seqLenConfigs the fixed-seq-len benchmarks: {@code seq-len-configs} (until May 2026) or
 *                      {@code scenarios.fixed-seq-len} (since June 2026); may be empty in the newer schema
 * @param agenticCoding {@code scenarios.agentic-coding} (trace-replay benchmarks, newer schema only)
 */
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
        Schema schema,
        List<SeqLenConfig> seqLenConfigs,
        List<AgenticConfig> agenticCoding) {

    /** The two generations of InferenceMAX's master-config schema; they differ in how scenarios are listed. */
    public enum Schema {
        /** {@code seq-len-configs: [...]} per entry (InferenceMAX through May 2026). */
        SEQ_LEN_CONFIGS("seq-len-configs"),
        /** {@code scenarios: {fixed-seq-len: [...], agentic-coding: [...]}} (since June 2026). */
        SCENARIOS("scenarios");

        private final String key;

        Schema(String key) {
            this.key = key;
        }

        /** The entry key that marks this schema. */
        public String key() {
            return key;
        }
    }

    public ConfigEntry {
        seqLenConfigs = List.copyOf(seqLenConfigs);
        agenticCoding = agenticCoding == null ? List.of() : List.copyOf(agenticCoding);
    }
}
