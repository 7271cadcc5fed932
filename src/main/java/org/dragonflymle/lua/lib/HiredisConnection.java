package org.dragonflymle.lua.lib;

import java.util.List;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.redis.RedisConnection;
import org.dragonflymle.redis.RedisUnavailableException;
import org.dragonflymle.redis.RespReply;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The Lua side of one {@code hiredis} connection: a userdata whose methods ({@code command}, {@code
 * command_line}, {@code append_command}, {@code get_reply}, {@code close}) are called with colon
 * syntax, as in lua-hiredis.
 *
 * <p>A call returns one converted reply, or {@code nil, message, hiredis.ERR_IO} when Redis stayed
 * unreachable for the whole retry budget (see {@link RedisConnection}). Using a closed connection,
 * calling a method with dot syntax, a command without a name, or {@code get_reply} with nothing
 * appended are Lua errors: they are bugs in the script, not outages.
 */
final class HiredisConnection {

    /** lua-hiredis's {@code hiredis.ERR_IO}, the code returned with every connection failure. */
    static final int ERR_IO = 1;

    private final RedisConnection redis;
    private final HiredisArgs args = new HiredisArgs();
    private final HiredisReplies replies;
    private final Runnable onClose;
    private final RedisCallObserver observer;

    private HiredisConnection(
            RedisConnection redis,
            HiredisReplies replies,
            Runnable onClose,
            RedisCallObserver observer) {
        this.redis = redis;
        this.replies = replies;
        this.onClose = onClose;
        this.observer = observer;
    }

    /** The metatable shared by all connections of one module. */
    static LuaTable metatable() {
        LuaTable mt = new LuaTable();
        mt.rawset("command", new Command());
        mt.rawset("command_line", new CommandLine());
        mt.rawset("append_command", new AppendCommand());
        mt.rawset("get_reply", new GetReply());
        mt.rawset("close", new Close());
        mt.rawset(LuaValue.TOSTRING, new ToString());
        mt.rawset(LuaValue.INDEX, mt);
        mt.rawset(LuaValue.METATABLE, LuaValue.valueOf("lua-hiredis.connection"));
        return mt;
    }

    /** Wraps an open connection in a userdata with {@code metatable}. */
    static LuaUserdata wrap(
            RedisConnection redis,
            HiredisReplies replies,
            LuaTable metatable,
            Runnable onClose,
            RedisCallObserver observer) {
        return new LuaUserdata(new HiredisConnection(redis, replies, onClose, observer), metatable);
    }

    private static HiredisConnection self(Varargs varargs, String method) {
        LuaValue self = varargs.arg1();
        if (self.isuserdata(HiredisConnection.class)) {
            HiredisConnection c = (HiredisConnection) self.touserdata(HiredisConnection.class);
            if (c.redis.isClosed()) {
                throw new LuaError("lua-hiredis error: attempted to use closed connection");
            }
            return c;
        }
        throw new LuaError(
                "bad argument #1 to '"
                        + method
                        + "' (hiredis connection expected, got "
                        + self.typename()
                        + "): call it as conn:"
                        + method
                        + "(...)");
    }

    private Varargs unavailable(RedisUnavailableException e) {
        return LuaValue.varargsOf(
                LuaValue.NIL, LuaValue.valueOf(e.getMessage()), LuaValue.valueOf(ERR_IO));
    }

    private Varargs command(List<byte[]> command) {
        long t0 = System.nanoTime();
        try {
            RespReply reply = redis.command(command);
            observer.call(System.nanoTime() - t0, true);
            return replies.toLua(reply);
        } catch (RedisUnavailableException e) {
            observer.call(System.nanoTime() - t0, false);
            return unavailable(e);
        }
    }

    /** {@code conn:command(name, arg...)}. */
    private static final class Command extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs varargs) {
            HiredisConnection c = self(varargs, "command");
            return c.command(c.args.fromVarargs(varargs, 2));
        }
    }

    /** {@code conn:command_line("NAME arg arg")}. */
    private static final class CommandLine extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs varargs) {
            HiredisConnection c = self(varargs, "command_line");
            return c.command(c.args.fromLine(varargs.checkstring(2)));
        }
    }

    /** {@code conn:append_command(name, arg...)}: queued, nothing read. */
    private static final class AppendCommand extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs varargs) {
            HiredisConnection c = self(varargs, "append_command");
            c.redis.append(c.args.fromVarargs(varargs, 2));
            return LuaValue.NONE;
        }
    }

    /** {@code conn:get_reply()}: the reply of the oldest appended command. */
    private static final class GetReply extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs varargs) {
            HiredisConnection c = self(varargs, "get_reply");
            if (c.redis.pendingReplies() == 0) {
                throw new LuaError("get_reply: no command appended whose reply is pending");
            }
            long t0 = System.nanoTime();
            try {
                RespReply reply = c.redis.nextReply();
                c.observer.call(System.nanoTime() - t0, true);
                return c.replies.toLua(reply);
            } catch (RedisUnavailableException e) {
                c.observer.call(System.nanoTime() - t0, false);
                return c.unavailable(e);
            }
        }
    }

    /** {@code conn:close()}; closing twice is allowed. */
    private static final class Close extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs varargs) {
            LuaValue self = varargs.arg1();
            if (!self.isuserdata(HiredisConnection.class)) {
                self(varargs, "close");
            }
            HiredisConnection c = (HiredisConnection) self.touserdata(HiredisConnection.class);
            if (!c.redis.isClosed()) {
                c.redis.close();
                c.onClose.run();
            }
            return LuaValue.NONE;
        }
    }

    private static final class ToString extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue self) {
            HiredisConnection c = (HiredisConnection) self.checkuserdata(HiredisConnection.class);
            return LuaValue.valueOf(
                    "lua-hiredis.connection "
                            + c.redis.address()
                            + (c.redis.isClosed() ? " (closed)" : ""));
        }
    }
}
