package io.sweepd.sweep;

import java.util.List;
import java.util.Optional;

/**
 * The generator's names for its standard sequence-length pairs (its {@code seq_len_stoi}: 1k1k and 8k1k). They
 * appear in exp-name, in the seq-lens filter, and in the eval rule (evals run at 8k1k only). Any other pair,
 * 1024/8192 included, is named {@code <isl>_<osl>} and cannot be selected by name, as in the generator.
 */
public final class SeqLenNames {

    public static final String ONE_K_ONE_K = "1k1k";
    public static final String EIGHT_K_ONE_K = "8k1k";

    /** The names a seq-lens filter accepts, in the generator's order. */
    public static final List<String> NAMES = List.of(ONE_K_ONE_K, EIGHT_K_ONE_K);

    private SeqLenNames() {
    }

    /** The standard name of (isl, osl), if it has one. */
    public static Optional<String> name(int isl, int osl) {
        if (isl == 1024 && osl == 1024) {
            return Optional.of(ONE_K_ONE_K);
        }
        if (isl == 8192 && osl == 1024) {
            return Optional.of(EIGHT_K_ONE_K);
        }
        return Optional.empty();
    }

    /** The name as exp-name uses it: the standard name, else {@code <isl>_<osl>}. */
    public static String label(int isl, int osl) {
        return name(isl, osl).orElse(isl + "_" + osl);
    }
}
