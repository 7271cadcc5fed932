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
            return argerror(1, "value expected");
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
        int b = base.checkint();
        if (b < 2 || b > 36) {
            argerror(2, "base out of range");
        }
        return parse(v.checkjstring(), b);
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

    private static LuaValue hex(String digits) {
        double n = 0;
        for (int k = 0; k < digits.length(); k++) {
            int d = Character.digit(digits.charAt(k), 16);
            if (d < 0) {
                return NIL;
            }
            n = n * 16 + d;
        }
        return valueOf(n);
    }

    /** An integer numeral in {@code base}; nil if it is none. */
    public static LuaValue parse(String text, int base) {
        String s = text.strip().toLowerCase();
        boolean negative = s.startsWith("-");
        if (negative) {
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
