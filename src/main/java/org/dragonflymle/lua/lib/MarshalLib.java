package org.dragonflymle.lua.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * The {@code marshal} module: {@code marshal.encode(v)} to a binary string, {@code
 * marshal.decode(s)} back, and {@code marshal.clone(v)} (a deep copy through both). Round-trips any
 * value without functions; see {@link MarshalCodec} for the format. Installed as the global {@code
 * marshal} and as {@code package.loaded.marshal}.
 */
public final class MarshalLib extends TwoArgFunction {

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable marshal = new LuaTable();
        marshal.set("encode", new Encode());
        marshal.set("decode", new Decode());
        marshal.set("clone", new CloneValue());
        env.set("marshal", marshal);
        env.get("package").get("loaded").set("marshal", marshal);
        return marshal;
    }

    static final class Encode extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue v) {
            return MarshalCodec.encode(v);
        }
    }

    static final class Decode extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue s) {
            return MarshalCodec.decode(s.checkstring());
        }
    }

    static final class CloneValue extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue v) {
            return MarshalCodec.decode(MarshalCodec.encode(v));
        }
    }
}
