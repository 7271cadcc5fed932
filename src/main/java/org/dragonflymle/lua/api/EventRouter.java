package org.dragonflymle.lua.api;

import org.luaj.vm2.LuaValue;

/**
 * Where the {@code dragonfly} module sends what a script emits. The operator running the script
 * implements it; the Lua library only validates arguments. Calls happen on the operator's task
 * thread, during {@code loop} or a timer, so implementations need no locking. The value passed is
 * owned by the script: an implementation that keeps it must copy (encode) it before returning,
 * which is what gives receivers the deep copy docs/lua-api.md promises.
 */
public interface EventRouter {

    /** {@code dragonfly.analyze_event(tag, value)} with a non-empty tag. */
    void analyze(String tag, LuaValue value);

    /** {@code dragonfly.output_event(tag, value)} (alias {@code forward_event}). */
    void output(String tag, LuaValue value);

    /** {@code dragonfly.log_event(value)}: one JSON line in the engine's log output. */
    void log(LuaValue value);

    /** {@code dragonfly.stats_event(value)}: one JSON line in the stats output. */
    void stats(LuaValue value);

    /** {@code dragonfly.timer_event(tag, seconds, value)}: deliver to {@code tag} later. */
    void timer(String tag, double seconds, LuaValue value);
}
