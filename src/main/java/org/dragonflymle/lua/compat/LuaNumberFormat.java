package org.dragonflymle.lua.compat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers to text the way LuaJIT (C's printf) writes them. LuaJ prints non-integral numbers with
 * float precision ({@code 1/3} becomes {@code 0.33333334}, {@code 1e100} becomes {@code Infinity})
 * and its {@code string.format} ignores precision; this class is what {@code tostring}, {@code
 * print}, {@code table.concat} and {@code string.format} use instead.
 *
 * <p>Rounding works on the exact binary value with ties to even, which is what glibc does.
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
        return format('g', v, 14, false);
    }

    /**
     * One of {@code e E f F g G} with the given precision, sign included, no padding; {@code
     * alternate} is the {@code #} flag.
     */
    public static String format(char conversion, double v, int precision, boolean alternate) {
        boolean negative = v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0);
        String body;
        if (Double.isNaN(v)) {
            negative = false;
            body = "nan";
        } else if (Double.isInfinite(v)) {
            body = "inf";
        } else {
            double a = Math.abs(v);
            switch (Character.toLowerCase(conversion)) {
                case 'e':
                    body = exponential(a, precision, alternate);
                    break;
                case 'f':
                    body = fixed(a, precision, alternate);
                    break;
                default:
                    body = general(a, precision, alternate);
                    break;
            }
        }
        if (Character.isUpperCase(conversion)) {
            body = body.toUpperCase();
        }
        return negative ? "-" + body : body;
    }

    static String fixed(double a, int precision, boolean alternate) {
        String s = new BigDecimal(a).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return precision == 0 && alternate ? s + "." : s;
    }

    static String exponential(double a, int precision, boolean alternate) {
        String digits;
        int exp;
        if (a == 0) {
            digits = "0";
            exp = 0;
        } else {
            BigDecimal r =
                    new BigDecimal(a).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            digits = r.unscaledValue().toString();
            exp = digits.length() - 1 - r.scale();
        }
        StringBuilder sb = new StringBuilder(precision + 8);
        sb.append(digits.charAt(0));
        if (precision > 0 || alternate) {
            sb.append('.');
        }
        for (int i = 1; i <= precision; i++) {
            sb.append(i < digits.length() ? digits.charAt(i) : '0');
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    static String general(double a, int precision, boolean alternate) {
        int p = precision == 0 ? 1 : precision;
        int x = 0;
        if (a != 0) {
            BigDecimal r = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN));
            x = r.precision() - r.scale() - 1;
        }
        String s =
                p > x && x >= -4
                        ? fixed(a, p - 1 - x, alternate)
                        : exponential(a, p - 1, alternate);
        return alternate ? s : stripZeros(s);
    }

    private static String stripZeros(String s) {
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.indexOf('.') < 0) {
            return s;
        }
        int end = mantissa.length();
        while (mantissa.charAt(end - 1) == '0') {
            end--;
        }
        if (mantissa.charAt(end - 1) == '.') {
            end--;
        }
        return mantissa.substring(0, end) + (e < 0 ? "" : s.substring(e));
    }
}
