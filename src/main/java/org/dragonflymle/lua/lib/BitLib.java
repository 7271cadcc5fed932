package org.dragonflymle.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * LuaJIT's {@code bit} module (BitOp): 32-bit operations whose results are signed 32-bit numbers,
 * exactly as LuaJIT returns them ({@code bit.tobit(0xffffffff) == -1}). Arguments are normalized
 * like LuaJIT's {@code tobit}: rounded to the nearest integer (ties to even), then taken modulo
 * 2^32. Shift counts use their low five bits. Installed as the global {@code bit} and as {@code
 * package.loaded.bit}.
 */
public final class BitLib extends TwoArgFunction {

    private static final int TOBIT = 0;
    private static final int TOHEX = 1;
    private static final int BNOT = 2;
    private static final int BAND = 3;
    private static final int BOR = 4;
    private static final int BXOR = 5;
    private static final int LSHIFT = 6;
    private static final int RSHIFT = 7;
    private static final int ARSHIFT = 8;
    private static final int ROL = 9;
    private static final int ROR = 10;
    private static final int BSWAP = 11;
    private static final String[] NAMES = {
        "tobit", "tohex", "bnot", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol",
        "ror", "bswap"
    };

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable bit = new LuaTable();
        for (int i = 0; i < NAMES.length; i++) {
            bit.set(NAMES[i], new Op(i, NAMES[i]));
        }
        env.set("bit", bit);
        env.get("package").get("loaded").set("bit", bit);
        return bit;
    }

    /** LuaJIT's number to 32-bit conversion. */
    public static int tobit(double x) {
        double r = Math.rint(x);
        if (Math.abs(r) < 9.2e18) {
            return (int) (long) r;
        }
        return (int) (long) (r % 4294967296.0);
    }

    /** {@code bit.tohex(x, n)}: |n| hex digits of x as unsigned 32 bits, upper case if n < 0. */
    public static String tohex(int x, int n) {
        boolean upper = n < 0;
        int digits = Math.min(Math.abs(n), 64);
        String hex = String.format(upper ? "%08X" : "%08x", x);
        if (digits <= 8) {
            return hex.substring(8 - digits);
        }
        return "0".repeat(digits - 8) + hex;
    }

    private static final class Op extends VarArgFunction {
        Op(int opcode, String name) {
            this.opcode = opcode;
            this.name = name;
        }

        @Override
        public Varargs invoke(Varargs args) {
            int x = arg(args, 1);
            switch (opcode) {
                case TOBIT:
                    return valueOf(x);
                case TOHEX:
                    return valueOf(tohex(x, args.isnoneornil(2) ? 8 : arg(args, 2)));
                case BNOT:
                    return valueOf(~x);
                case BAND:
                    for (int i = 2, n = args.narg(); i <= n; i++) {
                        x &= arg(args, i);
                    }
                    return valueOf(x);
                case BOR:
                    for (int i = 2, n = args.narg(); i <= n; i++) {
                        x |= arg(args, i);
                    }
                    return valueOf(x);
                case BXOR:
                    for (int i = 2, n = args.narg(); i <= n; i++) {
                        x ^= arg(args, i);
                    }
                    return valueOf(x);
                case LSHIFT:
                    return valueOf(x << arg(args, 2));
                case RSHIFT:
                    return valueOf(x >>> arg(args, 2));
                case ARSHIFT:
                    return valueOf(x >> arg(args, 2));
                case ROL:
                    return valueOf(Integer.rotateLeft(x, arg(args, 2)));
                case ROR:
                    return valueOf(Integer.rotateRight(x, arg(args, 2)));
                case BSWAP:
                    return valueOf(Integer.reverseBytes(x));
                default:
                    return NONE;
            }
        }

        private int arg(Varargs args, int i) {
            LuaValue v = args.arg(i);
            LuaValue n = v.type() == TNUMBER ? v : v.type() == TSTRING ? v.tonumber() : NIL;
            if (n.isnil()) {
                throw new LuaError(
                        "bad argument #"
                                + i
                                + " to '"
                                + name
                                + "' (number expected, got "
                                + (i > args.narg() ? "no value" : v.typename())
                                + ")");
            }
            return tobit(n.todouble());
        }
    }
}
