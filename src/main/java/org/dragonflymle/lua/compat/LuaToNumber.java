package org.dragonflymle.lua.compat;

import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code tonumber(v [, base])} with LuaJIT's rules for strings: surrounding white space, a sign,
 * hexadecimal {@code 0x}, {@code inf} and {@code nan}. Replaces LuaJ's, which fails with an
 * internal error on input such as {@code "0x"}.
 */
public final class LuaToNumber extends VarArgFunction {

    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    @Override
    public Varargs invoke(Varargs args) {
        if (args.narg() == 0) {
            throw LuaArgs.bad(1, "tonumber", "value expected");
        }
        LuaValue v = args.arg1();
        LuaValue base = args.arg(2);
        if (base.isnil()) {
            if (v.type() == TNUMBER) {
                return v;
            }
            if (v.type() != TSTRING) {
                return NIL;
            }
            return parse(v.tojstring());
        }
        int b = LuaArgs.checkInt(args, 2, "tonumber");
        if (b == 10) {
            // LuaJIT reads base 10 as a plain numeral, fractions and hex included
            return v.type() == TNUMBER ? v : v.type() == TSTRING ? parse(v.tojstring()) : NIL;
        }
        if (b < 2 || b > 36) {
            throw LuaArgs.bad(2, "tonumber", "base out of range");
        }
        return parse(LuaArgs.checkString(args, 1, "tonumber").tojstring(), b);
    }

    /** A decimal or hexadecimal numeral as Lua reads it; nil if it is none. */
    public static LuaValue parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return NIL;
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        if (body.length() > 2 && (body.startsWith("0x") || body.startsWith("0X"))) {
            // LuaJIT reads a hexadecimal fraction and binary exponent too: 0x1p4, 0x.8
            LuaValue n = hex(body.substring(2));
            return n.isnil() ? NIL : valueOf(negative ? -n.todouble() : n.todouble());
        }
        String lower = body.toLowerCase();
        if (lower.equals("inf") || lower.equals("infinity")) {
            return valueOf(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (lower.equals("nan")) {
            return valueOf(Double.NaN);
        }
        if (!DECIMAL.matcher(s).matches()) {
            return NIL;
        }
        return valueOf(Double.parseDouble(s));
    }

    /** Hexadecimal digits with an optional fraction and binary exponent ({@code 1.8p3}). */
    private static LuaValue hex(String text) {
        int p = text.toLowerCase().indexOf('p');
        String mantissa = p < 0 ? text : text.substring(0, p);
        int exponent = 0;
        if (p >= 0) {
            String e = text.substring(p + 1);
            if (!e.matches("[+-]?\\d+")) {
                return NIL;
            }
            exponent = (int) Math.max(-100000, Math.min(100000, Double.parseDouble(e)));
        }
        int dot = mantissa.indexOf('.');
        String digits =
                dot < 0 ? mantissa : mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        if (digits.isEmpty() || (dot >= 0 && mantissa.indexOf('.', dot + 1) >= 0)) {
            return NIL;
        }
        java.math.BigInteger n = java.math.BigInteger.ZERO;
        for (int k = 0; k < digits.length(); k++) {
            int d = Character.digit(digits.charAt(k), 16);
            if (d < 0) {
                return NIL;
            }
            n = n.shiftLeft(4).or(java.math.BigInteger.valueOf(d));
        }
        int scale = exponent - 4 * (dot < 0 ? 0 : mantissa.length() - dot - 1);
        java.math.BigDecimal v = new java.math.BigDecimal(n);
        double d =
                scale >= 0
                        ? (scale > 2000
                                ? (n.signum() == 0 ? 0 : Double.POSITIVE_INFINITY)
                                : v.multiply(
                                                new java.math.BigDecimal(
                                                        java.math.BigInteger.ONE.shiftLeft(scale)))
                                        .doubleValue())
                        : (scale < -2000
                                ? 0
                                : v.divide(
                                                new java.math.BigDecimal(
                                                        java.math.BigInteger.ONE.shiftLeft(-scale)))
                                        .doubleValue());
        return valueOf(d);
    }

    /** An integer numeral in {@code base}; nil if it is none. */
    public static LuaValue parse(String text, int base) {
        String s = text.strip().toLowerCase();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (base == 16 && s.startsWith("0x")) {
            s = s.substring(2);
        }
        if (s.isEmpty()) {
            return NIL;
        }
        double n = 0;
        for (int k = 0; k < s.length(); k++) {
            int d = Character.digit(s.charAt(k), base);
            if (d < 0) {
                return NIL;
            }
            n = n * base + d;
        }
        return valueOf(negative ? -n : n);
    }
}
