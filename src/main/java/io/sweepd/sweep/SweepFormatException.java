package io.sweepd.sweep;

import io.sweepd.files.DataFileException;

/**
 * A sweep file that cannot be used. The message names the file, the line and column when known, the field
 * path (e.g. {@code dsv4-fp8-h100.seq-len-configs[0].search-space[1].conc-list}) and what was expected.
 */
public final class SweepFormatException extends DataFileException {

    public SweepFormatException(String file, int line, int column, String field, String problem) {
        super(file, line, column, field, problem);
    }
}
