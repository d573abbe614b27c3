package io.sweepd.workarounds;

import io.sweepd.files.DataFileException;

/**
 * A workaround file that cannot be used. Loading is strict (an unknown key is an error, never ignored), and
 * the message names the file, the line and the field, e.g.
 * {@code workarounds/dsv4.yaml:14: field 'dsv4-no-chat-template.do.set-argz': unknown key ...}.
 */
public final class WorkaroundFormatException extends DataFileException {

    public WorkaroundFormatException(String file, int line, String field, String problem) {
        super(file, line, 0, field, problem);
    }
}
