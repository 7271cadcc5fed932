package org.dragonflymle.event;

import org.luaj.vm2.LuaError;

/**
 * A Lua value that has no JSON form (a function, an excessively sparse array, NaN, a cycle or
 * nesting beyond the bound). A LuaError, so inside a script it is an ordinary Lua error with the
 * script's line, as lua-cjson's are.
 */
public final class JsonEncodeException extends LuaError {
    public JsonEncodeException(String message) {
        super(message);
    }
}
