package org.dragonflymle.ml;

import java.time.Duration;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * One script instance's view for tests: Lua globals with {@code hiredis} going to a real Redis
 * through a {@link RedisMlInterceptor}, and a connection in the global {@code conn}, as an analyzer
 * has after {@code setup()}. Close it after the test.
 */
public final class MlLua implements AutoCloseable {

    final RedisMlInterceptor interceptor;
    private final HiredisLib lib;
    private final Globals globals;

    MlLua(RedisSpec redis, RedisMlInterceptor interceptor) {
        this.interceptor = interceptor;
        this.lib =
                new HiredisLib(
                        redis,
                        (CommandInterceptor) interceptor,
                        ReconnectPolicy.withBudget(Duration.ofMillis(500)));
        this.globals = JsePlatform.standardGlobals();
        globals.load(lib);
        run("conn = assert(hiredis.connect())");
    }

    MlLua(RedisSpec redis) {
        this(redis, new RedisMlInterceptor());
    }

    /** Runs a chunk; its first result. */
    public LuaValue run(String lua) {
        return globals.load(lua, "test").invoke().arg1();
    }

    /** {@code conn:command_line(line)}, converted to Java: a string, number, or "ERROR: text". */
    public String line(String commandLine) {
        return show(run("return conn:command_line(" + quote(commandLine) + ")"));
    }

    /** A reply as a test reads it: strings as they are, error tables as "ERROR: name". */
    static String show(LuaValue reply) {
        if (reply.istable()) {
            LuaValue type = reply.get("type");
            if (!type.isnil()) {
                return (type.toint() == 6 ? "ERROR: " : "STATUS: ") + reply.get("name").tojstring();
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 1; i <= reply.length(); i++) {
                sb.append(i > 1 ? ", " : "").append(show(reply.get(i)));
            }
            return sb.append(']').toString();
        }
        return reply.tojstring();
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public void close() {
        lib.close();
    }
}
