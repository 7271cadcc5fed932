package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * Lua 5.1's {@code getfenv}/{@code setfenv} for what LuaJ can express. In LuaJ (Lua 5.2) a
 * function's environment is its {@code _ENV} upvalue: {@code setfenv(f, t)} gives {@code f} a fresh
 * {@code _ENV} of its own, as 5.1 did, and {@code getfenv(f)} reads it. Stack levels need the debug
 * library, which scripts do not get: {@code getfenv(level)} returns the globals and {@code
 * setfenv(level, t)} raises an error.
 */
final class FunctionEnvironments {

    private static final LuaString ENV = LuaString.valueOf("_ENV");

    private FunctionEnvironments() {}

    private static int envIndex(LuaClosure c) {
        for (int i = 0; i < c.p.upvalues.length; i++) {
            if (ENV.raweq(c.p.upvalues[i].name)) {
                return i;
            }
        }
        return -1;
    }

    static final class GetFenv extends TwoArgFunction {
        private final LuaValue globals;

        GetFenv(LuaValue globals) {
            this.globals = globals;
        }

        @Override
        public LuaValue call(LuaValue f, LuaValue unused) {
            if (f instanceof LuaClosure) {
                LuaClosure c = (LuaClosure) f;
                int i = envIndex(c);
                return i < 0 || c.upValues[i] == null ? globals : c.upValues[i].getValue();
            }
            if (f.isnil() || f.isnumber() || f.isfunction()) {
                return globals;
            }
            return argerror(1, "function or level expected");
        }
    }

    static final class SetFenv extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue f, LuaValue env) {
            env.checktable();
            if (!(f instanceof LuaClosure)) {
                throw new LuaError(
                        f.isnumber()
                                ? "setfenv with a stack level is not supported"
                                : "'setfenv' cannot change environment of given object");
            }
            LuaClosure c = (LuaClosure) f;
            int i = envIndex(c);
            if (i >= 0) {
                c.upValues[i] = new UpValue(new LuaValue[] {env}, 0);
            }
            return f;
        }
    }
}
