package org.dragonflymle.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code %e}, {@code %f}, and {@code %g} with {@code #} or a precision above 17: {@link BigDecimal}
 * on the exact binary value of the double, rounded by the caller's mode. The general path of {@link
 * PrintfFloat}; it allocates, so the per-event {@code %g} avoids it.
 */
final class BigDecimalPrintf {

    private BigDecimalPrintf() {}

    /**
     * {@code c} is one of {@code e f g} (lower case); the sign, {@code inf} and {@code nan} too.
     */
    static String format(char c, double v, int precision, boolean alternate, RoundingMode mode) {
        boolean negative = v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0);
        String body;
        if (Double.isNaN(v)) {
            negative = false;
            body = "nan";
        } else if (Double.isInfinite(v)) {
            body = "inf";
        } else {
            double a = Math.abs(v);
            body =
                    switch (c) {
                        case 'e' -> exponential(a, precision, alternate, mode);
                        case 'f' -> fixed(a, precision, alternate, mode);
                        default -> general(a, precision, alternate, mode);
                    };
        }
        return negative ? "-" + body : body;
    }

    private static String fixed(double a, int precision, boolean alternate, RoundingMode mode) {
        String s = new BigDecimal(a).setScale(precision, mode).toPlainString();
        return precision == 0 && alternate ? s + "." : s;
    }

    private static String exponential(
            double a, int precision, boolean alternate, RoundingMode mode) {
        String digits;
        int exp;
        if (a == 0) {
            digits = "0";
            exp = 0;
        } else {
            BigDecimal r = new BigDecimal(a).round(new MathContext(precision + 1, mode));
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

    private static String general(double a, int precision, boolean alternate, RoundingMode mode) {
        int p = precision == 0 ? 1 : precision;
        int x = 0;
        if (a != 0) {
            BigDecimal r = new BigDecimal(a).round(new MathContext(p, mode));
            x = r.precision() - r.scale() - 1;
        }
        String s =
                p > x && x >= -4
                        ? fixed(a, p - 1 - x, alternate, mode)
                        : exponential(a, p - 1, alternate, mode);
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
