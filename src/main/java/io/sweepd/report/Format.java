package io.sweepd.report;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.sweepd.results.PointResult;

/** How numbers and labels look in the Markdown and HTML reports (the CSV and JSON keep full precision). */
final class Format {

    static final String NONE = "—";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /**
     * Enough digits to compare, no more: 12,345 tok/s, 845 tok/s, 42.7 tok/s/user, 3.14 s, 0.412 s.
     * Three significant digits or the whole integer part, whichever is more.
     */
    static String number(Double value) {
        if (value == null) {
            return NONE;
        }
        double v = value;
        double a = Math.abs(v);
        if (a >= 100) {
            return fixed(v, 0, true);
        }
        if (a >= 10) {
            return fixed(v, 1, false);
        }
        if (a >= 1) {
            return fixed(v, 2, false);
        }
        if (a == 0) {
            return "0";
        }
        return fixed(v, 3, false);
    }

    /** A relative change as a signed percentage with one decimal: "+3.2%", "−7.5%". */
    static String percent(Double fraction) {
        if (fraction == null) {
            return NONE;
        }
        String s = fixed(Math.abs(fraction) * 100, 1, false);
        if (s.equals("0.0")) {
            return "0.0%";
        }
        return (fraction < 0 ? "−" : "+") + s + "%";
    }

    /**
     * What {@code String.format(Locale.ROOT, "%.Nf")} (with {@code ","}: {@code "%,.Nf"}) writes, without the
     * Formatter, which a 10,000-point report called 200,000 times: the shortest decimal of the double rounded half
     * up, as the Formatter rounds, and a negative value keeps its sign even when it rounds to zero. Not for
     * infinities or NaN (the report has none: metrics are finite or absent).
     */
    static String fixed(double v, int decimals, boolean grouped) {
        String digits = roundedHalfUp(Math.abs(v), decimals);
        if (grouped) {
            int point = digits.indexOf('.');
            int whole = point < 0 ? digits.length() : point;
            StringBuilder sb = new StringBuilder(digits.length() + whole / 3);
            for (int i = 0; i < whole; i++) {
                if (i > 0 && (whole - i) % 3 == 0) {
                    sb.append(',');
                }
                sb.append(digits.charAt(i));
            }
            digits = sb.append(digits, whole, digits.length()).toString();
        }
        return v < 0 || (v == 0 && 1 / v < 0) ? "-" + digits : digits;
    }

    /**
     * {@code BigDecimal.valueOf(a).setScale(decimals, HALF_UP).toPlainString()} for a non-negative a, rounded on the
     * digits of {@code Double.toString(a)} (which is what BigDecimal.valueOf reads) without a BigDecimal: half up
     * looks at the first dropped digit only. Values Double.toString writes with an exponent go through BigDecimal.
     */
    static String roundedHalfUp(double a, int decimals) {
        String s = decimal(a);
        int point = s.indexOf('.');
        if (s.indexOf('E') >= 0 || point < 0) {
            return BigDecimal.valueOf(a).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        }
        int fraction = s.length() - point - 1;
        if (fraction <= decimals) {
            StringBuilder sb = new StringBuilder(point + 1 + decimals);
            sb.append(s, 0, decimals == 0 ? point : s.length());
            sb.append("0".repeat(decimals - fraction));
            return sb.toString();
        }
        // Digits kept, without the point; the point goes back before the last `decimals` of them.
        char[] kept = new char[point + decimals];
        s.getChars(0, point, kept, 0);
        s.getChars(point + 1, point + 1 + decimals, kept, point);
        boolean carry = s.charAt(point + 1 + decimals) >= '5';
        for (int i = kept.length - 1; carry && i >= 0; i--) {
            if (kept[i] == '9') {
                kept[i] = '0';
            } else {
                kept[i]++;
                carry = false;
            }
        }
        StringBuilder sb = new StringBuilder(kept.length + 2);
        if (carry) {
            sb.append('1');
        }
        sb.append(kept, 0, point);
        if (decimals > 0) {
            sb.append('.').append(kept, point, decimals);
        }
        return sb.toString();
    }

    /**
     * {@code Double.toString(d)}'s format with the shortest digits that read back as d, as Java 19+ writes it, by
     * Jackson's Schubfach writer: Java 17's own algorithm took a tenth of a 10,000-point report's writing.
     */
    static String decimal(double d) {
        return NumberOutput.toString(d, true);
    }

    /** Full precision without exponent for machines: 1234.5678, 0.0001 (not 1.0E-4), 12 (not 12.0). */
    static String plain(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return "";
            }
            String s = decimal(d);
            if (s.indexOf('E') < 0) {
                // Double.toString without an exponent has no trailing zero but a lone ".0": what the BigDecimal
                // below gives, without a BigDecimal per cell (a 10,000-point CSV has 900,000 of them).
                s = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
            } else {
                s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            return s.equals("-0") ? "0" : s;
        }
        return value.toString();
    }

    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    /** "1k/1k", "8k/1k" as InferenceMAX names them, or "1000/200" when they are not whole kibi-tokens. */
    static String seqLen(int isl, int osl) {
        return kilo(isl) + "/" + kilo(osl);
    }

    private static String kilo(int tokens) {
        return tokens > 0 && tokens % 1024 == 0 ? (tokens / 1024) + "k" : Integer.toString(tokens);
    }

    /** "8P / 16D" for disaggregated points, the total otherwise. */
    static String gpus(PointResult p) {
        if (p.disagg() || p.prefillGpus() > 0 || p.decodeGpus() > 0) {
            return p.prefillGpus() + "P / " + p.decodeGpus() + "D";
        }
        return p.totalGpus() > 0 ? Integer.toString(p.totalGpus()) : NONE;
    }

    static String orNone(String text) {
        return text == null || text.isBlank() ? NONE : text;
    }
}
