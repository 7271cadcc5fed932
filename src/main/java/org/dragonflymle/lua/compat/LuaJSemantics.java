package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The bodies of the LuaJ methods the build replaces (src/build/java/.../LuaJPatch.java): each
 * patched method is one call to the method of the same name here, with the object and its
 * arguments. Keeping them here keeps the patch itself trivial and the semantics in reviewed, tested
 * Java. Stateless; safe on any thread.
 */
public final class LuaJSemantics {

    private LuaJSemantics() {}

    /** {@code LuaDouble.tojstring()}: the one number-to-text routine, {@link LuaNumberFormat}. */
    public static String tojstring(LuaDouble d) {
        return LuaNumberFormat.toString(d.todouble());
    }

    /** {@code LuaTable.len()}, the {@code #} operator: the border, {@code __len} ignored (5.1). */
    public static LuaValue len(LuaTable t) {
        return LuaInteger.valueOf(t.rawlen());
    }

    /**
     * {@code LuaDouble.ddiv(double, double)}, every {@code /}: IEEE 754 division, as LuaJIT does it
     * ({@code (0/0)/0} is NaN, not LuaJ's {@code -inf}; {@code x/0} is an infinity of x's sign).
     */
    public static LuaValue ddiv(double lhs, double rhs) {
        return LuaValue.valueOf(lhs / rhs);
    }

    /** {@code LuaDouble.ddiv_d(double, double)}: the same division, unboxed. */
    public static double ddiv_d(double lhs, double rhs) {
        return lhs / rhs;
    }

    /** {@code MathLib.dpow(double, double)}, every {@code ^}: {@link #pow}. */
    public static LuaValue dpow(double x, double y) {
        return LuaValue.valueOf(pow(x, y));
    }

    /** {@code MathLib.dpow_d(double, double)}: {@link #pow}, unboxed. */
    public static double dpow_d(double x, double y) {
        return pow(x, y);
    }

    /**
     * C's {@code pow}, which LuaJIT calls for {@code ^} and {@code math.pow}: Java's {@code
     * Math.pow} except where C99 gives 1 and Java NaN, {@code pow(1, y)} for any y and {@code
     * pow(-1, ±inf)}.
     */
    public static double pow(double x, double y) {
        if (x == 1.0 || (x == -1.0 && Double.isInfinite(y))) {
            return 1.0;
        }
        if (Double.isInfinite(x) || x == 0) {
            // HotSpot's Math.pow intrinsic gets the sign of (-inf) ^ y wrong for large even y
            // (-inf for 3521108537280926); fdlibm's special cases are C's
            return StrictMath.pow(x, y);
        }
        return Math.pow(x, y);
    }

    /** {@code LuaString.strcmp}: bytes compared unsigned, as C's {@code memcmp}/{@code strcoll}. */
    public static int strcmp(LuaString a, LuaString b) {
        int n = Math.min(a.m_length, b.m_length);
        for (int i = 0; i < n; i++) {
            int x = a.m_bytes[a.m_offset + i] & 0xff;
            int y = b.m_bytes[b.m_offset + i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return a.m_length - b.m_length;
    }
}
