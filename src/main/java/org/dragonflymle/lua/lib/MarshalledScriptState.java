package org.dragonflymle.lua.lib;

import org.dragonflymle.lua.api.ScriptState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * The rules of {@code dragonfly.state} in one place, over any store of bytes per name: values are
 * kept marshal-encoded (so a stored table comes back as a copy), nil clears, {@code incr} works on
 * numbers and absent names only. The engine stores in Flink keyed state, the test runner in memory;
 * both see the same behaviour.
 */
public abstract class MarshalledScriptState implements ScriptState {

    /** The stored bytes of {@code name} for the current key, or null. */
    protected abstract byte[] read(String name);

    protected abstract void write(String name, byte[] bytes);

    protected abstract void remove(String name);

    @Override
    public final LuaValue get(String name) {
        byte[] bytes = read(name);
        return bytes == null ? LuaValue.NIL : MarshalCodec.decode(LuaString.valueUsing(bytes));
    }

    @Override
    public final void put(String name, LuaValue value) {
        if (value.isnil()) {
            clear(name);
            return;
        }
        LuaString encoded = MarshalCodec.encode(value);
        byte[] bytes = new byte[encoded.m_length];
        System.arraycopy(encoded.m_bytes, encoded.m_offset, bytes, 0, bytes.length);
        write(name, bytes);
    }

    @Override
    public final LuaValue incr(String name, double n) {
        LuaValue current = get(name);
        if (!current.isnil() && !current.isnumber()) {
            throw new LuaError(
                    "dragonfly.state.incr(\""
                            + name
                            + "\"): the value is a "
                            + current.typename()
                            + ", not a number");
        }
        LuaValue sum = LuaValue.valueOf((current.isnil() ? 0 : current.todouble()) + n);
        put(name, sum);
        return sum;
    }

    @Override
    public final void clear(String name) {
        remove(name);
    }
}
