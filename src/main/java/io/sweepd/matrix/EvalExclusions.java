package io.sweepd.matrix;

/**
 * Decides whether a point's eval group is excluded from eval marking. InferenceMAX hard-codes such groups in
 * its generator (temporary pins that come and go between its versions); sweepd reads them from workaround data
 * instead, where a rule may name the master-config schema generation it belongs to.
 */
@FunctionalInterface
public interface EvalExclusions {

    EvalExclusions NONE = (point, masterSchema) -> false;

    /**
     * @param masterSchema the schema key of the entry the point came from ({@code seq-len-configs} or
     *                     {@code scenarios})
     */
    boolean excludes(MatrixPoint point, String masterSchema);
}
