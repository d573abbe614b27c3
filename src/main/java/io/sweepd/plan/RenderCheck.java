package io.sweepd.plan;

import io.sweepd.enrich.EnrichedPoint;

import java.util.Optional;

/**
 * What rendering a job would refuse, asked while planning: {@code sweepd plan} then shows a point the daemon would
 * not render (an image with a space, a model path with a quote) as refused with the reason, instead of calling the
 * file fine, and the daemon refuses that point before anything is written. Implemented by render (which depends
 * on plan, so plan asks through this interface).
 */
public interface RenderCheck {

    RenderCheck NONE = new RenderCheck() {
    };

    /** Why a job of this point could not be rendered, if so. */
    default Optional<String> pointRefusal(EnrichedPoint point) {
        return Optional.empty();
    }
}
