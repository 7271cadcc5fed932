package org.dragonflymle.cli;

import java.time.Duration;
import java.util.Set;
import org.dragonflymle.testutils.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisCluster;

/** {@link RedisFailoverContract} with a real 3-master 3-replica Redis Cluster. */
class RedisClusterFailoverITCase extends RedisFailoverContract {

    @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    private int killed = -1;

    @Override
    String redisConfig() {
        return CLUSTER.cluster().configLua();
    }

    @Override
    void killMasterOf(String key) {
        killed = CLUSTER.cluster().nodeServing(key);
        CLUSTER.cluster().kill(killed);
    }

    @Override
    void awaitFailover(String key) {
        CLUSTER.cluster().awaitFailoverOf(killed, Duration.ofSeconds(60));
    }

    @Override
    String get(String key) {
        try (JedisCluster c = CLUSTER.cluster().client()) {
            return c.get(key);
        }
    }

    @Override
    Set<String> members(String key) {
        try (JedisCluster c = CLUSTER.cluster().client()) {
            return c.smembers(key);
        }
    }
}
