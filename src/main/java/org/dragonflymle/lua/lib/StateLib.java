package org.dragonflymle.lua.lib;

import org.dragonflymle.lua.api.ScriptState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code dragonfly.state}: {@code get(name)}, {@code put(name, value)}, {@code incr(name [, n])},
 * {@code clear(name)} over a {@link ScriptState}. On a stage without {@code key=} every call is a
 * Lua error that says so, since state without a key has no scope a restart could restore.
 */
public final class StateLib {

    private StateLib() {}

    /** The table for a keyed stage. */
    public static LuaTable table(ScriptState state) {
        LuaTable t = new LuaTable();
        t.set("get", new Fn("get", 1, args -> state.get(name(args, "get"))));
        t.set(
                "put",
                new Fn(
                        "put",
                        2,
                        args -> {
                            state.put(name(args, "put"), args.arg(2));
                            return LuaValue.NONE;
                        }));
        t.set(
                "incr",
                new Fn(
                        "incr",
                        1,
                        args -> {
                            LuaValue n = args.arg(2);
                            double by = n.isnil() ? 1 : n.checkdouble();
                            return state.incr(name(args, "incr"), by);
                        }));
        t.set(
                "clear",
                new Fn(
                        "clear",
                        1,
                        args -> {
                            state.clear(name(args, "clear"));
                            return LuaValue.NONE;
                        }));
        return t;
    }

    /** The table for a stage without a key: every call explains what is missing. */
    public static LuaTable unavailable(String stage) {
        ScriptState none =
                new ScriptState() {
                    private LuaError error() {
                        return new LuaError(
                                "dragonfly.state needs key= on "
                                        + stage
                                        + " (state is kept per key of the event)");
                    }

                    @Override
                    public LuaValue get(String name) {
                        throw error();
                    }

                    @Override
                    public void put(String name, LuaValue value) {
                        throw error();
                    }

                    @Override
                    public LuaValue incr(String name, double n) {
                        throw error();
                    }

                    @Override
                    public void clear(String name) {
                        throw error();
                    }
                };
        return table(none);
    }

    private static String name(Varargs args, String fn) {
        LuaValue name = args.arg1();
        if (!name.isstring()) {
            throw new LuaError(
                    "bad argument #1 to 'state."
                            + fn
                            + "' (string expected, got "
                            + name.typename()
                            + ")");
        }
        return name.tojstring();
    }

    private interface Body {
        Varargs call(Varargs args);
    }

    private static final class Fn extends VarArgFunction {
        private final Body body;
        private final int minArgs;
        private final String fn;

        Fn(String fn, int minArgs, Body body) {
            this.fn = fn;
            this.minArgs = minArgs;
            this.body = body;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < minArgs) {
                throw new LuaError("state." + fn + " needs " + minArgs + " argument(s)");
            }
            return body.call(args);
        }
    }
}
