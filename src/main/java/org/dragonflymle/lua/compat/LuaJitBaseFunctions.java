package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Base functions whose LuaJ versions differ from LuaJIT in what scripts can see: {@code error} with
 * level 0 adds no position, {@code assert} raises its message object as it is (a table stays a
 * table), {@code xpcall} hands the handler the error object itself, {@code coroutine.resume}
 * returns messages in Lua's {@code file:line: message} form, and {@code _VERSION} is {@code Lua
 * 5.1}.
 */
final class LuaJitBaseFunctions {

    private LuaJitBaseFunctions() {}

    static void install(LuaValue env) {
        env.set("error", new Error());
        env.set("assert", new Assert());
        env.set("xpcall", new XPCall());
        env.set("_VERSION", "Lua 5.1");
        LuaValue co = env.get("coroutine");
        if (co instanceof LuaTable) {
            co.set("resume", new Resume(co.get("resume")));
        }
    }

    /** A Lua error whose message is shown as it is, without the position LuaJ would add. */
    static final class Unpositioned extends LuaError {
        private static final long serialVersionUID = 1L;

        Unpositioned(String message) {
            super(message);
            this.traceback = message;
        }
    }

    static final class Error extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue message = args.arg1();
            int level = args.optint(2, 1);
            if (message.isnil()) {
                throw new LuaError((String) null, level);
            }
            if (message.type() == TSTRING || message.type() == TNUMBER) {
                String text = LuaToString.of(message).tojstring();
                throw level > 0 ? new LuaError(text, level) : new Unpositioned(text);
            }
            throw new LuaError(message);
        }
    }

    static final class Assert extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) {
                throw LuaArgs.bad(1, "assert", "value expected");
            }
            if (args.arg1().toboolean()) {
                return args;
            }
            if (args.narg() < 2) {
                throw new Unpositioned("assertion failed!");
            }
            LuaValue m = args.arg(2);
            if (m.type() == TSTRING || m.type() == TNUMBER) {
                throw new Unpositioned(LuaToString.of(m).tojstring());
            }
            throw new LuaError(m);
        }
    }

    /** {@code xpcall(f, handler)}: the handler gets the error value itself and its result. */
    static final class XPCall extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.arg1();
            LuaValue handler = args.arg(2);
            try {
                return varargsOf(TRUE, f.invoke(args.subargs(3)));
            } catch (LuaError e) {
                LuaValue m = e.getMessageObject();
                if (m == null) {
                    m = NIL;
                } else if (m.type() == TSTRING) {
                    m = valueOf(LuaErrorMessages.normalize(m.tojstring()));
                }
                return varargsOf(FALSE, handler.call(m));
            }
        }
    }

    static final class Resume extends VarArgFunction {
        private final LuaValue original;

        Resume(LuaValue original) {
            this.original = original;
        }

        @Override
        public Varargs invoke(Varargs args) {
            Varargs r = original.invoke(args);
            if (r.arg1().toboolean() || r.arg(2).type() != TSTRING) {
                return r;
            }
            return varargsOf(FALSE, valueOf(LuaErrorMessages.normalize(r.arg(2).tojstring())));
        }
    }
}
