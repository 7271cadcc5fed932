package org.dragonflymle.operator;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code dragonfly.metric(name [, n])}: adds n (default 1) to a counter of the stage, created on
 * first use in the metric group {@code user}, so it shows in Flink's metrics and dashboard.
 */
final class UserMetrics extends VarArgFunction {

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    UserMetrics(MetricGroup stageGroup) {
        this.group = stageGroup.addGroup("user");
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue name = args.arg1();
        if (!name.isstring()) {
            throw new LuaError(
                    "bad argument #1 to 'metric' (string expected, got " + name.typename() + ")");
        }
        long n = args.narg() >= 2 ? args.checklong(2) : 1;
        counters.computeIfAbsent(name.tojstring(), group::counter).inc(n);
        return LuaValue.NONE;
    }
}
