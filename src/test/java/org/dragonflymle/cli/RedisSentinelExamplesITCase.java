package org.dragonflymle.cli;

import java.util.Map;
import org.dragonflymle.testutils.RedisSentinelExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisDeploymentExamplesContract} against a real master and replica behind three Sentinels.
 */
class RedisSentinelExamplesITCase extends RedisDeploymentExamplesContract {

    @RegisterExtension static final RedisSentinelExtension SENTINELS = new RedisSentinelExtension();

    @Override
    String redisConfig() {
        return SENTINELS.group().configLua();
    }

    @Override
    String get(String key) {
        try (Jedis master = SENTINELS.group().master()) {
            return master.get(key);
        }
    }

    @Override
    Map<String, String> hash(String key) {
        try (Jedis master = SENTINELS.group().master()) {
            return master.hgetAll(key);
        }
    }
}
