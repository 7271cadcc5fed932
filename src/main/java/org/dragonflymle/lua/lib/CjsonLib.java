package org.dragonflymle.lua.lib;

import org.dragonflymle.event.JsonDecoder;
import org.dragonflymle.event.JsonFormatException;
import org.dragonflymle.event.JsonNull;
import org.dragonflymle.event.JsonValidator;
import org.dragonflymle.event.LuaJsonWriter;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cjson} and {@code cjson_safe} modules of lua-cjson, on the engine's own JSON code so
 * that {@code cjson.decode} returns lazy tables and {@code cjson.encode} writes untouched values
 * from their original bytes (exact 64-bit integers, {@code null}, {@code []}).
 *
 * <p>Installed as globals {@code cjson} and {@code cjson_safe} and as {@code require}-able {@code
 * cjson}, {@code cjson.safe} and {@code cjson_safe}. The configuration functions of lua-cjson
 * ({@code encode_sparse_array}, {@code encode_number_precision}, ...) are accepted and return the
 * settings in force; the engine's rules are fixed (see {@link LuaJsonWriter}).
 *
 * <p>One compatibility extension: {@code decode} given a table returns it unchanged, so a filter
 * written as {@code local eve = cjson.decode(msg)} for an engine that passed raw lines still works
 * when given the decoded event.
 */
public final class CjsonLib extends TwoArgFunction {

    private static final int MAX_DECODE_DEPTH = 1000;

    private final LuaJsonWriter writer = new LuaJsonWriter();
    private final JsonValidator validator = new JsonValidator(MAX_DECODE_DEPTH);

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable cjson = module(false);
        LuaTable safe = module(true);
        env.set("cjson", cjson);
        env.set("cjson_safe", safe);
        LuaValue loaded = env.get("package").get("loaded");
        if (loaded.istable()) {
            loaded.set("cjson", cjson);
            loaded.set("cjson.safe", safe);
            loaded.set("cjson_safe", safe);
        }
        return cjson;
    }

    private LuaTable module(boolean safe) {
        LuaTable t = new LuaTable();
        t.set("_NAME", safe ? "cjson.safe" : "cjson");
        t.set("_VERSION", "2.1.0");
        t.set("null", JsonNull.NULL);
        t.set("encode", new Encode(safe));
        t.set("decode", new Decode(safe));
        t.set(
                "new",
                new OneArgFunction() {
                    @Override
                    public LuaValue call(LuaValue ignored) {
                        return module(safe);
                    }
                });
        t.set(
                "encode_sparse_array",
                setting(LuaValue.FALSE, LuaValue.valueOf(2), LuaValue.valueOf(10)));
        t.set("encode_max_depth", setting(LuaValue.valueOf(1000)));
        t.set("decode_max_depth", setting(LuaValue.valueOf(MAX_DECODE_DEPTH)));
        t.set("encode_number_precision", setting(LuaValue.valueOf(17)));
        t.set("encode_keep_buffer", setting(LuaValue.TRUE));
        t.set("encode_invalid_numbers", setting(LuaValue.FALSE));
        t.set("decode_invalid_numbers", setting(LuaValue.TRUE));
        return t;
    }

    private static LuaValue setting(LuaValue... current) {
        Varargs values = LuaValue.varargsOf(current);
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return values;
            }
        };
    }

    private final class Encode extends VarArgFunction {
        private final boolean safe;

        Encode(boolean safe) {
            this.safe = safe;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() != 1) {
                throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
            }
            try {
                return writer.encodeToLuaString(args.arg1());
            } catch (LuaError e) {
                if (safe) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
                }
                throw e;
            }
        }
    }

    private final class Decode extends VarArgFunction {
        private final boolean safe;

        Decode(boolean safe) {
            this.safe = safe;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue arg = args.arg1();
            if (arg.istable()) {
                return arg;
            }
            if (!arg.isstring()) {
                throw new LuaError(
                        "bad argument #1 to 'decode' (string expected, got "
                                + arg.typename()
                                + ")");
            }
            LuaString s = arg.checkstring();
            try {
                validator.validate(s.m_bytes, s.m_offset, s.m_length);
            } catch (JsonFormatException e) {
                String message = "Expected valid JSON: " + e.getMessage();
                if (safe) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message));
                }
                throw new LuaError(message);
            }
            return JsonDecoder.decode(s.m_bytes, s.m_offset, s.m_length);
        }
    }
}
