package org.dragonflymle.testutils;

import java.util.function.UnaryOperator;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * A real {@link RedisSentinelGroup} (master, replica, three Sentinels) for the tests of one class:
 * started before all of them, the master emptied before each, stopped after all. A test that killed
 * the master gets the next test a fresh group.
 */
public final class RedisSentinelExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final UnaryOperator<RedisSentinelGroup.Builder> options;
    private RedisSentinelGroup group;

    public RedisSentinelExtension() {
        this(UnaryOperator.identity());
    }

    public RedisSentinelExtension(UnaryOperator<RedisSentinelGroup.Builder> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = options.apply(RedisSentinelGroup.builder()).start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!group.intact()) {
            group.close();
            group = options.apply(RedisSentinelGroup.builder()).start();
        }
        try (Jedis master = group.master()) {
            master.flushAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (group != null) {
            group.close();
            group = null;
        }
    }

    public RedisSentinelGroup group() {
        return group;
    }

    /** Where {@code hiredis.connect()} should go: the master, found through the Sentinels. */
    public RedisSpec spec() {
        return new RedisSpec(
                RedisSpec.DEFAULT_HOST,
                RedisSpec.DEFAULT_PORT,
                group.password(),
                0,
                false,
                null,
                new RedisTopology.Sentinel(
                        RedisSentinelGroup.MASTER_NAME,
                        group.sentinels().stream()
                                .map(n -> new RedisAddress(n.host(), n.port()))
                                .toList()));
    }
}
