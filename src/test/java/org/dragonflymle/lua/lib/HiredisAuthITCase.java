package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;
import redis.clients.jedis.Jedis;

/** {@code redis_password} and {@code redis_db} reach the server; secrets stay out of messages. */
class HiredisAuthITCase {

    private static final String PASSWORD = "s3cret-pw";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension(b -> b.password(PASSWORD));

    private static Varargs run(RedisSpec spec, String lua) {
        try (HiredisLib lib =
                new HiredisLib(
                        spec,
                        CommandInterceptor.NONE,
                        ReconnectPolicy.withBudget(Duration.ofSeconds(5)))) {
            Globals globals = JsePlatform.standardGlobals();
            globals.load(lib);
            return globals.load(lua, "test").invoke();
        }
    }

    @Test
    void authenticatesAndSelectsTheConfiguredDatabase() {
        RedisSpec spec = new RedisSpec("127.0.0.1", REDIS.port(), PASSWORD, 2, false);

        run(
                spec,
                """
                local conn = assert(hiredis.connect())
                assert(conn:command("PING") == hiredis.status.PONG)
                assert(conn:command("SET", "where", "db2") == hiredis.status.OK)
                """);

        try (Jedis jedis = REDIS.newJedis()) {
            assertThat(jedis.get("where")).isNull();
            jedis.select(2);
            assertThat(jedis.get("where")).isEqualTo("db2");
        }
    }

    @Test
    void aWrongPasswordFailsAtOnceWithoutShowingIt() {
        RedisSpec spec = new RedisSpec("127.0.0.1", REDIS.port(), "wrong-pw", 0, false);

        long start = System.nanoTime();
        Varargs result = run(spec, "return hiredis.connect()");

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("not retried for the 5 s budget")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(result.arg1().isnil()).isTrue();
        assertThat(result.arg(2).tojstring())
                .contains("127.0.0.1:" + REDIS.port())
                .contains("WRONGPASS")
                .doesNotContain("wrong-pw");
    }

    @Test
    void noPasswordMeansEveryCommandIsRefusedByRedis() {
        RedisSpec spec = new RedisSpec("127.0.0.1", REDIS.port(), null, 0, false);

        Varargs result =
                run(spec, "local conn = assert(hiredis.connect()) return conn:command('GET', 'k')");

        assertThat(result.arg1().get("name").tojstring()).startsWith("NOAUTH");
    }
}
