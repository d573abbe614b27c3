package io.sweepd.app;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the bodies of a split's parts back into one list, each at its split index, so the points that were
 * split off one by one come back in matrix order whatever order their parts finish in. A failed part fails
 * the whole (with the split's stopOnException, the first failure ends it).
 */
public final class InMatrixOrder implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange gathered, Exchange part) {
        Exchange result = gathered != null ? gathered : part;
        List<Object> bodies = gathered != null ? bodies(gathered) : new ArrayList<>();
        int index = part.getProperty(Exchange.SPLIT_INDEX, bodies.size(), Integer.class);
        while (bodies.size() <= index) {
            bodies.add(null);
        }
        bodies.set(index, part.getMessage().getBody());
        result.getMessage().setBody(bodies);
        if (part.getException() != null) {
            result.setException(part.getException());
        }
        return result;
    }

    /** The gathered list replaces the sweep's body; the split's bookkeeping of its first part does not leak into it. */
    @Override
    public void onCompletion(Exchange gathered, Exchange input) {
        gathered.removeProperty(Exchange.SPLIT_INDEX);
        gathered.removeProperty(Exchange.SPLIT_SIZE);
        gathered.removeProperty(Exchange.SPLIT_COMPLETE);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> bodies(Exchange gathered) {
        return gathered.getMessage().getBody(List.class);
    }
}
