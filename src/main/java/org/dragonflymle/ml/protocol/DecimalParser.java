package org.dragonflymle.ml.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Reads a number argument as Redis-ML did ({@code strtod} on the whole argument): an optional sign,
 * digits with an optional decimal point, an optional exponent ({@code 1e-5}, {@code 2.5E+3}), or
 * {@code inf}, {@code infinity}, {@code nan} in any case. Nothing else, not even white space around
 * it, is a number.
 *
 * <p>Numbers of up to 15 significant digits with a decimal exponent within ±22 (everything Lua's
 * {@code tostring} produces for ordinary values) are converted without allocating and, like every
 * other number, correctly rounded; longer ones go through {@link Double#parseDouble}. Stateless and
 * thread-safe.
 */
public final class DecimalParser {

    private static final long EXACT_LIMIT = 1L << 53;
    private static final double[] POW10 = new double[23];
    private static final int MAX_SIGNIFICANT = 19;

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private DecimalParser() {}

    /** Whether {@code b} is a number (see the class comment). */
    public static boolean isNumber(byte[] b) {
        return isNumber(b, 0, b.length);
    }

    public static boolean isNumber(byte[] b, int off, int len) {
        double v = parseOrNaN(b, off, len);
        return v == v || isNanLiteral(b, off, len);
    }

    /**
     * The number in {@code b[off, off+len)}, or NaN when it is not one (use {@link #isNumber} to
     * tell that from a literal {@code nan}).
     */
    public static double parseOrNaN(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        if (i == end) {
            return Double.NaN;
        }
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
            if (i == end) {
                return Double.NaN;
            }
        }
        int lower = b[i] | 0x20;
        if (lower == 'i' || lower == 'n') {
            return special(b, i, end, negative);
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean anyDigit = false;
        boolean inexact = false;
        for (; i < end && isDigit(b[i]); i++) {
            anyDigit = true;
            int d = b[i] - '0';
            if (significant < MAX_SIGNIFICANT) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    significant++;
                }
            } else {
                exponent++;
                inexact |= d != 0;
            }
        }
        if (i < end && b[i] == '.') {
            for (i++; i < end && isDigit(b[i]); i++) {
                anyDigit = true;
                int d = b[i] - '0';
                if (significant < MAX_SIGNIFICANT) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        significant++;
                    }
                    exponent--;
                } else {
                    inexact |= d != 0;
                }
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (i < end && (b[i] | 0x20) == 'e') {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (i == end) {
                return Double.NaN;
            }
            int e = 0;
            for (; i < end && isDigit(b[i]); i++) {
                e = Math.min(e * 10 + (b[i] - '0'), 100_000);
            }
            if (i < end) {
                return Double.NaN;
            }
            exponent += negativeExponent ? -e : e;
        } else if (i < end) {
            return Double.NaN;
        }
        if (mantissa == 0 && !inexact) {
            return negative ? -0.0 : 0.0;
        }
        if (!inexact && mantissa < EXACT_LIMIT && exponent >= -22 && exponent <= 22) {
            // Both operands are exact doubles, so one correctly rounded operation gives the answer.
            double v = mantissa;
            v = exponent < 0 ? v / POW10[-exponent] : v * POW10[exponent];
            return negative ? -v : v;
        }
        return Double.parseDouble(new String(b, off, len, StandardCharsets.ISO_8859_1));
    }

    private static double special(byte[] b, int i, int end, boolean negative) {
        if (matches(b, i, end, "inf") || matches(b, i, end, "infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.NaN; // "nan" or not a number: isNumber tells them apart
    }

    private static boolean isNanLiteral(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        return matches(b, i, end, "nan");
    }

    private static boolean matches(byte[] b, int i, int end, String word) {
        if (end - i != word.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if ((b[i + j] | 0x20) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
