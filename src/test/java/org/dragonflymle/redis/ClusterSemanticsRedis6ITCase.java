package org.dragonflymle.redis;

import org.dragonflymle.testutils.RedisClusterExtension;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterSemanticsContract} with embedded-redis's 6.2 binary, what a machine without an
 * installed redis-server runs: no key specifications, so movable keys come from COMMAND GETKEYS.
 */
class ClusterSemanticsRedis6ITCase extends ClusterSemanticsContract {

    @RegisterExtension
    static final RedisServerExtension ONE = new RedisServerExtension(b -> b.embeddedBinary(true));

    @RegisterExtension
    static final RedisClusterExtension CLUSTER =
            new RedisClusterExtension(b -> b.embeddedBinary(true));

    @Override
    RedisServerExtension one() {
        return ONE;
    }

    @Override
    RedisClusterExtension cluster() {
        return CLUSTER;
    }
}
