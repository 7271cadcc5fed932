package org.dragonflymle.lua.lib;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.redis.CallClock;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ConnectionOpener;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.redis.RedisConnection;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.redis.RedisUnavailableException;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code hiredis} Lua module: lua-hiredis (as the C Dragonfly MLE ships it) over Jedis, so that
 * existing analyzers run unchanged. See docs/lua-api.md for the contract.
 *
 * <p>{@code globals.load(new HiredisLib(spec))} installs the global {@code hiredis} and {@code
 * package.loaded.hiredis} (so {@code require 'hiredis'} works). {@code hiredis.connect()} goes to
 * the configured {@link RedisSpec} (password, database and TLS included); {@code
 * hiredis.connect(host [, port])} goes to that one server with the same password, database and TLS.
 * The configured Redis may be one server, a Sentinel-watched master or a Cluster ({@link
 * RedisConnection}): scripts see the same replies. Every command is first offered to the {@link
 * CommandInterceptor} (the Redis-ML commands). A Redis outage is ridden out as {@link
 * RedisConnection} describes; a call answers {@code nil, message, hiredis.ERR_IO} only when the
 * {@link ReconnectPolicy} budget is spent. Time spent waiting for replies counts against the
 * script's {@link CallBudget} (a {@code BLPOP} in a loop is the script's doing), and the watchdog
 * ends such a wait at the deadline by closing the socket; time spent waiting for an unreachable
 * Redis to come back does not count (the outage is not the script's doing, and the retry budget
 * bounds it).
 *
 * <p>One instance per {@code Globals}, used from the thread that runs its scripts. LuaJ has no
 * {@code __gc}, so {@link #close()} (called by the owner of the {@code Globals} when the operator
 * closes) closes every connection the scripts left open. At most {@value #MAX_OPEN_CONNECTIONS}
 * connections may be open at once; one more answers {@code nil, message}, which catches a script
 * that connects per event without closing.
 */
public final class HiredisLib extends TwoArgFunction implements AutoCloseable {

    /** Open connections allowed per module (the C engine allowed 3 per script ever). */
    public static final int MAX_OPEN_CONNECTIONS = 8;

    /** The outage log of the modules made with the default policy (see the constructor). */
    private static final RedisOutageLog SHARED_OUTAGES = new RedisOutageLog();

    private static final int ERR_OTHER = 2;
    private static final int ERR_EOF = 3;
    private static final int ERR_PROTOCOL = 4;

    private final RedisSpec defaults;
    private final CommandInterceptor interceptor;
    private final ReconnectPolicy policy;
    private final RedisOutageLog outages;
    private final Set<RedisConnection> open = new LinkedHashSet<>();

    private HiredisReplies replies;
    private LuaTable connectionMetatable;
    private Globals globals;
    private RedisCallObserver observer = RedisCallObserver.NONE;
    private ConnectionOpener opener = ConnectionOpener.DIRECT;

    /** Commands go to Redis as they are; default reconnect policy. */
    public HiredisLib(RedisSpec defaults) {
        this(defaults, CommandInterceptor.NONE);
    }

    /**
     * Commands are offered to {@code interceptor} first; default reconnect policy. Outages are
     * reported through one {@link RedisOutageLog} shared by every module made this way in the JVM
     * (the engine's: every instance of every stage in a TaskManager), so an outage is one line, not
     * one per script instance.
     */
    public HiredisLib(RedisSpec defaults, CommandInterceptor interceptor) {
        this(defaults, interceptor, ReconnectPolicy.defaults(), SHARED_OUTAGES);
    }

    /** With its own {@link RedisOutageLog}. */
    public HiredisLib(RedisSpec defaults, CommandInterceptor interceptor, ReconnectPolicy policy) {
        this(defaults, interceptor, policy, new RedisOutageLog());
    }

    /**
     * @param outages shared with other modules to report one outage once for all of them
     */
    public HiredisLib(
            RedisSpec defaults,
            CommandInterceptor interceptor,
            ReconnectPolicy policy,
            RedisOutageLog outages) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.outages = Objects.requireNonNull(outages, "outages");
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        replies = new HiredisReplies();
        connectionMetatable = HiredisConnection.metatable();
        globals = env instanceof Globals g ? g : null;

        LuaTable hiredis = new LuaTable();
        hiredis.set("connect", new Connect());
        hiredis.set("unwrap_reply", new UnwrapReply());
        hiredis.set("REPLY_STRING", HiredisReplies.REPLY_STRING);
        hiredis.set("REPLY_ARRAY", HiredisReplies.REPLY_ARRAY);
        hiredis.set("REPLY_INTEGER", HiredisReplies.REPLY_INTEGER);
        hiredis.set("REPLY_NIL", HiredisReplies.REPLY_NIL);
        hiredis.set("REPLY_STATUS", HiredisReplies.REPLY_STATUS);
        hiredis.set("REPLY_ERROR", HiredisReplies.REPLY_ERROR);
        hiredis.set("ERR_IO", HiredisConnection.ERR_IO);
        hiredis.set("ERR_OTHER", ERR_OTHER);
        hiredis.set("ERR_EOF", ERR_EOF);
        hiredis.set("ERR_PROTOCOL", ERR_PROTOCOL);
        hiredis.set("NIL", replies.nil());
        LuaTable status = replies.statusTable();
        hiredis.set("status", status);
        hiredis.set("OK", status.get("OK"));
        hiredis.set("QUEUED", status.get("QUEUED"));
        hiredis.set("PONG", status.get("PONG"));

        env.set("hiredis", hiredis);
        LuaValue pkg = env.get("package");
        if (pkg.istable() && pkg.get("loaded").istable()) {
            pkg.get("loaded").set("hiredis", hiredis);
        }
        return hiredis;
    }

    /**
     * The stage checkpoints: every open connection makes its writes safe against a failover as far
     * as Redis allows, and a failover that may have lost writes fails the checkpoint, so the stage
     * replays from its last one (see {@link RedisConnection#checkpoint()}). Call it from the thread
     * that runs the scripts, between events.
     *
     * @throws org.dragonflymle.redis.RedisFailoverException as the connection says
     */
    public void checkpoint() {
        for (RedisConnection c : open) {
            c.checkpoint();
        }
    }

    /** Closes every connection the scripts opened and did not close. Idempotent. */
    @Override
    public void close() {
        List<RedisConnection> toClose = new ArrayList<>(open);
        open.clear();
        for (RedisConnection c : toClose) {
            c.close();
        }
    }

    /**
     * Reports every Redis reply scripts wait for to {@code observer} (the operator's Redis call
     * metrics). Set before the scripts connect; connections opened earlier keep the old observer.
     */
    public void observeCalls(RedisCallObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Where {@code hiredis.connect} gets its connections (a stage with {@code concurrency > 1}
     * shares one per Redis among its Lua states). Set before the scripts connect.
     */
    public void connectThrough(ConnectionOpener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** How many connections are open (for tests and metrics). */
    public int openConnections() {
        return open.size();
    }

    /** The budget of the script's calls, or null when the globals have none (plain tests). */
    private CallBudget budget() {
        return globals != null && globals.debuglib instanceof CallBudget b ? b : null;
    }

    /** The connection's view of the call clock: outage waits stop it. */
    private static CallClock clockOf(CallBudget budget) {
        if (budget == null) {
            return CallClock.NONE;
        }
        return new CallClock() {
            @Override
            public void outageWaitBegins() {
                budget.outageWaitBegins();
            }

            @Override
            public void outageWaitEnds() {
                budget.outageWaitEnds();
            }
        };
    }

    private static Varargs failure(String message, int code) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message), LuaValue.valueOf(code));
    }

    /** {@code hiredis.connect([host [, port]])}. */
    private final class Connect extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            RedisSpec spec = defaults;
            if (!args.isnil(1)) {
                String host = args.checkjstring(1);
                int port = args.isnil(2) ? defaults.port() : args.checkint(2);
                spec = defaults.withServer(host, port);
            }
            if (open.size() >= MAX_OPEN_CONNECTIONS) {
                return failure(
                        "too many open hiredis connections ("
                                + MAX_OPEN_CONNECTIONS
                                + "); connect once in setup() and reuse it, or close()",
                        ERR_OTHER);
            }
            RedisConnection redis;
            CallBudget budget = budget();
            if (budget != null) {
                budget.outageWaitBegins();
            }
            try {
                redis = opener.open(spec, policy, interceptor, outages);
            } catch (RedisUnavailableException e) {
                return failure(e.getMessage(), HiredisConnection.ERR_IO);
            } finally {
                if (budget != null) {
                    budget.outageWaitEnds();
                }
            }
            redis.useClock(clockOf(budget));
            open.add(redis);
            return HiredisConnection.wrap(
                    redis,
                    replies,
                    connectionMetatable,
                    () -> open.remove(redis),
                    observer,
                    budget);
        }
    }

    /**
     * {@code hiredis.unwrap_reply(reply)}: a status gives {@code name, REPLY_STATUS}, an error
     * {@code nil, name}, {@code nil, err} passes through, anything else (NIL too) is returned.
     */
    private final class UnwrapReply extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue reply = args.checkvalue(1);
            if (!replies.isConst(reply)) {
                return reply.isnil() && !args.isnil(2)
                        ? LuaValue.varargsOf(reply, args.arg(2))
                        : reply;
            }
            LuaValue type = reply.rawget("type");
            LuaValue name = reply.rawget("name");
            if (type.eq_b(LuaValue.valueOf(HiredisReplies.REPLY_STATUS))) {
                return LuaValue.varargsOf(name, type);
            }
            if (type.eq_b(LuaValue.valueOf(HiredisReplies.REPLY_ERROR))) {
                return LuaValue.varargsOf(LuaValue.NIL, name);
            }
            return reply;
        }
    }
}
