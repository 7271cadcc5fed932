package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Library functions whose LuaJ versions differ from LuaJIT: {@code string.upper}/{@code lower}
 * change ASCII letters only (C locale), {@code math.log} takes a base, {@code math.modf} of an
 * infinity has fraction 0, {@code table.insert} checks its argument count.
 */
final class LuaJitLibFunctions {

    private LuaJitLibFunctions() {}

    static void install(LuaValue string, LuaValue math, LuaValue table) {
        string.set("upper", new CaseMap(true));
        string.set("lower", new CaseMap(false));
        math.set("log", new Log());
        math.set("modf", new Modf());
        table.set("insert", new Insert());
    }

    static final class CaseMap extends VarArgFunction {
        private final boolean upper;

        CaseMap(boolean upper) {
            this.upper = upper;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, upper ? "upper" : "lower");
            byte[] out = new byte[s.length()];
            for (int i = 0; i < out.length; i++) {
                int c = s.luaByte(i);
                if (upper && c >= 'a' && c <= 'z') {
                    c -= 32;
                } else if (!upper && c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                out[i] = (byte) c;
            }
            return LuaString.valueUsing(out);
        }
    }

    static final class Log extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            double x = LuaArgs.checkNumber(args, 1, "log");
            if (args.isnoneornil(2)) {
                return valueOf(Math.log(x));
            }
            double base = LuaArgs.checkNumber(args, 2, "log");
            if (base == 2) {
                return valueOf(Math.log(x) / Math.log(2));
            }
            if (base == 10) {
                return valueOf(Math.log10(x));
            }
            return valueOf(Math.log(x) / Math.log(base));
        }
    }

    static final class Modf extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            double x = LuaArgs.checkNumber(args, 1, "modf");
            double whole = x >= 0 ? Math.floor(x) : Math.ceil(x);
            double frac = Double.isInfinite(x) ? 0 : x - whole;
            return varargsOf(valueOf(whole), valueOf(frac));
        }
    }

    /** {@code table.insert(t, [pos,] v)}. */
    static final class Insert extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.arg1().type() != TTABLE) {
                throw LuaArgs.typeError(args, 1, "insert", "table");
            }
            LuaTable t = (LuaTable) args.arg1();
            int n = t.rawlen();
            switch (args.narg()) {
                case 2:
                    t.rawset(n + 1, args.arg(2));
                    return NONE;
                case 3:
                    int pos = LuaArgs.checkInt(args, 2, "insert");
                    for (int i = n; i >= pos; i--) {
                        t.rawset(i + 1, t.rawget(i));
                    }
                    t.rawset(pos, args.arg(3));
                    return NONE;
                default:
                    throw new LuaError("wrong number of arguments to 'insert'");
            }
        }
    }
}
