package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Argument checks of library functions with LuaJIT's conversions and messages: {@code bad argument
 * #2 to 'gsub' (number expected, got table)}. Strings accept numbers (written as {@code tostring}
 * does) and integers accept numeric strings, truncated toward zero like C's cast; a value outside
 * the 32-bit range becomes {@code INT_MIN}, as x86-64 LuaJIT's conversion does.
 */
public final class LuaArgs {

    private LuaArgs() {}

    public static LuaError bad(int arg, String function, String message) {
        return new LuaError("bad argument #" + arg + " to '" + function + "' (" + message + ")");
    }

    public static LuaError typeError(Varargs args, int arg, String function, String expected) {
        return bad(arg, function, expected + " expected, got " + typeName(args, arg));
    }

    static String typeName(Varargs args, int arg) {
        return arg > args.narg() ? "no value" : args.arg(arg).typename();
    }

    public static LuaString checkString(Varargs args, int arg, String function) {
        LuaValue v = args.arg(arg);
        switch (v.type()) {
            case LuaValue.TSTRING:
                return v.strvalue();
            case LuaValue.TNUMBER:
                return LuaToString.number(v);
            default:
                throw typeError(args, arg, function, "string");
        }
    }

    public static LuaString optString(Varargs args, int arg, String function, LuaString dflt) {
        return args.arg(arg).isnil() ? dflt : checkString(args, arg, function);
    }

    public static double checkNumber(Varargs args, int arg, String function) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = LuaToNumber.parse(v.tojstring());
            if (!n.isnil()) {
                return n.todouble();
            }
        }
        throw typeError(args, arg, function, "number");
    }

    public static int checkInt(Varargs args, int arg, String function) {
        return toInt(checkNumber(args, arg, function));
    }

    public static int optInt(Varargs args, int arg, String function, int dflt) {
        return args.arg(arg).isnil() ? dflt : checkInt(args, arg, function);
    }

    /** C's {@code (int32_t)d} on x86-64: truncation, {@code INT_MIN} when it does not fit. */
    public static int toInt(double d) {
        return d > -2147483649.0 && d < 2147483648.0 ? (int) d : Integer.MIN_VALUE;
    }
}
