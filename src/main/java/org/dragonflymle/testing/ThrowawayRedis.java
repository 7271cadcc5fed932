package org.dragonflymle.testing;

import java.nio.file.Path;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.server.RedisServerBuilder;
import org.dragonflymle.redis.server.RedisServerProcess;

/**
 * The Redis that {@code dragonfly-mle test} and the checks before a reload give scripts instead of
 * the configured one: a redis-server started for the occasion on a free port of 127.0.0.1, with
 * config.lua's password and database and nothing in it. Always one server and the default user,
 * whatever config.lua names (a Cluster, a Sentinel group, an ACL user): the real deployment is
 * never touched.
 */
final class ThrowawayRedis {

    private ThrowawayRedis() {}

    /** Starts a server that answers config.lua's password, if any. */
    static RedisServerProcess start(RedisSpec configured) {
        RedisServerBuilder builder = RedisServerProcess.builder();
        if (configured.password() != null) {
            builder.password(configured.password());
        }
        return builder.start();
    }

    /** {@code spec} with its scripts' Redis the {@code server}, and LOGDIR {@code logDir}. */
    static PipelineSpec pointedAt(PipelineSpec spec, RedisServerProcess server, Path logDir) {
        RedisSpec r = spec.redis();
        return new PipelineSpec(
                spec.root(),
                logDir,
                spec.configFile(),
                new RedisSpec(server.host(), server.port(), r.password(), r.database(), false),
                spec.inputs(),
                spec.analyzers(),
                spec.outputs(),
                spec.checkpoint(),
                spec.limits(),
                spec.capabilities(),
                spec.shadows());
    }
}
