package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisSentinelExtension;
import org.dragonflymle.testutils.RedisSentinelGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * A connection to the master that real Sentinels watch: found through them, followed through a
 * failover (a SIGKILLed master, and a master demoted while the connection stayed open), with the
 * outage rules of one server: the call waits within its budget, one log line when the outage starts
 * and one when Redis answers again.
 */
class SentinelConnectionITCase {

    @RegisterExtension static final RedisSentinelExtension SENTINELS = new RedisSentinelExtension();

    private static List<byte[]> cmd(String... args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static RedisConnection open(RedisSpec spec, Duration budget, RedisOutageLog log) {
        return RedisConnection.open(
                spec, ReconnectPolicy.withBudget(budget), CommandInterceptor.NONE, log);
    }

    @Test
    void theMasterIsFoundThroughTheSentinels() {
        RedisSentinelGroup g = SENTINELS.group();
        try (RedisConnection c =
                        open(SENTINELS.spec(), Duration.ofSeconds(5), new RedisOutageLog());
                Jedis master = g.master()) {
            assertThat(c).isInstanceOf(ReconnectingConnection.class);
            assertThat(c.address())
                    .isEqualTo(
                            "sentinel master dragonfly via "
                                    + String.join(",", g.sentinelAddresses()));
            assertThat(c.command(cmd("SET", "k", "v"))).isEqualTo(RespReply.OK);
            assertThat(master.get("k")).isEqualTo("v");
        }
    }

    @Test
    void aSentinelThatIsDownIsPassedOver() {
        RedisSentinelGroup g = SENTINELS.group();
        List<RedisAddress> sentinels = new ArrayList<>();
        sentinels.add(new RedisAddress("127.0.0.1", 1)); // nothing listens there
        g.sentinels().forEach(s -> sentinels.add(new RedisAddress(s.host(), s.port())));
        RedisSpec spec =
                new RedisSpec(
                        "127.0.0.1",
                        6379,
                        null,
                        0,
                        false,
                        null,
                        new RedisTopology.Sentinel(RedisSentinelGroup.MASTER_NAME, sentinels));
        try (RedisConnection c = open(spec, Duration.ofSeconds(5), new RedisOutageLog())) {
            assertThat(c.command(cmd("PING"))).isEqualTo(RespReply.PONG);
        }
    }

    @Test
    void aMasterNameNoSentinelKnowsIsRefusedAtOnce() {
        RedisSpec spec = SENTINELS.spec();
        RedisTopology.Sentinel t = (RedisTopology.Sentinel) spec.topology();
        RedisSpec wrong =
                new RedisSpec(
                        "127.0.0.1",
                        6379,
                        null,
                        0,
                        false,
                        null,
                        new RedisTopology.Sentinel("nosuchmaster", t.sentinels()));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> open(wrong, Duration.ofSeconds(10), new RedisOutageLog()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("knows no master named nosuchmaster");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * SIGKILL of the master while a call is under way: the call waits, the Sentinels promote the
     * replica (down-after 2 s), and the call gets its answer from it, all within the budget. Writes
     * the master acknowledged before it died were replicated (WAIT), so they are there.
     */
    @Test
    void aKilledMasterIsFollowedToThePromotedReplica() throws Exception {
        RedisSentinelGroup g = SENTINELS.group();
        RedisOutageLog log = new RedisOutageLog();
        try (RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class);
                RedisConnection c = open(SENTINELS.spec(), Duration.ofSeconds(20), log)) {
            for (int i = 0; i < 100; i++) {
                c.command(cmd("SADD", "seen", Integer.toString(i)));
            }
            assertThat(c.command(cmd("WAIT", "1", "5000"))).isEqualTo(RespReply.integer(1));
            int old = g.killMaster();

            CompletableFuture<List<RespReply>> calls =
                    CompletableFuture.supplyAsync(
                            () -> {
                                List<RespReply> replies = new ArrayList<>();
                                for (int i = 100; i < 200; i++) {
                                    replies.add(
                                            c.command(cmd("SADD", "seen", Integer.toString(i))));
                                }
                                replies.add(c.command(cmd("SCARD", "seen")));
                                return replies;
                            });
            List<RespReply> replies = calls.get(60, TimeUnit.SECONDS);
            int now = g.awaitFailover(old, Duration.ofSeconds(30));

            assertThat(now).isNotEqualTo(old);
            assertThat(replies.subList(0, 100)).containsOnly(RespReply.integer(1));
            assertThat(replies.get(100)).isEqualTo(RespReply.integer(200));
            assertThat(capture.lines())
                    .hasSize(2)
                    .satisfies(
                            l -> assertThat(l.get(0)).contains("is unreachable"),
                            l -> assertThat(l.get(1)).contains("answers again"));
            assertThat(capture.lines().get(0)).contains("sentinel master dragonfly");
        }
    }

    /**
     * The old master is turned into a replica while the connection stays open (a partition heals,
     * an operator switches roles): it answers writes with READONLY. The connection drops it, asks
     * the Sentinels again and the write runs on the new master; the script never sees READONLY.
     */
    @Test
    void aMasterDemotedUnderAnOpenConnectionIsLeftForTheNewOne() {
        try (RedisSentinelGroup g = RedisSentinelGroup.builder().start();
                RedisConnection c = open(specOf(g), Duration.ofSeconds(20), new RedisOutageLog())) {
            assertThat(c.command(cmd("SET", "before", "1"))).isEqualTo(RespReply.OK);
            int oldPort = g.masterPort();
            int newPort =
                    g.dataNodes().stream()
                            .filter(n -> n.port() != oldPort)
                            .findFirst()
                            .orElseThrow()
                            .port();
            try (Jedis oldMaster = g.jedis(oldPort);
                    Jedis newMaster = g.jedis(newPort)) {
                newMaster.replicaofNoOne();
                oldMaster.replicaof("127.0.0.1", newPort);
                for (RedisServerProcess s : g.sentinels()) {
                    try (Jedis sentinel = new Jedis(s.host(), s.port())) {
                        sentinel.sentinelRemove(RedisSentinelGroup.MASTER_NAME);
                        sentinel.sentinelMonitor(
                                RedisSentinelGroup.MASTER_NAME, "127.0.0.1", newPort, 2);
                    }
                }
                assertThat(oldMaster.role().get(0)).isEqualTo("slave");

                assertThat(c.command(cmd("SET", "after", "2"))).isEqualTo(RespReply.OK);

                assertThat(newMaster.get("after")).isEqualTo("2");
            }
        }
    }

    private static RedisSpec specOf(RedisSentinelGroup g) {
        return new RedisSpec(
                "127.0.0.1",
                6379,
                null,
                0,
                false,
                null,
                new RedisTopology.Sentinel(
                        RedisSentinelGroup.MASTER_NAME,
                        g.sentinels().stream()
                                .map(s -> new RedisAddress(s.host(), s.port()))
                                .toList()));
    }
}
