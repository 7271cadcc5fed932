package org.dragonflymle.cli;

import java.time.Duration;
import java.util.Set;
import org.dragonflymle.testutils.RedisSentinelExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** {@link RedisFailoverContract} with a real master and replica behind three Sentinels. */
class RedisSentinelFailoverITCase extends RedisFailoverContract {

    @RegisterExtension static final RedisSentinelExtension SENTINELS = new RedisSentinelExtension();

    private int killed = -1;

    @Override
    String redisConfig() {
        return SENTINELS.group().configLua();
    }

    @Override
    void killMasterOf(String key) {
        killed = SENTINELS.group().killMaster();
    }

    @Override
    void awaitFailover(String key) {
        SENTINELS.group().awaitFailover(killed, Duration.ofSeconds(60));
    }

    @Override
    String get(String key) {
        try (Jedis master = SENTINELS.group().master()) {
            return master.get(key);
        }
    }

    @Override
    Set<String> members(String key) {
        try (Jedis master = SENTINELS.group().master()) {
            return master.smembers(key);
        }
    }
}
