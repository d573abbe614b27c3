package io.sweepd.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark result file's name says: {@code results_concurrency_<c>_gpus_<t>.json} (aggregated) or
 * {@code results_concurrency_<c>_gpus_<t>_ctx_<p>_gen_<d>.json} (disaggregated: p prefill and d decode GPUs),
 * the names srt-slurm's sa-bench and sweepd's launchers write. The name is how a file is matched to a point and a
 * concurrency, so anything else (a partial download, an lm-eval file, {@code .json.tmp}) is not a result file.
 *
 * <p>The agentic-coding client (aiperf) writes a directory of artifacts rather than one file; sweepd names that
 * directory {@code aiperf_concurrency_<c>_gpus_<t>} and its summary, {@code profile_export_aiperf.json}, is the
 * result file ({@link #parseAgentic}). Its other files are aiperf's evidence, not results.
 *
 * @param prefillGpus null unless the name has a {@code _ctx_<p>_gen_<d>} part
 * @param decodeGpus  null unless the name has a {@code _ctx_<p>_gen_<d>} part
 */
public record ResultFileName(String name, int conc, int totalGpus, Integer prefillGpus, Integer decodeGpus) {

    // Counts are 1 to 9 digits without a leading zero: "gpus_08" is not a name any launcher writes.
    private static final String COUNT = "([1-9][0-9]{0,8})";
    private static final Pattern NAME = Pattern.compile("results_concurrency_" + COUNT + "_gpus_" + COUNT
            + "(?:_ctx_" + COUNT + "_gen_" + COUNT + ")?\\.json");

    /** The summary aiperf writes into its artifact directory (aiperf's default {@code --profile-export-prefix}). */
    public static final String AIPERF_SUMMARY = "profile_export_aiperf.json";
    private static final String AGENTIC_PREFIX = "aiperf_concurrency_";
    private static final Pattern AGENTIC_DIR = Pattern.compile(AGENTIC_PREFIX + COUNT + "_gpus_" + COUNT);

    /** The directory the agentic client's artifacts for one concurrency go to. */
    public static String agenticDirName(int conc, int totalGpus) {
        return AGENTIC_PREFIX + conc + "_gpus_" + totalGpus;
    }

    /**
     * The parts of an agentic result, {@code .../aiperf_concurrency_<c>_gpus_<t>/profile_export_aiperf.json} ('/'
     * separated, relative or not); empty for any other path. The name is the directory's.
     */
    public static Optional<ResultFileName> parseAgentic(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String[] parts = path.split("/");
        if (parts.length < 2 || !parts[parts.length - 1].equals(AIPERF_SUMMARY)) {
            return Optional.empty();
        }
        Matcher m = AGENTIC_DIR.matcher(parts[parts.length - 2]);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ResultFileName(parts[parts.length - 2], Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), null, null));
    }

    /** Whether a '/'-separated relative path lies inside an agentic artifact directory. */
    public static boolean inAgenticDir(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (AGENTIC_DIR.matcher(parts[i]).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The name's parts, or empty when the name is not a benchmark result file's. */
    public static Optional<ResultFileName> parse(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        Integer prefill = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        Integer decode = m.group(4) == null ? null : Integer.valueOf(m.group(4));
        return Optional.of(new ResultFileName(fileName, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                prefill, decode));
    }

    public static boolean isResultFile(String fileName) {
        return parse(fileName).isPresent();
    }

    public boolean disaggregated() {
        return prefillGpus != null;
    }

    /** "8 GPUs" or "16 GPUs (8 prefill + 8 decode)", for messages. */
    public String describeGpus() {
        return totalGpus + " GPUs"
                + (disaggregated() ? " (" + prefillGpus + " prefill + " + decodeGpus + " decode)" : "");
    }
}
