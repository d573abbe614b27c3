package io.sweepd.triage;

/** An input triage cannot read at all: missing, unreadable, or an archive tar cannot unpack. */
public final class TriageException extends RuntimeException {

    public TriageException(String message) {
        super(message);
    }

    public TriageException(String message, Throwable cause) {
        super(message, cause);
    }
}
