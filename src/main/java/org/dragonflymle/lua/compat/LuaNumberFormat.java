package org.dragonflymle.lua.compat;

import org.dragonflymle.format.PrintfFloat;

/**
 * Numbers to text the way LuaJIT writes them. LuaJ prints non-integral numbers with float precision
 * ({@code 1/3} becomes {@code 0.33333334}, {@code 1e100} becomes {@code Infinity}) and its {@code
 * string.format} ignores precision; {@link #toString(double)} is what every path from a number to
 * text uses instead: {@code tostring}, {@code print}, {@code table.concat}, hiredis arguments, and
 * – through the patched {@code LuaDouble.tojstring()} (see {@code
 * src/build/java/org/dragonflymle/buildtools/LuaJPatch.java}) – {@code ..}, coercion of numbers in
 * string arguments and error values.
 *
 * <p>The conversions are the engine's one printf implementation, {@link PrintfFloat}, with LuaJIT's
 * tie rule: an exact tie rounds away from zero ({@code %.0f} of 2.5 is 3 where glibc says 2, {@code
 * 12345678901234.5} prints {@code 12345678901235}).
 */
public final class LuaNumberFormat {

    private static final double TWO_63 = 9.223372036854775808e18;

    private LuaNumberFormat() {}

    /**
     * {@code tostring(n)}: integral values below 2^63 print all their digits (a deliberate
     * deviation, so a 64-bit id keeps its digits), others {@code %.14g} like LuaJIT.
     */
    public static String toString(double v) {
        if (v == Math.rint(v) && v >= -TWO_63 && v < TWO_63) {
            if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
                return "-0";
            }
            return Long.toString((long) v);
        }
        return PrintfFloat.g(v, 14, PrintfFloat.Ties.AWAY_FROM_ZERO);
    }

    /**
     * One of {@code a A e E f F g G} with the given precision (-1 for {@code %a}: all digits), sign
     * included, no padding; {@code alternate} is the {@code #} flag.
     */
    public static String format(char conversion, double v, int precision, boolean alternate) {
        if (conversion != 'a' && conversion != 'A') {
            return PrintfFloat.format(
                    conversion, v, precision, alternate, PrintfFloat.Ties.AWAY_FROM_ZERO);
        }
        boolean negative = v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0);
        String body;
        if (Double.isNaN(v)) {
            negative = false;
            body = "nan";
        } else if (Double.isInfinite(v)) {
            body = "inf";
        } else {
            body = hex(Math.abs(v), precision, alternate);
        }
        if (conversion == 'A') {
            body = body.toUpperCase(java.util.Locale.ROOT);
        }
        return negative ? "-" + body : body;
    }

    /** C's {@code %a}: hexadecimal mantissa, binary exponent; precision -1 for all digits. */
    static String hex(double a, int precision, boolean alternate) {
        long bits = Double.doubleToRawLongBits(a);
        int biased = (int) (bits >>> 52);
        long frac = bits & 0x000F_FFFF_FFFF_FFFFL;
        int lead = a == 0 ? 0 : 1;
        int exp = a == 0 ? 0 : biased - 1023;
        if (biased == 0 && frac != 0) {
            // subnormal: glibc normalises it, 0x1p-1074
            int top = 63 - Long.numberOfLeadingZeros(frac);
            exp = -1074 + top;
            frac = (frac ^ (1L << top)) << (52 - top);
        }
        int digits;
        if (precision < 0) {
            digits = 13;
            while (digits > 0 && (frac & 0xF) == 0) {
                frac >>>= 4;
                digits--;
            }
        } else if (precision < 13) {
            int shift = (13 - precision) * 4;
            long kept = frac >>> shift;
            long rest = frac & ((1L << shift) - 1);
            long half = 1L << (shift - 1);
            if (rest >= half) { // glibc rounds a tie up here
                kept++;
                if (kept == 1L << (precision * 4)) {
                    kept = 0;
                    lead++;
                }
            }
            frac = kept;
            digits = precision;
        } else {
            digits = precision;
        }
        StringBuilder sb = new StringBuilder("0x").append(lead);
        if (digits > 0 || alternate) {
            sb.append('.');
        }
        String h = digits == 0 ? "" : Long.toHexString(frac);
        int width = Math.min(digits, 13);
        for (int i = h.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(h);
        for (int i = 13; i < digits; i++) {
            sb.append('0');
        }
        return sb.append('p').append(exp < 0 ? '-' : '+').append(Math.abs(exp)).toString();
    }
}
