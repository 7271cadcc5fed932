package org.dragonflymle.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * The test launchers themselves: a 3-master 3-replica cluster and a Sentinel group form from the
 * installed redis-server and from embedded-redis's 6.2 binary alike, fail over when a master is
 * SIGKILLed, and leave no process and no directory behind.
 */
class RedisTopologiesITCase {

    @ParameterizedTest(name = "embedded binary: {0}")
    @ValueSource(booleans = {false, true})
    void aClusterFormsFailsOverAndLeavesNothingBehind(boolean embedded) throws Exception {
        RedisCluster cluster;
        List<RedisServerProcess> nodes;
        List<Path> dirs;
        try (RedisCluster c = RedisCluster.builder().embeddedBinary(embedded).start()) {
            cluster = c;
            nodes = c.nodes();
            dirs = nodes.stream().map(RedisServerProcess::unixSocket).map(Path::getParent).toList();
            assertThat(nodes).hasSize(6);
            try (JedisCluster client = c.client()) {
                for (int i = 0; i < 100; i++) {
                    client.set("k" + i, "v" + i);
                }
                int master = c.nodeServing("k1");
                assertThat(master).isBetween(0, 2);

                c.kill(master);
                int promoted = c.awaitFailoverOf(master, Duration.ofSeconds(30));

                assertThat(promoted).isGreaterThanOrEqualTo(3);
                try (Jedis j = c.jedis(promoted)) {
                    assertThat(j.role().get(0)).isEqualTo("master");
                }
                assertThat(c.intact()).isFalse();
            }
            try (JedisCluster client = c.client()) {
                assertThat(client.get("k1")).isEqualTo("v1");
            }
        }
        assertThat(nodes).noneMatch(RedisServerProcess::isRunning);
        assertThat(dirs).noneMatch(Files::exists);
        assertThat(cluster.nodes()).isEmpty();
    }

    @ParameterizedTest(name = "embedded binary: {0}")
    @ValueSource(booleans = {false, true})
    void sentinelsPromoteTheReplicaAndLeaveNothingBehind(boolean embedded) throws Exception {
        List<RedisServerProcess> all;
        try (RedisSentinelGroup g = RedisSentinelGroup.builder().embeddedBinary(embedded).start()) {
            all = new java.util.ArrayList<>(g.dataNodes());
            all.addAll(g.sentinels());
            int first = g.masterPort();
            try (Jedis master = g.master()) {
                master.set("k", "v");
                master.waitReplicas(1, 5000);
            }

            int old = g.killMaster();
            int now = g.awaitFailover(old, Duration.ofSeconds(30));

            assertThat(old).isEqualTo(first);
            assertThat(now).isNotEqualTo(old);
            try (Jedis master = g.master()) {
                assertThat(master.get("k")).isEqualTo("v");
            }
        }
        assertThat(all).noneMatch(RedisServerProcess::isRunning);
    }
}
