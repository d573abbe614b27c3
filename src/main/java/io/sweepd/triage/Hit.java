package io.sweepd.triage;

import java.util.Map;

/**
 * A signature that matched, and where.
 *
 * @param evidence the deciding line as a person reads it
 * @param file     where it is, null for sweepd's verdict
 * @param line     1-based, 0 when unknown
 * @param values   named groups of every regex that matched, plus the built-in placeholders' values
 */
record Hit(Signature signature, String evidence, String file, long line, Map<String, String> values) {
}
