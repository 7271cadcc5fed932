package org.dragonflymle.event;

import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;

/**
 * The Lua value of JSON {@code null}: {@code cjson.null}. lua-cjson makes it a light userdata that
 * compares equal only to itself and encodes back to {@code null}; this is the same, one instance
 * per JVM (immutable, safe to share between Lua states).
 */
public final class JsonNull {

    /** The single {@code cjson.null} value. */
    public static final LuaValue NULL = new LuaUserdata(new JsonNull());

    private JsonNull() {}

    @Override
    public String toString() {
        return "null";
    }
}
