package org.dragonflymle.operator;

import org.apache.flink.api.common.state.MapState;
import org.dragonflymle.lua.lib.MarshalledScriptState;
import org.luaj.vm2.LuaError;

/**
 * {@code dragonfly.state} on Flink keyed state: one {@code MapState<name, marshal bytes>} per key,
 * so values are checkpointed with the stream (exactly-once) and redistributed with their key when
 * the stage is rescaled.
 */
final class KeyedScriptState extends MarshalledScriptState {

    private final MapState<String, byte[]> values;

    KeyedScriptState(MapState<String, byte[]> values) {
        this.values = values;
    }

    @Override
    protected byte[] read(String name) {
        try {
            return values.get(name);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.get(\"" + name + "\") failed: " + e);
        }
    }

    @Override
    protected void write(String name, byte[] bytes) {
        try {
            values.put(name, bytes);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.put(\"" + name + "\") failed: " + e);
        }
    }

    @Override
    protected void remove(String name) {
        try {
            values.remove(name);
        } catch (Exception e) {
            throw new LuaError("dragonfly.state.clear(\"" + name + "\") failed: " + e);
        }
    }
}
