package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.util.Comparator;
import java.util.Locale;

/**
 * What makes "the same point" in two runs of one sweep: the master-config key, the parallelism shape,
 * speculative decoding, the sequence lengths and the concurrency. Not the run id or point id (new every
 * run), and not the job key: it hashes the enriched server config, so a new image or one more workaround
 * (exactly the changes a baseline comparison is for) gives every point a new job key.
 */
public record PointKey(String configKey, String shape, String specDecoding, int isl, int osl, int conc)
        implements Comparable<PointKey> {

    private static final Comparator<PointKey> ORDER = Comparator
            .comparing(PointKey::configKey)
            .thenComparingInt(PointKey::isl)
            .thenComparingInt(PointKey::osl)
            .thenComparing(PointKey::shape)
            .thenComparing(PointKey::specDecoding)
            .thenComparingInt(PointKey::conc);

    public PointKey {
        configKey = configKey == null ? "" : configKey.strip();
        // "tp8  ep8 DPA" and "tp8 ep8 dpa" are one shape: the text is for people, spacing and case carry nothing.
        shape = shape == null ? "" : shape.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        specDecoding = specDecoding == null || specDecoding.isBlank() ? "none" : specDecoding.strip().toLowerCase(Locale.ROOT);
    }

    public static PointKey of(PointResult p) {
        return new PointKey(p.configKey(), p.shape(), p.specDecoding(), p.isl(), p.osl(), p.conc());
    }

    /** e.g. "dsr1-fp8-h200-sglang tp8 ep8 1024/1024 conc 64". */
    public String label() {
        return configKey + " " + shape + (specDecoding.equals("none") ? "" : " " + specDecoding)
                + " " + isl + "/" + osl + " conc " + conc;
    }

    @Override
    public int compareTo(PointKey other) {
        return ORDER.compare(this, other);
    }
}
