package org.dragonflymle.operator;

import org.apache.flink.api.common.state.MapState;
import org.dragonflymle.lua.ScriptState;
import org.dragonflymle.lua.lib.MarshalCodec;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * {@code dragonfly.state} on Flink keyed state: one {@code MapState<name, marshal bytes>} per key,
 * so values are checkpointed with the stream (exactly-once) and redistributed with their key when
 * the stage is rescaled. Values are stored in the marshal format, which round-trips any Lua value
 * without functions.
 */
final class KeyedScriptState implements ScriptState {

    private final MapState<String, byte[]> values;

    KeyedScriptState(MapState<String, byte[]> values) {
        this.values = values;
    }

    @Override
    public LuaValue get(String name) {
        byte[] bytes = read(name);
        return bytes == null ? LuaValue.NIL : MarshalCodec.decode(LuaString.valueUsing(bytes));
    }

    @Override
    public void put(String name, LuaValue value) {
        if (value.isnil()) {
            clear(name);
            return;
        }
        LuaString encoded = MarshalCodec.encode(value);
        byte[] bytes = new byte[encoded.m_length];
        System.arraycopy(encoded.m_bytes, encoded.m_offset, bytes, 0, bytes.length);
        try {
            values.put(name, bytes);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.put(\"" + name + "\") failed: " + e);
        }
    }

    @Override
    public LuaValue incr(String name, double n) {
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
    public void clear(String name) {
        try {
            values.remove(name);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.clear(\"" + name + "\") failed: " + e);
        }
    }

    private byte[] read(String name) {
        try {
            return values.get(name);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.get(\"" + name + "\") failed: " + e);
        }
    }
}
