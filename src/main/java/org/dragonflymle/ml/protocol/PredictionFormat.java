package org.dragonflymle.ml.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Prints a prediction as Redis-ML replied it: C's {@code printf("%.17g", v)}, 17 significant digits
 * correctly rounded (half-even on the exact binary value), trailing zeros dropped, so {@code 14.0}
 * is {@code "14"}, {@code 1/(1+e^4)} is {@code "0.017986209962091559"} and {@code 0.1} is {@code
 * "0.10000000000000001"}. Seventeen digits name every double exactly, so a script that calls {@code
 * tonumber} on the reply gets the very number the engine computed. Exponent form ({@code
 * "1.0000000000000001e-05"}, {@code "1e+17"}) below 1e-4 and from 1e17 up, as {@code %g} does;
 * {@code "inf"}, {@code "-inf"}, {@code "nan"} and {@code "-0"} as glibc prints them.
 *
 * <p>The common case (magnitudes from about 1e-11 to 1e17) is computed exactly with 128-bit integer
 * arithmetic and allocates only the returned array; other magnitudes go through {@link BigDecimal}.
 * Stateless and thread-safe.
 */
public final class PredictionFormat {

    private static final int DIGITS = 17;
    private static final long TEN_POW_16 = 10_000_000_000_000_000L;
    private static final long TEN_POW_17 = 100_000_000_000_000_000L;
    private static final MathContext SIGNIFICANT_17 =
            new MathContext(DIGITS, RoundingMode.HALF_EVEN);
    private static final long[] POW5 = new long[28];
    private static final long[] POW10 = new long[DIGITS];

    static {
        POW5[0] = 1;
        for (int i = 1; i < POW5.length; i++) {
            POW5[i] = POW5[i - 1] * 5;
        }
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private PredictionFormat() {}

    /** The longest text {@link #write} produces ({@code -2.2250738585072014e-308}). */
    public static final int MAX_LENGTH = 32;

    /** {@code %.17g} of {@code v} as ASCII bytes. */
    public static byte[] format(double v) {
        return format(v, new byte[MAX_LENGTH]);
    }

    /**
     * {@code %.17g} of {@code v} as ASCII bytes, using {@code scratch} (at least {@link
     * #MAX_LENGTH} long) so that the returned array is the only allocation.
     */
    public static byte[] format(double v, byte[] scratch) {
        return Arrays.copyOf(scratch, write(v, scratch));
    }

    /** Writes {@code %.17g} of {@code v} to {@code out[0..]}; returns the length. */
    static int write(double v, byte[] out) {
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
        long digits;
        int exponent;
        if (abs < 1e17 && abs == Math.rint(abs)) {
            // An integer below 1e17 has at most 17 digits: exact, printed without a decimal point.
            return writeLong(out, n, (long) abs);
        }
        long fast = digitsFast(abs);
        if (fast != 0) {
            digits = fast >>> 6;
            exponent = (int) (fast & 63) - 32;
        } else {
            BigDecimal rounded = new BigDecimal(abs).round(SIGNIFICANT_17);
            digits = rounded.unscaledValue().longValueExact();
            int scale = rounded.scale();
            // Normalise to exactly 17 digits.
            int length = Long.toString(digits).length();
            for (int i = length; i < DIGITS; i++) {
                digits *= 10;
            }
            exponent = length - scale - 1;
        }
        return write(out, n, digits, exponent);
    }

    /**
     * The 17 significant digits of {@code abs} (a positive finite double) correctly rounded, packed
     * as {@code digits * 1000 + (exponent + 500)}, or 0 when the value lies outside the range
     * computed with longs.
     */
    private static long digitsFast(double abs) {
        long bits = Double.doubleToRawLongBits(abs);
        int biased = (int) (bits >>> 52);
        if (biased == 0) {
            return 0; // subnormal: far below the fast range
        }
        long mantissa = (bits & 0x000F_FFFF_FFFF_FFFFL) | 0x0010_0000_0000_0000L;
        int binaryExponent = biased - 1075; // abs = mantissa * 2^binaryExponent
        if (binaryExponent >= 0) {
            return 0; // integers >= 2^53 here are >= 1e17 or handled as integers above
        }
        int q = -binaryExponent;
        // Decimal exponent of the first digit: an estimate, corrected below.
        int exponent = (int) Math.floor(Math.log10(abs));
        for (int attempt = 0; attempt < 3; attempt++) {
            int k = DIGITS - 1 - exponent; // abs * 10^k has 17 digits before the point
            if (k < 0 || k >= POW5.length) {
                return 0;
            }
            // abs * 10^k = mantissa * 5^k / 2^(q-k), computed in 128 bits.
            long hi = Math.multiplyHigh(mantissa, POW5[k]);
            long lo = mantissa * POW5[k];
            int shift = q - k;
            long quotient;
            boolean roundUp;
            if (shift <= 0) {
                int left = -shift;
                if (hi != 0 || left >= 63 || (lo >>> (63 - left)) != 0) {
                    return 0;
                }
                quotient = lo << left;
                roundUp = false;
            } else {
                if (shift >= 127) {
                    return 0;
                }
                long remainderHi;
                long remainderLo;
                if (shift >= 64) {
                    quotient = hi >>> (shift - 64);
                    remainderHi = shift == 64 ? 0 : hi & ((1L << (shift - 64)) - 1);
                    remainderLo = lo;
                } else {
                    if ((hi >>> shift) != 0) {
                        return 0; // quotient wider than 64 bits: the estimate was far off
                    }
                    quotient = (hi << (64 - shift)) | (lo >>> shift);
                    remainderHi = 0;
                    remainderLo = lo & ((1L << shift) - 1);
                }
                // Compare the remainder with half of 2^shift.
                int cmp;
                int halfBit = shift - 1;
                if (halfBit >= 64) {
                    long halfHi = 1L << (halfBit - 64);
                    cmp =
                            remainderHi != halfHi
                                    ? Long.compareUnsigned(remainderHi, halfHi)
                                    : (remainderLo != 0 ? 1 : 0);
                } else {
                    long halfLo = 1L << halfBit;
                    cmp = remainderHi != 0 ? 1 : Long.compareUnsigned(remainderLo, halfLo);
                }
                roundUp = cmp > 0 || (cmp == 0 && (quotient & 1) == 1);
            }
            if (quotient < 0 || quotient >= TEN_POW_17) {
                exponent++;
                continue;
            }
            if (quotient < TEN_POW_16) {
                exponent--;
                continue;
            }
            if (roundUp) {
                quotient++;
                if (quotient == TEN_POW_17) {
                    quotient = TEN_POW_16;
                    exponent++;
                }
            }
            return quotient << 6 | (exponent + 32);
        }
        return 0;
    }

    /** Writes 17 digits with decimal exponent {@code exponent} as {@code %g} would. */
    private static int write(byte[] out, int n, long digits, int exponent) {
        int last = DIGITS - 1;
        while (last > 0 && digit(digits, last) == '0') {
            last--;
        }
        if (exponent < -4 || exponent >= DIGITS) {
            out[n++] = digit(digits, 0);
            if (last > 0) {
                out[n++] = '.';
                for (int i = 1; i <= last; i++) {
                    out[n++] = digit(digits, i);
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
                out[n++] = digit(digits, i);
            }
            return n;
        }
        for (int i = 0; i <= exponent; i++) {
            out[n++] = digit(digits, i);
        }
        if (last > exponent) {
            out[n++] = '.';
            for (int i = exponent + 1; i <= last; i++) {
                out[n++] = digit(digits, i);
            }
        }
        return n;
    }

    /** Digit {@code i} (0 = most significant) of a 17-digit number, as an ASCII byte. */
    private static byte digit(long digits, int i) {
        return (byte) ('0' + digits / POW10[DIGITS - 1 - i] % 10);
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
