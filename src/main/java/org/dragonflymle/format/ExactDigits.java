package org.dragonflymle.format;

/**
 * The significant digits of a double, correctly rounded, in exact 128-bit integer arithmetic: the
 * allocation-free core of {@link PrintfFloat#writeG} for magnitudes from about 1e-11 to 1e17. A
 * value outside that range answers 0 and the caller takes the {@link java.math.BigDecimal} path.
 */
final class ExactDigits {

    /** {@code 10^i} for every digit count {@link PrintfFloat#writeG} handles. */
    static final long[] POW10 = new long[PrintfFloat.MAX_FAST_PRECISION + 1];

    private static final long[] POW5 = new long[28];

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

    private ExactDigits() {}

    /**
     * The {@code p} significant digits of {@code abs} (positive, finite) correctly rounded, packed
     * as {@code digits << 6 | (exponent + 32)}, or 0 when the value lies outside the range computed
     * with longs.
     */
    static long of(double abs, int p, PrintfFloat.Ties ties) {
        long bits = Double.doubleToRawLongBits(abs);
        int biased = (int) (bits >>> 52);
        if (biased == 0) {
            return 0; // subnormal: far below the fast range
        }
        long mantissa = (bits & 0x000F_FFFF_FFFF_FFFFL) | 0x0010_0000_0000_0000L;
        int binaryExponent = biased - 1075; // abs = mantissa * 2^binaryExponent
        if (binaryExponent >= 0) {
            return 0;
        }
        int q = -binaryExponent;
        long low = POW10[p - 1];
        long high = POW10[p];
        // decimal exponent of the first digit: an estimate, corrected below
        int exponent = (int) Math.floor(Math.log10(abs));
        for (int attempt = 0; attempt < 3; attempt++) {
            int k = p - 1 - exponent; // abs * 10^k has p digits before the point
            if (k < 0 || k >= POW5.length) {
                return 0;
            }
            // abs * 10^k = mantissa * 5^k / 2^(q-k), computed in 128 bits
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
                // compare the remainder with half of 2^shift
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
                roundUp =
                        cmp > 0
                                || (cmp == 0
                                        && (ties == PrintfFloat.Ties.AWAY_FROM_ZERO
                                                || (quotient & 1) == 1));
            }
            if (quotient < 0 || quotient >= high) {
                exponent++;
                continue;
            }
            if (quotient < low) {
                exponent--;
                continue;
            }
            if (roundUp) {
                quotient++;
                if (quotient == high) {
                    quotient = low;
                    exponent++;
                }
            }
            return quotient << 6 | (exponent + 32);
        }
        return 0;
    }
}
