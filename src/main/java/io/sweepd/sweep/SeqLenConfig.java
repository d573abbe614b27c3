package io.sweepd.sweep;

import java.util.List;

/** Input/output sequence lengths and the search space benchmarked at them. */
public record SeqLenConfig(int isl, int osl, List<SearchSpaceItem> searchSpace) {

    public SeqLenConfig {
        searchSpace = List.copyOf(searchSpace);
    }
}
