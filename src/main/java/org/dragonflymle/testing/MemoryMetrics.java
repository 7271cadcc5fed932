package org.dragonflymle.testing;

import java.util.Map;
import java.util.TreeMap;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code dragonfly.metric(name [, n])} in a test run: the same arguments as the engine's {@code
 * UserMetrics}, counted per stage in memory so {@code expect.metrics} can check them.
 */
final class MemoryMetrics extends VarArgFunction {

    private final Map<String, Long> counters = new TreeMap<>();

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue name = args.arg1();
        if (!name.isstring()) {
            throw new LuaError(
                    "bad argument #1 to 'metric' (string expected, got " + name.typename() + ")");
        }
        long n = args.narg() >= 2 ? args.checklong(2) : 1;
        counters.merge(name.tojstring(), n, Long::sum);
        return LuaValue.NONE;
    }

    /** Counter name → count, for the counters used. */
    Map<String, Long> snapshot() {
        return counters;
    }
}
