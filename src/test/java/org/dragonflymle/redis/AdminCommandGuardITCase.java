package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.lib.jse.JsePlatform;
import redis.clients.jedis.Jedis;

/**
 * Scripts cannot administer Redis: every way a command reaches it is refused in the engine with an
 * error reply naming the command, unless config.lua allows it; on a redis-server the launcher
 * starts, an ACL user enforces the same for what the engine cannot see (a Redis script building the
 * command's name).
 */
class AdminCommandGuardITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private HiredisLib lib;
    private Globals globals;

    @AfterEach
    void close() {
        if (lib != null) {
            lib.close();
        }
    }

    private void load(RedisSpec spec, Set<String> allowed) {
        lib =
                new HiredisLib(
                        spec,
                        new AdminCommandGuard(allowed, CommandInterceptor.NONE),
                        ReconnectPolicy.withBudget(Duration.ofMillis(300)));
        globals = JsePlatform.standardGlobals();
        globals.load(lib);
        run("conn = assert(hiredis.connect())");
    }

    private String run(String lua) {
        return globals.load(lua, "test").call().tojstring();
    }

    @Test
    void everyPathToAnAdminCommandIsRefusedNamingIt() {
        load(REDIS.spec(), Set.of());
        run("conn:command('SET', 'kept', '1')");
        assertThat(run("return conn:command('SHUTDOWN').name"))
                .isEqualTo(
                        "ERR SHUTDOWN refused: scripts may not administer Redis (config.lua's"
                                + " sandbox.redis_admin can allow a command)");
        assertThat(run("return conn:command('flushall').name")).startsWith("ERR FLUSHALL refused");
        assertThat(run("return conn:command_line('CONFIG SET maxmemory 1').name"))
                .startsWith("ERR CONFIG refused");
        assertThat(run("return conn:command('ACL', 'SETUSER', 'x', 'on').name"))
                .startsWith("ERR ACL refused");
        assertThat(run("return conn:command('client', 'kill', '1.2.3.4:5').name"))
                .startsWith("ERR CLIENT KILL refused");
        assertThat(run("return conn:command('CLIENT', 'SETNAME', 'ok').name")).isEqualTo("OK");
        assertThat(
                        run(
                                "conn:append_command('FLUSHDB') conn:append_command('PING')"
                                        + " return conn:get_reply().name .. '|' .."
                                        + " conn:get_reply().name"))
                .startsWith("ERR FLUSHDB refused")
                .endsWith("|PONG");
        // inside MULTI each command passes the guard on its own
        assertThat(
                        run(
                                "conn:command('MULTI') local r = conn:command('FLUSHALL')"
                                        + " conn:command('EXEC') return r.name"))
                .startsWith("ERR FLUSHALL refused");
        assertThat(run("return conn:command('EVAL', \"return redis.call('flushall')\", 0).name"))
                .startsWith("ERR EVAL of a script that calls FLUSHALL refused");
        assertThat(run("return conn:command('GET', 'kept')")).isEqualTo("1");
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void configLuaCanAllowACommand() {
        load(REDIS.spec(), Set.of("flushdb"));
        run("conn:command('SET', 'gone', '1')");
        assertThat(run("return conn:command('FLUSHDB').name")).isEqualTo("OK");
        assertThat(run("return tostring(conn:command('EXISTS', 'gone'))")).isEqualTo("0");
        assertThat(run("return conn:command('FLUSHALL').name")).startsWith("ERR FLUSHALL refused");
    }

    /**
     * Both binaries a run may start: the installed redis-server (7 here) and, on a machine without
     * one, embedded-redis's 6.2, whose ACL syntax has no subcommand denial.
     */
    @ParameterizedTest(name = "embedded binary: {0}")
    @ValueSource(booleans = {false, true})
    void theLaunchersRedisRefusesWhatTheEngineCannotSee(boolean embedded) {
        try (RedisServerProcess server =
                RedisServerProcess.builder()
                        .embeddedBinary(embedded)
                        .acl(version -> Capabilities.aclRules(Set.of("flushdb"), version))
                        .start()) {
            load(new RedisSpec(server.host(), server.port(), null, 0, false), Set.of("flushdb"));
            for (String lua :
                    List.of(
                            "return conn:command('EVAL', \"return redis.call(string.reverse('llahsulf'))\", 0).name",
                            "return conn:command('EVAL', \"return redis.call('SHUT'..'DOWN')\", 0).name",
                            "return conn:command('EVAL', \"return redis.call('CON'..'FIG','SET','maxmemory','1')\", 0).name")) {
                assertThat(run(lua)).as(lua).containsAnyOf("can't run this command", "not allowed");
            }
            assertThat(run("return conn:command('FLUSHDB').name")).isEqualTo("OK");
            // a client past the engine's guard is the ACL user alone: subcommands are told apart
            try (Jedis jedis = new Jedis(server.host(), server.port())) {
                assertThat(jedis.clientSetname("analyzer")).isEqualTo("OK");
                assertThat(jedis.clientGetname()).isEqualTo("analyzer");
                assertThat(jedis.clientId()).isPositive();
                assertThat(jedis.scriptLoad("return 1")).hasSize(40);
                assertThatThrownBy(() -> jedis.clientKill("1.2.3.4:5"))
                        .hasMessageContaining("no permissions");
                assertThatThrownBy(() -> jedis.clientPause(1000))
                        .hasMessageContaining("no permissions");
                assertThatThrownBy(jedis::scriptFlush).hasMessageContaining("no permissions");
                assertThatThrownBy(jedis::flushAll).hasMessageContaining("no permissions");
                assertThat(jedis.flushDB()).isEqualTo("OK");
            }
            assertThat(server.isRunning()).isTrue();
        }
    }
}
