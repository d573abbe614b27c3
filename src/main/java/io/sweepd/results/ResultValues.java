package io.sweepd.results;

import com.fasterxml.jackson.databind.JsonNode;

/** The value checks both benchmark result parsers share: a value that fails one makes the whole file invalid. */
final class ResultValues {

    /** Why a result file is invalid; the parser turns it into {@link ParseOutcome.Invalid}. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private ResultValues() {
    }

    /**
     * Null when absent, null, NaN or infinite (the clients write NaN for a statistic they could not compute); the
     * number otherwise. {@code what} names the value in the message ({@code key 'duration'}).
     */
    static Double finiteOrNull(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new Invalid(what + " is not a number: " + node);
        }
        double value = node.doubleValue();
        return Double.isFinite(value) ? value : null;
    }

    /** A count as an int; a negative count or one past int's range makes the file invalid. */
    static int toInt(long value, String what) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new Invalid(what + " is out of range: " + value);
        }
        return (int) value;
    }
}
