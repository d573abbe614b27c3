package io.sweepd.sweep;

import java.util.List;

/**
 * One search-space item of a seq-len config. Single-node items use tp/ep/dpAttn; multinode items use
 * prefill/decode. Exactly one of concList or concStart+concEnd is set (the parser enforces it).
 * Nullable fields are those the file may leave out; defaults are applied by the matrix expander.
 */
public record SearchSpaceItem(
        Integer tp,
        Integer ep,
        Boolean dpAttn,
        String specDecoding,
        Integer concStart,
        Integer concEnd,
        List<Integer> concList,
        WorkerSpec prefill,
        WorkerSpec decode) {

    public SearchSpaceItem {
        concList = concList == null ? null : List.copyOf(concList);
    }
}
