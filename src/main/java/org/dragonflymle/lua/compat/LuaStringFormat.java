package org.dragonflymle.lua.compat;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.format} as LuaJIT 2.1 does it. LuaJ's ignores width and precision for {@code %f %e
 * %g} ({@code %5.2f} of pi gives {@code 3.14159}), truncates {@code %d} to 32 bits, prints negative
 * {@code %x} with a minus sign and refuses non-strings for {@code %s}.
 *
 * <p>Supported: flags {@code -+ #0}, width and precision up to two digits each, conversions {@code
 * d i u c o x X e E f F g G q s %}. {@code %d} of a non-integral number truncates like LuaJIT;
 * {@code %s} converts any value with {@code tostring}.
 */
public final class LuaStringFormat extends VarArgFunction {

    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = LuaArgs.checkString(args, 1, "format");
        int n = fmt.length();
        Buffer out = new Buffer(n + 16);
        int arg = 1;
        int i = 0;
        while (i < n) {
            int c = fmt.luaByte(i++);
            if (c != '%') {
                out.append((byte) c);
                continue;
            }
            if (i < n && fmt.luaByte(i) == '%') {
                out.append((byte) '%');
                i++;
                continue;
            }
            Spec spec = new Spec();
            i = spec.parse(fmt, i);
            arg++;
            spec.emit(out, args, arg);
        }
        return out.tostring();
    }

    /** One conversion specification. */
    private static final class Spec {
        boolean left;
        boolean plus;
        boolean space;
        boolean alternate;
        boolean zero;
        int width = -1;
        int precision = -1;
        char conversion;

        /** LuaJIT's parser: any flags, up to two digits of width and of precision. */
        int parse(LuaString fmt, int i) {
            int n = fmt.length();
            int start = i - 1;
            while (i < n && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                switch (fmt.luaByte(i++)) {
                    case '-':
                        left = true;
                        break;
                    case '+':
                        plus = true;
                        break;
                    case ' ':
                        space = true;
                        break;
                    case '#':
                        alternate = true;
                        break;
                    default:
                        zero = true;
                        break;
                }
            }
            for (int d = 0; d < 2 && i < n && isDigit(fmt.luaByte(i)); d++) {
                width = Math.max(width, 0) * 10 + fmt.luaByte(i++) - '0';
            }
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                precision = 0;
                for (int d = 0; d < 2 && i < n && isDigit(fmt.luaByte(i)); d++) {
                    precision = precision * 10 + fmt.luaByte(i++) - '0';
                }
            }
            int c = i < n ? fmt.luaByte(i) : 0;
            if (c == 0 || "aAcdeEfFgGioqpsuxX".indexOf(c) < 0) {
                int end = c >= 32 ? i + 1 : i;
                throw new LuaError(
                        "invalid option '"
                                + fmt.substring(start, end).tojstring()
                                + "' to 'format'");
            }
            conversion = (char) c;
            return i + 1;
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        void emit(Buffer out, Varargs args, int arg) {
            switch (conversion) {
                case 'd':
                case 'i':
                    integer(out, signed(number(args, arg)), 10, false);
                    break;
                case 'u':
                    integer(out, unsigned(number(args, arg)), 10, true);
                    break;
                case 'o':
                    integer(out, unsigned(number(args, arg)), 8, true);
                    break;
                case 'x':
                case 'X':
                    integer(out, unsigned(number(args, arg)), 16, true);
                    break;
                case 'c':
                    pad(
                            out,
                            "",
                            LuaString.valueOf(
                                    new byte[] {(byte) LuaArgs.toInt(number(args, arg))}));
                    break;
                case 'a':
                case 'A':
                    floating(out, number(args, arg));
                    break;
                case 'p':
                    pad(out, "", LuaString.valueOf(pointer(value(args, arg))));
                    break;
                case 'e':
                case 'E':
                case 'f':
                case 'F':
                case 'g':
                case 'G':
                    floating(out, number(args, arg));
                    break;
                case 's':
                    {
                        LuaString s = LuaToString.of(value(args, arg));
                        if (precision >= 0 && precision < s.length()) {
                            s = s.substring(0, precision);
                        }
                        pad(out, "", s);
                        break;
                    }
                case 'q':
                    quoted(out, value(args, arg));
                    break;
                default:
                    throw new LuaError("invalid option '%" + conversion + "' to 'format'");
            }
        }

        private static LuaValue value(Varargs args, int arg) {
            if (arg > args.narg()) {
                throw LuaArgs.bad(arg, "format", "value expected");
            }
            return args.arg(arg);
        }

        private static double number(Varargs args, int arg) {
            LuaValue v = value(args, arg);
            LuaValue n = v.type() == TNUMBER ? v : v.type() == TSTRING ? v.tonumber() : NIL;
            if (n.isnil()) {
                throw new LuaError(
                        "bad argument #"
                                + arg
                                + " to 'format' (number expected, got "
                                + v.typename()
                                + ")");
            }
            return n.todouble();
        }

        /** C's {@code (int64_t)n} on x86-64: out of range and NaN give {@code INT64_MIN}. */
        private static long signed(double n) {
            return n >= -0x1p63 && n < 0x1p63 ? (long) n : Long.MIN_VALUE;
        }

        /** LuaJIT's conversion for unsigned formats: values from 2^63 wrap around 2^64. */
        private static long unsigned(double n) {
            return n >= 0x1p63 ? signed(n - 0x1p64) : signed(n);
        }

        /** {@code %p}: an address-like name, {@code NULL} for values that are not objects. */
        private static String pointer(LuaValue v) {
            switch (v.type()) {
                case TNIL:
                case TBOOLEAN:
                case TNUMBER:
                    return "NULL";
                default:
                    return "0x" + String.format("%08x", System.identityHashCode(v));
            }
        }

        private void integer(Buffer out, long v, int radix, boolean unsigned) {
            String digits;
            String sign = "";
            if (unsigned) {
                digits =
                        radix == 16
                                ? Long.toHexString(v)
                                : radix == 8 ? Long.toOctalString(v) : Long.toUnsignedString(v);
            } else {
                digits = v < 0 ? Long.toUnsignedString(-v) : Long.toString(v);
                sign = v < 0 ? "-" : plus ? "+" : space ? " " : "";
            }
            if (conversion == 'X') {
                digits = digits.toUpperCase();
            }
            if (precision == 0 && v == 0) {
                digits = "";
            }
            if (precision > digits.length()) {
                digits = "0".repeat(precision - digits.length()) + digits;
            }
            String prefix = sign;
            if (alternate && v != 0 && radix == 16) {
                prefix = conversion == 'X' ? "0X" : "0x";
            } else if (alternate && radix == 8 && !digits.startsWith("0")) {
                digits = "0" + digits;
            }
            if (zero && !left && precision < 0) {
                int fill = width - prefix.length() - digits.length();
                if (fill > 0) {
                    digits = "0".repeat(fill) + digits;
                }
            }
            pad(out, prefix, LuaString.valueOf(digits));
        }

        private void floating(Buffer out, double v) {
            int p = precision >= 0 ? precision : conversion == 'a' || conversion == 'A' ? -1 : 6;
            String s = LuaNumberFormat.format(conversion, v, p, alternate);
            String sign = "";
            if (s.startsWith("-")) {
                sign = "-";
                s = s.substring(1);
            } else if (plus && !Double.isNaN(v)) {
                sign = "+";
            } else if (space) {
                sign = " ";
            }
            if (conversion == 'a' || conversion == 'A') {
                // zeros go between the 0x and the digits
                sign = sign + s.substring(0, 2);
                s = s.substring(2);
            }
            if (zero && !left && Double.isFinite(v)) {
                int fill = width - sign.length() - s.length();
                if (fill > 0) {
                    s = "0".repeat(fill) + s;
                }
            }
            pad(out, sign, LuaString.valueOf(s));
        }

        private void pad(Buffer out, String prefix, LuaString body) {
            int fill = width - prefix.length() - body.length();
            if (!left) {
                spaces(out, fill);
            }
            out.append(prefix);
            out.append(body);
            if (left) {
                spaces(out, fill);
            }
        }

        private static void spaces(Buffer out, int n) {
            for (int k = 0; k < n; k++) {
                out.append((byte) ' ');
            }
        }

        private static void quoted(Buffer out, LuaValue v) {
            LuaString s = LuaToString.of(v);
            out.append((byte) '"');
            for (int k = 0, n = s.length(); k < n; k++) {
                int c = s.luaByte(k);
                if (c == '"' || c == '\\' || c == '\n') {
                    out.append((byte) '\\');
                    out.append((byte) c);
                } else if (c < 0x20 || c == 0x7f) {
                    boolean digitNext = k + 1 < n && Character.isDigit(s.luaByte(k + 1));
                    out.append(digitNext ? String.format("\\%03d", c) : "\\" + c);
                } else {
                    out.append((byte) c);
                }
            }
            out.append((byte) '"');
        }
    }
}
