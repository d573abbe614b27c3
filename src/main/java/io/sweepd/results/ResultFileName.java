package io.sweepd.results;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark result file's name says: {@code results_concurrency_<c>_gpus_<t>.json} (aggregated) or
 * {@code results_concurrency_<c>_gpus_<t>_ctx_<p>_gen_<d>.json} (disaggregated: p prefill and d decode GPUs),
 * the names srt-slurm's sa-bench and sweepd's launchers write. The name is how a file is matched to a point and a
 * concurrency, so anything else (a partial download, an lm-eval file, {@code .json.tmp}) is not a result file.
 *
 * @param prefillGpus null unless the name has a {@code _ctx_<p>_gen_<d>} part
 * @param decodeGpus  null unless the name has a {@code _ctx_<p>_gen_<d>} part
 */
public record ResultFileName(String name, int conc, int totalGpus, Integer prefillGpus, Integer decodeGpus) {

    // Counts are 1 to 9 digits without a leading zero: "gpus_08" is not a name any launcher writes.
    private static final String COUNT = "([1-9][0-9]{0,8})";
    private static final Pattern NAME = Pattern.compile("results_concurrency_" + COUNT + "_gpus_" + COUNT
            + "(?:_ctx_" + COUNT + "_gen_" + COUNT + ")?\\.json");

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
