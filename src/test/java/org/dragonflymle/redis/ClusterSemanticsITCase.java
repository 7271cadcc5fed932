package org.dragonflymle.redis;

import org.dragonflymle.testutils.RedisClusterExtension;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterSemanticsContract} with the installed redis-server (7.0 here). */
class ClusterSemanticsITCase extends ClusterSemanticsContract {

    @RegisterExtension static final RedisServerExtension ONE = new RedisServerExtension();
    @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    @Override
    RedisServerExtension one() {
        return ONE;
    }

    @Override
    RedisClusterExtension cluster() {
        return CLUSTER;
    }
}
