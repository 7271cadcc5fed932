package org.dragonflymle.stage;

import org.luaj.vm2.LuaError;

/**
 * A value a script emitted ({@code analyze_event}, {@code output_event}, {@code log_event}, {@code
 * stats_event}, {@code timer_event}) has no JSON form: a function, a cycle, NaN. A Lua error like
 * lua-cjson's in the script (it may {@code pcall} it); uncaught, the event goes to the error output
 * with the reason {@code unencodable}.
 */
final class UnencodableEventException extends LuaError {
    UnencodableEventException(String message) {
        super(message);
    }
}
