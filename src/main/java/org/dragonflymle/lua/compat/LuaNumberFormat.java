package org.dragonflymle.lua.compat;

import org.dragonflymle.format.PrintfFloat;

/**
 * Numbers to text the way LuaJIT (C's printf) writes them. LuaJ prints non-integral numbers with
 * float precision ({@code 1/3} becomes {@code 0.33333334}, {@code 1e100} becomes {@code Infinity})
 * and its {@code string.format} ignores precision; this class is what {@code tostring}, {@code
 * print}, {@code table.concat} and {@code string.format} use instead.
 *
 * <p>The conversions themselves are the engine's one printf implementation, {@link PrintfFloat}.
 */
public final class LuaNumberFormat {

    private static final double TWO_63 = 9.223372036854775808e18;

    private LuaNumberFormat() {}

    /**
     * {@code tostring(n)}: integral values below 2^63 print all their digits (as LuaJ's {@code ..}
     * does, so a 64-bit id keeps its digits in both), others {@code %.14g} like LuaJIT.
     */
    public static String toString(double v) {
        if (v == Math.rint(v) && v >= -TWO_63 && v < TWO_63) {
            if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
                return "-0";
            }
            return Long.toString((long) v);
        }
        return PrintfFloat.g(v, 14);
    }

    /**
     * One of {@code e E f F g G} with the given precision, sign included, no padding; {@code
     * alternate} is the {@code #} flag (see {@link PrintfFloat}).
     */
    public static String format(char conversion, double v, int precision, boolean alternate) {
        return PrintfFloat.format(conversion, v, precision, alternate);
    }
}
