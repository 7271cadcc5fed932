package org.dragonflymle.cli;

import java.util.Map;
import org.dragonflymle.testutils.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisCluster;

/** {@link RedisDeploymentExamplesContract} against a real 3-master 3-replica Redis Cluster. */
class RedisClusterExamplesITCase extends RedisDeploymentExamplesContract {

    @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    @Override
    String redisConfig() {
        return CLUSTER.cluster().configLua();
    }

    @Override
    String get(String key) {
        try (JedisCluster c = CLUSTER.cluster().client()) {
            return c.get(key);
        }
    }

    @Override
    Map<String, String> hash(String key) {
        try (JedisCluster c = CLUSTER.cluster().client()) {
            return c.hgetAll(key);
        }
    }
}
