package org.dragonflymle.testing;

import java.util.Map;
import java.util.TreeMap;
import org.dragonflymle.lua.ScriptState;
import org.dragonflymle.lua.lib.MarshalCodec;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * {@code dragonfly.state} of one stage in a test run: what the engine keeps in Flink keyed state
 * ({@code KeyedScriptState}), kept in memory as key → name → marshal bytes. Values are encoded
 * exactly as the engine encodes them, so a stored table comes back as a copy here too. The current
 * key is set by {@link StageInstance} before each call of {@code loop} (a timer's key before a
 * timer fires); outside {@code loop} there is no key and every call is a Lua error.
 */
final class MemoryScriptState implements ScriptState {

    private final String stage;
    private final Map<String, Map<String, byte[]>> byKey = new TreeMap<>();
    private String key;

    MemoryScriptState(String stage) {
        this.stage = stage;
    }

    void setKey(String key) {
        this.key = key;
    }

    /** The key of the event being handled; null outside loop. */
    String key() {
        return key;
    }

    /** Every key with at least one value: key → name → marshal bytes. */
    Map<String, Map<String, byte[]>> snapshot() {
        return byKey;
    }

    @Override
    public LuaValue get(String name) {
        byte[] bytes = values(false).get(name);
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
        values(true).put(name, bytes);
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
        Map<String, byte[]> values = values(false);
        values.remove(name);
        if (values.isEmpty()) {
            byKey.remove(key);
        }
    }

    private Map<String, byte[]> values(boolean create) {
        if (key == null) {
            throw new LuaError(
                    "dragonfly.state on "
                            + stage
                            + " is only available while an event is handled (in loop), where"
                            + " there is a key");
        }
        if (create) {
            return byKey.computeIfAbsent(key, k -> new TreeMap<>());
        }
        return byKey.getOrDefault(key, new TreeMap<>());
    }
}
