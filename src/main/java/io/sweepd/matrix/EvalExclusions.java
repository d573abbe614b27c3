package io.sweepd.matrix;

/**
 * Decides whether a point's eval group is excluded from eval marking. InferenceMAX hard-codes one such
 * group in its generator (a temporary pin); sweepd reads them from workaround data instead.
 */
@FunctionalInterface
public interface EvalExclusions {

    EvalExclusions NONE = point -> false;

    boolean excludes(MatrixPoint point);
}
