package org.dragonflymle.testing;

import java.util.Map;
import java.util.TreeMap;
import org.dragonflymle.lua.lib.MarshalledScriptState;
import org.luaj.vm2.LuaError;

/**
 * {@code dragonfly.state} of one stage in a test run: what the engine keeps in Flink keyed state
 * ({@code KeyedScriptState}), kept in memory as key → name → marshal bytes. Values are encoded
 * exactly as the engine encodes them, so a stored table comes back as a copy here too. The current
 * key is set by {@link StageInstance} before each call of {@code loop} (a timer's key before a
 * timer fires); outside {@code loop} there is no key and every call is a Lua error.
 */
final class MemoryScriptState extends MarshalledScriptState {

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
    protected byte[] read(String name) {
        return values(false).get(name);
    }

    @Override
    protected void write(String name, byte[] bytes) {
        values(true).put(name, bytes);
    }

    @Override
    protected void remove(String name) {
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
