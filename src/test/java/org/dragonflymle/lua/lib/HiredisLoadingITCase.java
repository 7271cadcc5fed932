package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.RedisVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A redis-server restarted with a dataset accepts connections at once but answers every command
 * with "LOADING Redis is loading the dataset in memory" until its data is read back (seconds for a
 * big one). Redis is not back yet: a hiredis call waits for it within the retry budget, as for any
 * outage, instead of handing the script an error reply for a command Redis never ran.
 */
class HiredisLoadingITCase {

    /**
     * DEBUG POPULATE fills the server; Redis 7 allows DEBUG only when told to, and Redis 6.2 (the
     * embedded-redis fallback) allows it always and knows no such option.
     */
    @RegisterExtension
    static final RedisServerExtension REDIS =
            RedisServerExtension.keepingDataAcrossRestarts(
                    b ->
                            RedisVersion.major() >= 7
                                    ? b.extraArgs("--enable-debug-command", "local")
                                    : b);

    private static final ProtocolCommand DEBUG = () -> SafeEncoder.encode("DEBUG");

    /** Enough keys that loading them takes about a second. */
    private static final int KEYS = 2_000_000;

    @Test
    void aCallRightAfterARestartWaitsUntilRedisHasLoadedItsData() throws Exception {
        // POPULATE of two million keys takes seconds on a busy machine: more than the 2 s a
        // default client waits for a reply
        try (Jedis jedis = new Jedis(RedisServerProcess.HOST, REDIS.server().port(), 60_000)) {
            jedis.sendCommand(DEBUG, "POPULATE", Integer.toString(KEYS));
            jedis.bgrewriteaof(); // into the append-only file, to be loaded again after the restart
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                    || !jedis.info("persistence").contains("aof_rewrite_scheduled:0")) {
                assertThat(System.nanoTime()).as("AOF rewrite done in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        try (HiredisLib lib =
                        new HiredisLib(
                                REDIS.spec(),
                                CommandInterceptor.NONE,
                                ReconnectPolicy.withBudget(Duration.ofSeconds(15)));
                RedisLogCapture log = RedisLogCapture.of(RedisOutageLog.class)) {
            Globals globals = JsePlatform.standardGlobals();
            globals.load(lib);
            globals.load("conn = assert(hiredis.connect())", "test").call();

            REDIS.server().stop();
            REDIS.server().start();
            try (Jedis probe = REDIS.newJedis()) {
                assertThat(probe.info("persistence"))
                        .as("precondition: still loading when the call is made")
                        .contains("loading:1");
            }
            Varargs reply =
                    globals.load("return conn:command('SADD', 'seen', 'after-restart')", "test")
                            .invoke();

            assertThat(reply.arg1().isnumber())
                    .as(
                            "an answer of Redis with its data, not %s",
                            reply.arg1().istable() ? reply.arg1().get("name") : reply.arg1())
                    .isTrue();
            assertThat(reply.arg1().toint()).isEqualTo(1);
            try (Jedis after = REDIS.newJedis()) {
                assertThat(after.sismember("seen", "after-restart")).isTrue();
                assertThat(after.dbSize()).isEqualTo(KEYS + 1L);
            }
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(0)).contains("LOADING");
            assertThat(log.lines().get(1)).contains("answers again");
        }
    }
}
