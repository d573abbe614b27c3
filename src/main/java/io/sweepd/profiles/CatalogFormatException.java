package io.sweepd.profiles;

import io.sweepd.files.DataFileException;

/**
 * A data file (cluster profile, model facts, failure signatures) that cannot be used; the message names file,
 * line, column and field path (e.g. {@code hardware.usable-gib}).
 */
public final class CatalogFormatException extends DataFileException {

    public CatalogFormatException(String file, int line, int column, String field, String problem) {
        super(file, line, column, field, problem);
    }
}
