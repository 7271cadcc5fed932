package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.testutils.RedisClusterExtension;
import org.dragonflymle.testutils.RedisSentinelGroup;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * What a failover can lose, and how a checkpoint bounds it (docs/redis.md, Failover): {@link
 * RedisConnection#checkpoint()} waits until a replica has the connection's writes, and fails when a
 * master written to since the last one was replaced, so the stage replays from its last checkpoint.
 * Real servers: one redis-server, a Sentinel group, a 3-master 3-replica cluster.
 */
class RedisCheckpointITCase {

    @RegisterExtension static final RedisServerExtension ONE = new RedisServerExtension();
    @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    private static List<byte[]> cmd(String... args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static RedisConnection open(RedisSpec spec) {
        return RedisConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(30)),
                CommandInterceptor.NONE,
                new RedisOutageLog());
    }

    private static void sadd(RedisConnection c, String key, int from, int to) {
        for (int i = from; i <= to; i++) {
            assertThat(c.command(cmd("SADD", key, Integer.toString(i))))
                    .isEqualTo(RespReply.integer(1));
        }
    }

    private static Set<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(Integer::toString)
                .collect(Collectors.toSet());
    }

    private static void signal(RedisServerProcess p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void oneServerHasNoFailoverToWaitFor() {
        try (RedisConnection c = open(ONE.spec())) {
            sadd(c, "s", 1, 10);
            ONE.server().stop();
            ONE.server().start();

            c.checkpoint(); // nothing to wait for, nothing to report

            assertThat(c.command(cmd("PING"))).isEqualTo(RespReply.PONG);
        }
    }

    /**
     * The bound, made visible: the replica is cut off (paused, its link killed), the master
     * acknowledges writes 101-300 that never reach it, a checkpoint in between cannot get them
     * confirmed (WAIT gives up after a second, the checkpoint completes), then the master dies and
     * the replica is promoted. Writes 101-300 are gone, exactly those; 1-100 (confirmed at a
     * checkpoint) and 301-400 (written after the switch) are there; the next checkpoint fails,
     * naming the switch.
     */
    @Test
    void afterAFailoverExactlyTheWritesNoReplicaHadAreGoneAndTheCheckpointSaysSo()
            throws Exception {
        try (RedisSentinelGroup g =
                        RedisSentinelGroup.builder().downAfter(Duration.ofSeconds(4)).start();
                RedisConnection c = open(sentinelSpec(g))) {
            sadd(c, "s", 1, 100);
            c.checkpoint();

            RedisServerProcess replica = g.replica();
            int oldMaster = g.masterPort();
            signal(replica, "STOP");
            try (Jedis master = g.jedis(oldMaster)) {
                master.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
            }
            sadd(c, "s", 101, 200);
            long t0 = System.nanoTime();
            c.checkpoint(); // WAIT finds no replica in time; the checkpoint goes on
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .isGreaterThanOrEqualTo(RedisConnection.REPLICA_WAIT);
            sadd(c, "s", 201, 300);
            g.killMaster();
            signal(replica, "CONT");

            sadd(c, "s", 301, 400); // waits for the Sentinels to promote the replica
            g.awaitFailover(oldMaster, Duration.ofSeconds(30));

            assertThatThrownBy(c::checkpoint)
                    .isInstanceOf(RedisFailoverException.class)
                    .hasMessageContaining("the master changed from 127.0.0.1:" + oldMaster);
            c.checkpoint(); // reported once
            Set<String> expected = new HashSet<>(range(1, 100));
            expected.addAll(range(301, 400));
            try (Jedis master = g.master()) {
                assertThat(master.smembers("s")).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSentinelReconnectToTheSameMasterIsNoFailover() {
        try (RedisSentinelGroup g = RedisSentinelGroup.builder().start();
                RedisConnection c = open(sentinelSpec(g));
                Jedis master = g.master()) {
            sadd(c, "s", 1, 10);
            master.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL));
            sadd(c, "s", 11, 20);

            c.checkpoint();

            assertThat(master.scard("s")).isEqualTo(20);
        }
    }

    @Test
    void aClusterCheckpointFailsAfterAMasterItWroteToWasReplaced() {
        try (RedisConnection c = open(CLUSTER.spec());
                JedisCluster check = CLUSTER.cluster().client()) {
            for (int i = 0; i < 100; i++) {
                c.command(cmd("SET", "k" + i, "v"));
            }
            c.checkpoint();
            for (int i = 0; i < 100; i++) {
                c.command(cmd("INCR", "n" + i));
            }
            int victim = CLUSTER.cluster().nodeServing("n1");
            String victimAddress = "127.0.0.1:" + CLUSTER.cluster().nodes().get(victim).port();
            CLUSTER.cluster().kill(victim);
            for (int i = 0; i < 100; i++) {
                c.command(cmd("INCR", "n" + i)); // rides out the failover
            }

            assertThatThrownBy(c::checkpoint)
                    .isInstanceOf(RedisFailoverException.class)
                    .hasMessageContaining("master " + victimAddress + " was replaced by a replica");
            c.checkpoint();
            assertThat(check.get("n1")).isIn("1", "2");
        }
    }

    @Test
    void aClusterCheckpointAfterADroppedSocketToALiveMasterPasses() {
        try (RedisConnection c = open(CLUSTER.spec())) {
            for (int i = 0; i < 100; i++) {
                c.command(cmd("SET", "k" + i, "v"));
            }
            for (int node = 0; node < 3; node++) {
                try (Jedis j = CLUSTER.cluster().jedis(node)) {
                    j.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL));
                }
            }
            for (int i = 0; i < 100; i++) {
                c.command(cmd("SET", "k" + i, "w"));
            }

            c.checkpoint();

            assertThat(c.command(cmd("GET", "k7"))).isEqualTo(RespReply.bulk("w"));
        }
    }

    private static RedisSpec sentinelSpec(RedisSentinelGroup g) {
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
