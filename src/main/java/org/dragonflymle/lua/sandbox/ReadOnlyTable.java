package org.dragonflymle.lua.sandbox;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** A Lua table that refuses every change after construction; safe to share between threads. */
final class ReadOnlyTable extends LuaTable {

    private final boolean sealed;

    ReadOnlyTable(LuaTable source) {
        for (Varargs e = source.next(NIL); !e.arg1().isnil(); e = source.next(e.arg1())) {
            super.rawset(e.arg1(), e.arg(2));
        }
        sealed = true;
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        refuse();
        super.rawset(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        refuse();
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        refuse();
        return super.setmetatable(metatable);
    }

    @Override
    public void sort(LuaValue comparator) {
        refuse();
    }

    private void refuse() {
        if (sealed) {
            error("attempt to modify a read-only table");
        }
    }
}
