package io.sweepd.render;

/** A value that must not reach a job script (or a Slurm directive) as it is; the message names it. */
public class UnsafeValueException extends IllegalArgumentException {

    public UnsafeValueException(String message) {
        super(message);
    }
}
