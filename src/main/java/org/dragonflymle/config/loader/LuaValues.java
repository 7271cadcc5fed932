package org.dragonflymle.config.loader;

import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Conversions from config.lua values, strict about Lua types, with messages users can act on. Only
 * raw access: a metamethod would run Lua code after the sandbox has finished.
 */
final class LuaValues {

    private static final int MAX_QUOTED = 60;

    private LuaValues() {}

    /** A value as a complaint quotes it: {@code "abc"}, {@code 3}, {@code a table}. */
    static String describe(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TSTRING -> quote(v.tojstring());
            case LuaValue.TNUMBER, LuaValue.TBOOLEAN -> v.tojstring();
            case LuaValue.TNIL -> "nil";
            default -> "a " + v.typename();
        };
    }

    static String quote(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s;
        return "\"" + shown + "\"";
    }

    static boolean isString(LuaValue v) {
        return v.type() == LuaValue.TSTRING;
    }

    /**
     * An integer from a Lua number, or from a string of digits where {@code stringAllowed} (ports
     * are often written as strings in C-engine configs).
     *
     * @return {@code null} when the value is not an integer in [min, max]
     */
    static Long integer(LuaValue v, boolean stringAllowed, long min, long max) {
        long value;
        if (v.type() == LuaValue.TNUMBER) {
            double d = v.todouble();
            if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
                return null;
            }
            value = (long) d;
        } else if (stringAllowed && v.type() == LuaValue.TSTRING) {
            String s = v.tojstring().trim();
            if (s.isEmpty() || s.length() > 15 || !s.chars().allMatch(Character::isDigit)) {
                return null;
            }
            value = Long.parseLong(s);
        } else {
            return null;
        }
        return value >= min && value <= max ? value : null;
    }

    /**
     * The elements of a Lua list {@code {a, b, c}}.
     *
     * @throws InvalidEntry when the table has keys other than 1..n
     */
    static List<LuaValue> list(LuaTable table, String what) throws InvalidEntry {
        List<LuaValue> out = new ArrayList<>();
        int n = table.rawlen();
        for (int i = 1; i <= n; i++) {
            out.add(table.rawget(i));
        }
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(k);
            k = next.arg1();
            if (k.isnil()) {
                break;
            }
            boolean inList =
                    k.type() == LuaValue.TNUMBER
                            && k.todouble() == Math.rint(k.todouble())
                            && k.todouble() >= 1
                            && k.todouble() <= n;
            if (!inList) {
                throw new InvalidEntry(
                        what
                                + " must be a list like { {...}, {...} }, but has the key "
                                + (isString(k) ? quote(k.tojstring()) : "[" + k.tojstring() + "]")
                                + (k.type() == LuaValue.TNUMBER
                                        ? " (entries must be numbered 1..n without gaps)"
                                        : ""));
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).isnil()) {
                throw new InvalidEntry(
                        what + "[" + (i + 1) + "] is nil (entries must be numbered 1..n)");
            }
        }
        return out;
    }
}
