package org.dragonflymle.lua.lib;

import java.util.List;
import org.dragonflymle.lua.budget.CallBudget;
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
    private final CallBudget budget;
    private final Runnable abortWait;

    private HiredisConnection(
            RedisConnection redis,
            HiredisReplies replies,
            Runnable onClose,
            RedisCallObserver observer,
            CallBudget budget) {
        this.redis = redis;
        this.replies = replies;
        this.onClose = onClose;
        this.observer = observer;
        this.budget = budget;
        this.abortWait = redis::abortWait;
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
            RedisCallObserver observer,
            CallBudget budget) {
        return new LuaUserdata(
                new HiredisConnection(redis, replies, onClose, observer, budget), metatable);
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
        boolean counts = blocks(command.get(0)) || blockingPending > 0;
        waitBegins(counts);
        try {
            RespReply reply = redis.command(command);
            observer.call(System.nanoTime() - t0, true);
            return replies.toLua(reply);
        } catch (RedisUnavailableException e) {
            observer.call(System.nanoTime() - t0, false);
            return unavailable(e);
        } finally {
            waitEnds(counts);
        }
    }

    /**
     * A reply wait. It counts against the call's budget when the script asked Redis to wait (a
     * blocking command, a Redis script), else the clock stops for it: a slow Redis is not the
     * script's doing (the budget's hard deadline still bounds it). Either way the watchdog may end
     * it by closing the socket (the connection then reconnects on its next use).
     */
    private void waitBegins(boolean counts) {
        if (budget != null) {
            budget.waitBegins(abortWait, counts);
        }
    }

    /** Blocking commands appended whose replies were not read yet. */
    private int blockingPending;

    /**
     * Whether Redis answers {@code name} only when something happens or its script ends: the wait
     * is the script's doing. {@code XREAD}/{@code XREADGROUP} count always (their {@code BLOCK} is
     * an option).
     */
    static boolean blocks(byte[] name) {
        for (byte[] b : BLOCKING) {
            if (b.length == name.length && sameLetters(name, b)) {
                return true;
            }
        }
        return false;
    }

    private static final byte[][] BLOCKING =
            java.util.stream.Stream.of(
                            "BLPOP",
                            "BRPOP",
                            "BRPOPLPUSH",
                            "BLMOVE",
                            "BLMPOP",
                            "BZPOPMIN",
                            "BZPOPMAX",
                            "BZMPOP",
                            "XREAD",
                            "XREADGROUP",
                            "WAIT",
                            "WAITAOF",
                            "EVAL",
                            "EVALSHA",
                            "EVAL_RO",
                            "EVALSHA_RO",
                            "FCALL",
                            "FCALL_RO")
                    .map(n -> n.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .toArray(byte[][]::new);

    private static boolean sameLetters(byte[] name, byte[] upper) {
        for (int i = 0; i < name.length; i++) {
            byte c = name[i];
            if ((c >= 'a' && c <= 'z' ? c - 32 : c) != upper[i]) {
                return false;
            }
        }
        return true;
    }

    private void waitEnds(boolean counted) {
        if (budget != null) {
            budget.waitEnds(counted);
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
            List<byte[]> command = c.args.fromVarargs(varargs, 2);
            if (blocks(command.get(0))) {
                c.blockingPending++;
            }
            c.redis.append(command);
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
            boolean counts = c.blockingPending > 0;
            c.waitBegins(counts);
            if (c.redis.pendingReplies() <= c.blockingPending) {
                c.blockingPending = Math.max(0, c.blockingPending - 1);
            }
            try {
                RespReply reply = c.redis.nextReply();
                c.observer.call(System.nanoTime() - t0, true);
                return c.replies.toLua(reply);
            } catch (RedisUnavailableException e) {
                c.observer.call(System.nanoTime() - t0, false);
                return c.unavailable(e);
            } finally {
                c.waitEnds(counts);
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
