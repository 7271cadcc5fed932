package org.dragonflymle.lua.api;

import org.luaj.vm2.LuaValue;

/**
 * The per-key state behind {@code dragonfly.state}: values scoped to the key of the event being
 * handled, kept by the engine (Flink keyed state, part of every checkpoint), so a keyed analyzer's
 * counters are exactly-once and survive restarts and rescaling without Redis. Implementations are
 * called on the operator's task thread only.
 */
public interface ScriptState {

    /** The value stored under {@code name} for the current key, or nil. */
    LuaValue get(String name);

    /** Stores {@code value} (any Lua value without functions); nil clears. */
    void put(String name, LuaValue value);

    /** Adds {@code n} to the number under {@code name} (absent counts as 0); returns the sum. */
    LuaValue incr(String name, double n);

    /** Removes {@code name} for the current key. */
    void clear(String name);
}
