package org.dragonflymle.lua.lib;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.redis.RespReply;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * The reply values of one {@code hiredis} module and the conversion of Redis replies into them, as
 * lua-hiredis makes them.
 *
 * <ul>
 *   <li>A status reply is the constant {@code hiredis.status.NAME}: one table per name, created on
 *       first use (by a reply or by the script reading {@code hiredis.status.NAME}), so {@code
 *       reply == hiredis.status.OK} works.
 *   <li>An error reply is a new table {@code {name = text, type = REPLY_ERROR}}.
 *   <li>Integers are numbers, bulk strings are strings (bytes unchanged), arrays are Lua arrays of
 *       converted elements, and nil is the constant {@code hiredis.NIL}.
 * </ul>
 *
 * Constants and error tables share a metatable whose {@code __tostring} is the name and whose
 * {@code __metatable} is {@code "lua-hiredis.const"}, as in lua-hiredis. Tables are per module (per
 * {@code Globals}); not thread-safe.
 */
final class HiredisReplies {

    /** lua-hiredis's (hiredis's) reply type numbers. */
    static final int REPLY_STRING = 1;

    static final int REPLY_ARRAY = 2;
    static final int REPLY_INTEGER = 3;
    static final int REPLY_NIL = 4;
    static final int REPLY_STATUS = 5;
    static final int REPLY_ERROR = 6;

    private static final LuaString NAME = LuaValue.valueOf("name");
    private static final LuaString TYPE = LuaValue.valueOf("type");

    private final LuaTable constMetatable = new LuaTable();
    private final LuaTable status = new LuaTable();
    private final LuaTable nil;
    // Status constants by name, so a reply finds its table without building a Lua string.
    private final Map<String, LuaValue> statusByName = new HashMap<>();

    HiredisReplies() {
        constMetatable.rawset(LuaValue.TOSTRING, new ConstToString());
        constMetatable.rawset(LuaValue.INDEX, constMetatable);
        constMetatable.rawset(LuaValue.METATABLE, LuaValue.valueOf("lua-hiredis.const"));

        LuaTable statusMetatable = new LuaTable();
        statusMetatable.rawset(LuaValue.INDEX, new StatusIndex());
        statusMetatable.rawset(LuaValue.METATABLE, LuaValue.valueOf("lua-hiredis.status"));
        status.setmetatable(statusMetatable);

        nil = newConst(LuaValue.valueOf("NIL"), REPLY_NIL);
    }

    /** {@code hiredis.status}. */
    LuaTable statusTable() {
        return status;
    }

    /** {@code hiredis.NIL}. */
    LuaTable nil() {
        return nil;
    }

    /** Whether {@code value} is one of this module's constants or error tables. */
    boolean isConst(LuaValue value) {
        return value.istable() && value.getmetatable() == constMetatable;
    }

    /** The Lua value lua-hiredis returns for {@code reply}. */
    LuaValue toLua(RespReply reply) {
        if (reply instanceof RespReply.IntegerReply i) {
            return LuaInteger.valueOf(i.value());
        }
        if (reply instanceof RespReply.BulkReply b) {
            return LuaString.valueUsing(b.bytes());
        }
        if (reply instanceof RespReply.StatusReply s) {
            return statusConst(s.text());
        }
        if (reply instanceof RespReply.ErrorReply e) {
            return newConst(LuaValue.valueOf(e.message()), REPLY_ERROR);
        }
        if (reply instanceof RespReply.ArrayReply a) {
            List<RespReply> elements = a.elements();
            LuaValue[] values = new LuaValue[elements.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = toLua(elements.get(i));
            }
            return LuaValue.listOf(values);
        }
        return nil;
    }

    private LuaValue statusConst(String name) {
        LuaValue constant = statusByName.get(name);
        if (constant == null) {
            constant = status.get(LuaValue.valueOf(name));
            statusByName.put(name, constant);
        }
        return constant;
    }

    private LuaTable newConst(LuaValue name, int type) {
        LuaTable t = new LuaTable(0, 2);
        t.rawset(NAME, name);
        t.rawset(TYPE, LuaValue.valueOf(type));
        t.setmetatable(constMetatable);
        return t;
    }

    /** {@code hiredis.status.X} on first use: create, keep and return the constant for X. */
    private final class StatusIndex extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue key) {
            LuaString name = key.checkstring();
            LuaTable constant = newConst(name, REPLY_STATUS);
            table.rawset(name, constant);
            return constant;
        }
    }

    private static final class ConstToString extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue constant) {
            return constant.checktable().rawget(NAME);
        }
    }
}
