package org.dragonflymle.redis;

import org.dragonflymle.config.RedisSpec;

/**
 * How a script's {@code hiredis.connect} gets its connection: a connection of its own ({@link
 * #DIRECT}), or a view of one shared by the Lua states of a concurrent stage ({@link
 * SharedConnections}).
 */
@FunctionalInterface
public interface ConnectionOpener {

    /** A connection of its own, as {@link RedisConnection#open} makes it. */
    ConnectionOpener DIRECT = RedisConnection::open;

    /**
     * @throws RedisUnavailableException when Redis cannot be reached in time or refuses the
     *     handshake
     */
    RedisConnection open(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages);
}
