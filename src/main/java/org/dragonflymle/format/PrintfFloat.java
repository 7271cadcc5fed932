package org.dragonflymle.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf} conversions of a double ({@code %e %f %g}, upper case too, with precision and
 * the {@code #} flag): rounding on the exact binary value, an exact tie broken by the caller's
 * {@link Ties} rule – glibc's ties to even (the default, Redis-ML's replies) or LuaJIT's ties away
 * from zero (Lua's {@code tostring}, {@code ..} and {@code string.format}: {@code %.0f} of 2.5 is
 * 3); {@code inf}, {@code nan} and {@code -0}. The engine's one implementation of these formats:
 * Lua's {@code tostring} and {@code string.format} ({@code %.14g}), the numbers {@code hiredis}
 * sends ({@code %.14g}) and Redis-ML's predictions ({@code %.17g}) all print through it.
 *
 * <p>{@code %g} without {@code #} and with a precision of at most 17, the per-event case, takes
 * {@link #writeG}: exact 128-bit integer arithmetic for magnitudes from about 1e-11 to 1e17, into a
 * caller's buffer, without allocating; other magnitudes and the other conversions go through {@link
 * BigDecimal}. Stateless and thread-safe.
 */
public final class PrintfFloat {

    /** How an exact tie between two neighbours of the requested precision is broken. */
    public enum Ties {
        /** glibc's printf: 2.5 becomes 2. */
        EVEN(RoundingMode.HALF_EVEN),
        /** LuaJIT's own formatter: 2.5 becomes 3. */
        AWAY_FROM_ZERO(RoundingMode.HALF_UP);

        final RoundingMode mode;

        Ties(RoundingMode mode) {
            this.mode = mode;
        }
    }

    /** The longest text {@link #writeG} produces ({@code -2.2250738585072014e-308}). */
    public static final int MAX_G_LENGTH = 32;

    /** The largest precision {@link #writeG} accepts. */
    public static final int MAX_FAST_PRECISION = 17;

    private PrintfFloat() {}

    /**
     * One of {@code e E f F g G} with the given precision, sign included, no padding; {@code
     * alternate} is the {@code #} flag.
     */
    public static String format(char conversion, double v, int precision, boolean alternate) {
        return format(conversion, v, precision, alternate, Ties.EVEN);
    }

    /** {@link #format(char, double, int, boolean)} with the given tie rule. */
    public static String format(
            char conversion, double v, int precision, boolean alternate, Ties ties) {
        char c = Character.toLowerCase(conversion);
        String s;
        if (c == 'g' && !alternate && precision <= MAX_FAST_PRECISION) {
            byte[] out = new byte[MAX_G_LENGTH];
            s =
                    new String(
                            out,
                            0,
                            writeG(v, precision, ties, out),
                            java.nio.charset.StandardCharsets.ISO_8859_1);
        } else {
            s = BigDecimalPrintf.format(c, v, precision, alternate, ties.mode);
        }
        return Character.isUpperCase(conversion) ? s.toUpperCase(java.util.Locale.ROOT) : s;
    }

    /** {@code %.<precision>g} of {@code v}. */
    public static String g(double v, int precision) {
        return format('g', v, precision, false, Ties.EVEN);
    }

    /** {@code %.<precision>g} of {@code v} with the given tie rule. */
    public static String g(double v, int precision, Ties ties) {
        return format('g', v, precision, false, ties);
    }

    /**
     * Writes {@code %.<precision>g} of {@code v} as ASCII to {@code out[0..]} (at least {@link
     * #MAX_G_LENGTH} long) and returns the length. Allocates nothing for magnitudes from about
     * 1e-11 to 1e17.
     *
     * @param precision 0 to {@link #MAX_FAST_PRECISION}; 0 means 1, as in C
     */
    public static int writeG(double v, int precision, byte[] out) {
        return writeG(v, precision, Ties.EVEN, out);
    }

    /** {@link #writeG(double, int, byte[])} with the given tie rule. */
    public static int writeG(double v, int precision, Ties ties, byte[] out) {
        if (precision < 0 || precision > MAX_FAST_PRECISION) {
            throw new IllegalArgumentException("precision out of 0.." + MAX_FAST_PRECISION);
        }
        int p = precision == 0 ? 1 : precision;
        if (Double.isNaN(v)) {
            return put(out, 0, "nan");
        }
        if (Double.isInfinite(v)) {
            return put(out, 0, v > 0 ? "inf" : "-inf");
        }
        if (v == 0) {
            return put(out, 0, Double.doubleToRawLongBits(v) < 0 ? "-0" : "0");
        }
        int n = 0;
        if (v < 0) {
            out[n++] = '-';
        }
        double abs = Math.abs(v);
        if (abs < ExactDigits.POW10[p] && abs == Math.rint(abs)) {
            // an integer of at most p digits: exact, printed without a decimal point
            return writeLong(out, n, (long) abs);
        }
        long digits;
        int exponent;
        long fast = ExactDigits.of(abs, p, ties);
        if (fast != 0) {
            digits = fast >>> 6;
            exponent = (int) (fast & 63) - 32;
        } else {
            BigDecimal rounded = new BigDecimal(abs).round(new MathContext(p, ties.mode));
            digits = rounded.unscaledValue().longValueExact();
            int length = Long.toString(digits).length();
            for (int i = length; i < p; i++) {
                digits *= 10; // normalise to exactly p digits
            }
            exponent = length - rounded.scale() - 1;
        }
        return write(out, n, digits, exponent, p);
    }

    /** Writes {@code p} digits with decimal exponent {@code exponent} as {@code %g} does. */
    private static int write(byte[] out, int n, long digits, int exponent, int p) {
        int last = p - 1;
        while (last > 0 && digit(digits, last, p) == '0') {
            last--;
        }
        if (exponent < -4 || exponent >= p) {
            out[n++] = digit(digits, 0, p);
            if (last > 0) {
                out[n++] = '.';
                for (int i = 1; i <= last; i++) {
                    out[n++] = digit(digits, i, p);
                }
            }
            out[n++] = 'e';
            out[n++] = (byte) (exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs >= 100) {
                out[n++] = (byte) ('0' + abs / 100);
            }
            out[n++] = (byte) ('0' + abs / 10 % 10);
            out[n++] = (byte) ('0' + abs % 10);
            return n;
        }
        if (exponent < 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = -1; i > exponent; i--) {
                out[n++] = '0';
            }
            for (int i = 0; i <= last; i++) {
                out[n++] = digit(digits, i, p);
            }
            return n;
        }
        for (int i = 0; i <= exponent; i++) {
            out[n++] = digit(digits, i, p);
        }
        if (last > exponent) {
            out[n++] = '.';
            for (int i = exponent + 1; i <= last; i++) {
                out[n++] = digit(digits, i, p);
            }
        }
        return n;
    }

    /** Digit {@code i} (0 = most significant) of a {@code p}-digit number, as an ASCII byte. */
    private static byte digit(long digits, int i, int p) {
        return (byte) ('0' + digits / ExactDigits.POW10[p - 1 - i] % 10);
    }

    private static int writeLong(byte[] out, int n, long value) {
        int start = n;
        do {
            out[n++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = n - 1; i < j; i++, j--) {
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return n;
    }

    private static int put(byte[] out, int n, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[n++] = (byte) s.charAt(i);
        }
        return n;
    }
}
