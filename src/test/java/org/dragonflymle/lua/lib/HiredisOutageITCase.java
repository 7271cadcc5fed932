package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;
import redis.clients.jedis.Jedis;

/** docs/guarantees.md: Redis stops for a while and comes back; scripts notice only a pause. */
class HiredisOutageITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path tmp;

    private HiredisLib lib;
    private Globals globals;

    private void connect(Duration budget) {
        lib =
                new HiredisLib(
                        REDIS.spec(), CommandInterceptor.NONE, ReconnectPolicy.withBudget(budget));
        globals = JsePlatform.standardGlobals();
        globals.load(lib);
        run("conn = assert(hiredis.connect())");
    }

    @AfterEach
    void close() {
        if (lib != null) {
            lib.close();
        }
    }

    private Varargs run(String lua) {
        return globals.load(lua, "test").invoke();
    }

    @Test
    void aCommandDuringAnOutageSucceedsWhenRedisReturnsWithinTheBudget() throws Exception {
        connect(Duration.ofSeconds(15));
        try (RedisLogCapture log = RedisLogCapture.of(RedisOutageLog.class)) {
            assertThat(run("return conn:command('INCR', 'n')").toint(1)).isEqualTo(1);

            REDIS.server().stop();
            CompletableFuture<Varargs> during =
                    CompletableFuture.supplyAsync(
                            () ->
                                    run(
                                            """
                                            local r, err = conn:command("SET", "k", "after")
                                            assert(r == hiredis.status.OK, err)
                                            return conn:command("INCR", "n")
                                            """));
            Thread.sleep(1500);
            assertThat(during).as("waits for Redis instead of failing").isNotDone();
            REDIS.server().start();

            Varargs result = during.get(20, TimeUnit.SECONDS);
            assertThat(result.toint(1)).as("the restarted Redis starts empty").isEqualTo(1);
            try (Jedis jedis = REDIS.newJedis()) {
                assertThat(jedis.get("k")).isEqualTo("after");
            }
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(0)).startsWith("WARN").contains("is unreachable");
            assertThat(log.lines().get(1)).startsWith("WARN").contains("answers again");
        }
    }

    @Test
    void whenRedisStaysDownTheCallReturnsNilAndAMessageAfterTheBudget() throws Exception {
        connect(Duration.ofSeconds(1));
        try (RedisLogCapture log = RedisLogCapture.of(RedisOutageLog.class)) {
            REDIS.server().stop();

            long start = System.nanoTime();
            Varargs failed = run("return conn:command('INCR', 'n')");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(waited).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
            assertThat(failed.arg1().isnil()).isTrue();
            assertThat(failed.arg(2).tojstring())
                    .contains(REDIS.spec().address())
                    .contains("unreachable");

            // The script can tell, and later events do not each wait out the budget again.
            start = System.nanoTime();
            Varargs later =
                    run(
                            """
                            local failures = 0
                            for i = 1, 1000 do
                              local r, err = conn:command("INCR", "n")
                              if r == nil and err then failures = failures + 1 end
                            end
                            return failures
                            """);
            assertThat(later.toint(1)).isEqualTo(1000);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(log.lines())
                    .as("one line when it starts, one when the budget runs out, none per command")
                    .hasSize(2);

            REDIS.server().start();
            Thread.sleep(1100);
            assertThat(run("return conn:command('PING') == hiredis.status.PONG").toboolean(1))
                    .isTrue();
            assertThat(log.lines()).hasSize(3);
        }
    }

    @Test
    void aLoopThatWaitedForRedisToComeBackIsNotAbortedByItsTimeBudget() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String relative = "analyzer/wait.lua";
        f.write(
                relative,
                """
                function setup() conn = assert(hiredis.connect()) end
                function loop(msg)
                  local n = assert(conn:command("INCR", "n"))
                  local work = 0
                  for i = 1, 5000 do work = work + i % 3 end  -- runs on after the wait
                  result = n
                end
                """);
        ScriptContext ctx = f.context(relative, java.util.Map.of(), null);
        lib =
                new HiredisLib(
                        REDIS.spec(),
                        CommandInterceptor.NONE,
                        ReconnectPolicy.withBudget(Duration.ofSeconds(15)));
        try (ScriptHost host = new ScriptHost(ctx, List.of(lib))) {
            host.setLoopBudget(100);
            host.start();
            REDIS.server().stop();
            CompletableFuture<Void> during =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    host.loop(LuaValue.TRUE);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(1000);
            REDIS.server().start();
            during.get(20, TimeUnit.SECONDS); // not "loop ran longer than its budget"
            assertThat(host.globals().get("result").toint()).isEqualTo(1);
        }
    }

    @Test
    void theEngineModulesOfOneJvmLogAnOutageOnceNotOncePerScriptInstance() throws Exception {
        // as ScriptOperator makes them: one module per script instance, default policy
        List<HiredisLib> modules =
                List.of(
                        new HiredisLib(REDIS.spec(), CommandInterceptor.NONE),
                        new HiredisLib(REDIS.spec(), CommandInterceptor.NONE));
        List<Globals> instances = new java.util.ArrayList<>();
        for (HiredisLib module : modules) {
            Globals g = JsePlatform.standardGlobals();
            g.load(module);
            g.load("conn = assert(hiredis.connect())", "test").call();
            instances.add(g);
        }
        try (RedisLogCapture log = RedisLogCapture.of(RedisOutageLog.class)) {
            REDIS.server().stop();
            List<CompletableFuture<LuaValue>> calls = new java.util.ArrayList<>();
            for (Globals g : instances) {
                calls.add(
                        CompletableFuture.supplyAsync(
                                () -> g.load("return conn:command('INCR', 'n')", "test").call()));
            }
            Thread.sleep(1000);
            REDIS.server().start();
            for (CompletableFuture<LuaValue> call : calls) {
                assertThat(call.get(20, TimeUnit.SECONDS).isnumber()).isTrue();
            }
            assertThat(log.lines())
                    .as("one line when it starts, one when it is back, for both instances")
                    .hasSize(2);
        } finally {
            modules.forEach(HiredisLib::close);
        }
    }
}
