package io.sweepd.sweep;

import java.util.List;

/**
 * One search-space item. Single-node items use tp/ep/dpAttn; multinode items use prefill/decode (an
 * agentic-coding item uses one or the other whatever the entry's multinode flag says). Exactly one of concList
 * or concStart+concEnd is set (the parser enforces it). Nullable fields are those the file may leave out;
 * defaults are applied by the matrix expander.
 *
 * @param offloading agentic-coding only: where the KV cache is offloaded (none, cpu, ssd, lmcache, ...); null
 *                   elsewhere or when not given
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
        WorkerSpec decode,
        String offloading) {

    public SearchSpaceItem {
        concList = concList == null ? null : List.copyOf(concList);
    }

    /** A fixed-seq-len item (no offloading). */
    public SearchSpaceItem(Integer tp, Integer ep, Boolean dpAttn, String specDecoding, Integer concStart,
                           Integer concEnd, List<Integer> concList, WorkerSpec prefill, WorkerSpec decode) {
        this(tp, ep, dpAttn, specDecoding, concStart, concEnd, concList, prefill, decode, null);
    }
}
