package org.dragonflymle.stage;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code dragonfly.metric(name [, n])}: adds n (default 1) to the stage's counter {@code name}. The
 * arguments are checked here, once, whichever {@link UserCounters} counts.
 */
final class MetricFunction extends VarArgFunction {

    private final UserCounters counters;

    MetricFunction(UserCounters counters) {
        this.counters = counters;
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue name = args.arg1();
        if (!name.isstring()) {
            throw new LuaError(
                    "bad argument #1 to 'metric' (string expected, got " + name.typename() + ")");
        }
        long n = args.narg() >= 2 ? args.checklong(2) : 1;
        counters.add(name.tojstring(), n);
        return LuaValue.NONE;
    }
}
