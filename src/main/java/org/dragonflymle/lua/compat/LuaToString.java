package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * {@code tostring(v)} as in LuaJIT: {@code __tostring} first, numbers through {@link
 * LuaNumberFormat}. {@code print} looks {@code tostring} up in the globals, so it follows.
 */
public final class LuaToString extends OneArgFunction {

    @Override
    public LuaValue call(LuaValue v) {
        if (v.type() != TSTRING && v.type() != TNUMBER) {
            LuaValue h = v.metatag(TOSTRING);
            if (!h.isnil()) {
                // LuaJIT returns whatever __tostring returns
                return h.call(v);
            }
        }
        return of(v);
    }

    /** The string {@code tostring(v)} returns. */
    public static LuaString of(LuaValue v) {
        switch (v.type()) {
            case TSTRING:
                return (LuaString) v;
            case TNUMBER:
                return number(v);
            default:
                LuaValue h = v.metatag(TOSTRING);
                if (!h.isnil()) {
                    LuaValue s = h.call(v);
                    if (s.type() == TNUMBER) {
                        return number(s);
                    }
                    if (s.type() != TSTRING) {
                        throw new LuaError("'__tostring' must return a string");
                    }
                    return (LuaString) s;
                }
                return valueOf(v.tojstring());
        }
    }

    /** A number as {@code tostring} writes it. */
    public static LuaString number(LuaValue n) {
        return n.isint() ? n.strvalue() : valueOf(LuaNumberFormat.toString(n.todouble()));
    }
}
