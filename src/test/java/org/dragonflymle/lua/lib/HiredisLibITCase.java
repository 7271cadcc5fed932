package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.RespReply;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/** The lua-hiredis contract of docs/lua-api.md, exercised from Lua against a real redis-server. */
class HiredisLibITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private HiredisLib lib;
    private Globals globals;

    @BeforeEach
    void loadModule() {
        load(REDIS.spec(), CommandInterceptor.NONE);
        run("conn = assert(hiredis.connect())");
    }

    @AfterEach
    void closeModule() {
        lib.close();
    }

    private void load(RedisSpec spec, CommandInterceptor interceptor) {
        lib = new HiredisLib(spec, interceptor, ReconnectPolicy.withBudget(Duration.ofMillis(300)));
        globals = JsePlatform.standardGlobals();
        globals.load(lib);
    }

    private Varargs run(String lua) {
        return globals.load(lua, "test").invoke();
    }

    @Test
    void statusRepliesAreInternedConstants() {
        run(
                """
                local pong = conn:command("PING")
                assert(pong == hiredis.status.PONG, "PONG")
                assert(rawequal(pong, hiredis.PONG))
                assert(pong.name == "PONG" and pong.type == hiredis.REPLY_STATUS)
                assert(tostring(pong) == "PONG")
                assert(conn:command("SET", "k", "v") == hiredis.status.OK)
                assert(hiredis.status.OK.name == "OK")
                local name, kind = hiredis.unwrap_reply(hiredis.status.OK)
                assert(name == "OK" and kind == hiredis.REPLY_STATUS)
                assert(hiredis.unwrap_reply(7) == 7)
                """);
    }

    @Test
    void anyStatusExistsOnFirstUseAndRepliesFindTheSameTable() {
        run(
                """
                local made = hiredis.status.NEVER_SEEN
                assert(made.name == "NEVER_SEEN" and made.type == hiredis.REPLY_STATUS)
                assert(rawequal(made, hiredis.status.NEVER_SEEN))
                conn:command("SET", "s", "x")
                -- TYPE answers with a status line the module has not seen before
                local t = conn:command("TYPE", "s")
                assert(rawequal(t, hiredis.status.string), tostring(t))
                assert(rawequal(conn:command("TYPE", "s"), t))
                assert(getmetatable(t) == "lua-hiredis.const")
                """);
    }

    @Test
    void errorRepliesAreReturnedAsNewTablesNotRaised() {
        run(
                """
                local e = conn:command("NO_SUCH_COMMAND", "x")
                assert(type(e) == "table" and e.type == hiredis.REPLY_ERROR)
                assert(e.name:find("^ERR unknown command"), e.name)
                assert(e ~= conn:command("NO_SUCH_COMMAND", "x"), "a new table each time")
                assert(e.name ~= "OK")
                local none, msg = hiredis.unwrap_reply(e)
                assert(none == nil and msg == e.name)
                """);
        assertThat(run("return conn:command('PING')").arg1().get("type").toint())
                .isEqualTo(HiredisReplies.REPLY_STATUS);
    }

    @Test
    void integersAreNumbers() {
        run(
                """
                local n = conn:command("INCR", "counter")
                assert(type(n) == "number" and n == 1)
                assert(conn:command("INCRBY", "counter", 41) == 42)
                assert(conn:command("INCRBY", "big", "5000000000") == 5000000000)
                """);
    }

    @Test
    void bulkStringsKeepEveryByte() {
        byte[] binary = {0, 1, '\r', '\n', (byte) 0x80, (byte) 0xff, 'z'};
        REDIS.jedis().set("bin".getBytes(StandardCharsets.UTF_8), binary);

        LuaValue got = run("return conn:command('GET', 'bin')").arg1();

        assertThat(got.isstring()).isTrue();
        LuaString s = got.checkstring();
        byte[] bytes = new byte[s.length()];
        s.copyInto(0, bytes, 0, bytes.length);
        assertThat(bytes).containsExactly(binary);
        run(
                """
                local b = conn:command("GET", "bin")
                assert(conn:command("SET", "copy", b) == hiredis.status.OK)
                assert(conn:command("GET", "copy") == b)
                """);
        assertThat(REDIS.jedis().get("copy".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(binary);
    }

    @Test
    void nilIsTheNilConstant() {
        run(
                """
                local r = conn:command("GET", "missing")
                assert(r == hiredis.NIL)
                assert(r.name == "NIL" and r.type == hiredis.REPLY_NIL)
                assert(hiredis.unwrap_reply(r) == hiredis.NIL)
                """);
    }

    @Test
    void arraysNestAndHoldNil() {
        run(
                """
                conn:command("RPUSH", "l", "a", "b", "c")
                local l = conn:command("LRANGE", "l", 0, -1)
                assert(#l == 3 and l[1] == "a" and l[3] == "c")

                local m = conn:command("MGET", "l2", "missing")
                assert(#m == 2 and m[1] == hiredis.NIL and m[2] == hiredis.NIL)

                local r = conn:command("EVAL", [[
                  return {1, {2, "x"}, false, redis.status_reply("FINE"), redis.error_reply("BAD")}
                ]], 0)
                assert(#r == 5, #r)
                assert(r[1] == 1)
                assert(type(r[2]) == "table" and r[2][1] == 2 and r[2][2] == "x")
                assert(r[3] == hiredis.NIL)
                assert(r[4] == hiredis.status.FINE)
                assert(r[5].type == hiredis.REPLY_ERROR and r[5].name:find("BAD"))

                local empty = conn:command("LRANGE", "nothing", 0, -1)
                assert(type(empty) == "table" and #empty == 0)
                """);
    }

    @Test
    void argumentsAreConvertedAsTostringWould() {
        run(
                """
                conn:command("SET", "int", 42)
                conn:command("SET", "neg", -7)
                conn:command("SET", "frac", 3.5)
                conn:command("SET", "tenth", 0.1)
                conn:command("SET", "third", 1/3)
                conn:command("SET", "flow", 2090564295433925)
                conn:command("SET", "huge", 1e300)
                conn:command("SET", "bool", true)
                conn:command("SET", "obj", setmetatable({}, {__tostring = function() return "me" end}))
                """);
        var jedis = REDIS.jedis();
        assertThat(jedis.get("int")).isEqualTo("42");
        assertThat(jedis.get("neg")).isEqualTo("-7");
        assertThat(jedis.get("frac")).isEqualTo("3.5");
        assertThat(jedis.get("tenth")).isEqualTo("0.1");
        assertThat(jedis.get("third")).isEqualTo("0.33333333333333");
        assertThat(jedis.get("flow")).isEqualTo("2090564295433925");
        assertThat(jedis.get("huge")).isEqualTo("1e+300");
        assertThat(jedis.get("bool")).isEqualTo("true");
        assertThat(jedis.get("obj")).isEqualTo("me");
    }

    @Test
    void commandLineSplitsOnWhiteSpace() {
        run(
                """
                assert(conn:command_line("SET  greeting\\thello ") == hiredis.status.OK)
                assert(conn:command_line("GET greeting") == "hello")
                assert(conn:command_line("INCRBY n 3") == 3)
                """);
        assertThatThrownBy(() -> run("conn:command_line('   ')"))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("missing command name");
    }

    @Test
    void pipelinedRepliesComeBackInOrder() {
        run(
                """
                conn:append_command("SET", "p", 1)
                conn:append_command("INCR", "p")
                conn:append_command("GET", "p")
                conn:append_command("NOPE")
                conn:append_command("GET", "missing")
                assert(conn:get_reply() == hiredis.status.OK)
                assert(conn:get_reply() == 2)
                assert(conn:get_reply() == "2")
                assert(conn:get_reply().type == hiredis.REPLY_ERROR)
                assert(conn:get_reply() == hiredis.NIL)
                """);
        assertThatThrownBy(() -> run("conn:get_reply()"))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("no command appended");
    }

    @Test
    void closedConnectionIsALuaError() {
        run("conn:close(); conn:close()");
        assertThat(lib.openConnections()).isZero();
        assertThatThrownBy(() -> run("conn:command('PING')"))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("closed connection");
    }

    @Test
    void dotSyntaxAndMissingCommandNameAreLuaErrors() {
        assertThatThrownBy(() -> run("conn.command('PING')"))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("conn:command(...)");
        assertThatThrownBy(() -> run("conn:command()"))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("missing command name");
    }

    @Test
    void requireReturnsTheGlobalModule() {
        run(
                """
                local h = require 'hiredis'
                assert(rawequal(h, hiredis))
                assert(hiredis.REPLY_STRING == 1 and hiredis.REPLY_ARRAY == 2)
                assert(hiredis.REPLY_INTEGER == 3 and hiredis.REPLY_NIL == 4)
                assert(hiredis.REPLY_STATUS == 5 and hiredis.REPLY_ERROR == 6)
                assert(type(hiredis.ERR_IO) == "number")
                assert(tostring(conn):find("lua-hiredis.connection", 1, true))
                """);
    }

    @Test
    void connectingWhereNothingListensReturnsNilAndAMessageQuickly() {
        long start = System.nanoTime();
        Varargs result = run("return hiredis.connect('127.0.0.1', 1)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.arg1().isnil()).isTrue();
        assertThat(result.arg(2).tojstring())
                .contains("127.0.0.1:1")
                .contains("Connection refused");
        assertThat(result.arg(3).toint()).isEqualTo(HiredisConnection.ERR_IO);
    }

    @Test
    void explicitHostAndPortAreUsed() {
        run(
                "local c = assert(hiredis.connect('127.0.0.1', "
                        + REDIS.port()
                        + "))\n"
                        + "assert(c:command('SET', 'explicit', 'yes') == hiredis.status.OK)\n"
                        + "c:close()");
        assertThat(REDIS.jedis().get("explicit")).isEqualTo("yes");
    }

    @Test
    void tooManyOpenConnectionsAreRefusedNotLeaked() {
        Varargs result =
                run(
                        """
                        for i = 1, 20 do
                          local c, err = hiredis.connect()
                          if not c then return i, err end
                        end
                        """);
        assertThat(result.arg1().toint()).isEqualTo(HiredisLib.MAX_OPEN_CONNECTIONS);
        assertThat(result.arg(2).tojstring()).contains("too many open hiredis connections");
        lib.close();
        assertThat(lib.openConnections()).isZero();
    }

    @Test
    void interceptorAnswersBeforeRedis() {
        lib.close();
        load(
                REDIS.spec(),
                (args, redis) ->
                        new String(args.get(0), StandardCharsets.UTF_8).equals("ML.HELLO")
                                ? (args.size() == 2 ? RespReply.OK : RespReply.error("ERR arity"))
                                : null);
        run(
                """
                conn = assert(hiredis.connect())
                assert(conn:command("ML.HELLO", "x") == hiredis.status.OK)
                assert(conn:command_line("ML.HELLO x") == hiredis.status.OK)
                assert(conn:command("ML.HELLO").name == "ERR arity")
                conn:append_command("SET", "a", 1)
                conn:append_command("ML.HELLO", 1)
                conn:append_command("GET", "a")
                assert(conn:get_reply() == hiredis.status.OK)
                assert(conn:get_reply() == hiredis.status.OK)
                assert(conn:get_reply() == "1")
                assert(conn:command("PING") == hiredis.status.PONG)
                """);
    }
}
