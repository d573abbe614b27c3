package io.sweepd.results;

import io.sweepd.core.ResultFileName;

import java.util.Optional;

/**
 * The GPUs a result is divided by, and where the count came from. The plan's topology is the truth: it is what
 * the job asked Slurm for (prefill workers x GPUs per worker + decode workers x GPUs per worker, or aggregated
 * workers x GPUs per worker). The result file's name is the launcher's own count and only stands in when a point
 * has no topology (a hand-written or pre-topology plan).
 *
 * @param prefill     prefill GPUs (0 when aggregated)
 * @param decode      decode GPUs (0 when aggregated)
 * @param total       every GPU the point occupied
 * @param countedFrom {@value #TOPOLOGY} or {@value #FILE_NAME}
 */
public record GpuCount(int prefill, int decode, int total, String countedFrom) {

    public static final String TOPOLOGY = "topology";
    public static final String FILE_NAME = "file-name";

    public boolean disaggregated() {
        return prefill + decode > 0;
    }

    /** From the point's topology, else from the file name; empty when neither gives a count. */
    public static Optional<GpuCount> of(PointSpec point, ResultFileName fileName) {
        PointSpec.PlanTopology t = point.topology();
        if (t != null && t.gpus() > 0) {
            return Optional.of(t.disaggregated()
                    ? new GpuCount(t.prefillGpus(), t.decodeGpus(), t.gpus(), TOPOLOGY)
                    : new GpuCount(0, 0, t.gpus(), TOPOLOGY));
        }
        if (fileName != null) {
            return Optional.of(fileName.disaggregated()
                    ? new GpuCount(fileName.prefillGpus(), fileName.decodeGpus(), fileName.totalGpus(), FILE_NAME)
                    : new GpuCount(0, 0, fileName.totalGpus(), FILE_NAME));
        }
        return Optional.empty();
    }

    /**
     * Why the file's GPU counts contradict the point's topology, or empty when they agree (or the point has no
     * topology to compare with). A contradiction means the file came from another layout than the one planned,
     * so its per-GPU numbers would be wrong whichever count were used.
     */
    public static Optional<String> mismatch(PointSpec point, ResultFileName fileName) {
        PointSpec.PlanTopology t = point.topology();
        if (t == null || t.gpus() <= 0) {
            return Optional.empty();
        }
        boolean agrees = t.disaggregated()
                ? fileName.disaggregated() && fileName.totalGpus() == t.gpus()
                && fileName.prefillGpus() == t.prefillGpus() && fileName.decodeGpus() == t.decodeGpus()
                : !fileName.disaggregated() && fileName.totalGpus() == t.gpus();
        if (agrees) {
            return Optional.empty();
        }
        String planned = t.gpus() + " GPUs" + (t.disaggregated()
                ? " (" + t.prefillGpus() + " prefill + " + t.decodeGpus() + " decode)" : "");
        return Optional.of(fileName.name() + " names " + fileName.describeGpus() + ", but point " + point.pointId()
                + " was planned on " + planned);
    }
}
