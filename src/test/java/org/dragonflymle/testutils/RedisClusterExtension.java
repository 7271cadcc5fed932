package org.dragonflymle.testutils;

import java.util.function.UnaryOperator;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@link RedisCluster} (3 masters, 3 replicas) for the tests of one class: formed before all
 * of them, emptied before each, stopped after all. A test that killed a node gets the next test a
 * freshly formed cluster.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
 * }</pre>
 */
public final class RedisClusterExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final UnaryOperator<RedisCluster.Builder> options;
    private RedisCluster cluster;

    public RedisClusterExtension() {
        this(UnaryOperator.identity());
    }

    /** With options, e.g. {@code b -> b.password("secret")}. */
    public RedisClusterExtension(UnaryOperator<RedisCluster.Builder> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = options.apply(RedisCluster.builder()).start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!cluster.intact()) {
            cluster.close();
            cluster = options.apply(RedisCluster.builder()).start();
        }
        cluster.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public RedisCluster cluster() {
        return cluster;
    }

    /** Where {@code hiredis.connect()} should go: this cluster, through all its nodes as seeds. */
    public RedisSpec spec() {
        return new RedisSpec(
                RedisSpec.DEFAULT_HOST,
                RedisSpec.DEFAULT_PORT,
                cluster.password(),
                0,
                false,
                null,
                new RedisTopology.Cluster(
                        cluster.nodes().stream()
                                .map(n -> new RedisAddress(n.host(), n.port()))
                                .toList()));
    }
}
