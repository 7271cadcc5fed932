package org.dragonflymle.redis;

import java.nio.file.Path;
import org.dragonflymle.config.RedisSpec;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/** One fixed server, over TCP or its Unix socket. */
final class ServerEndpoint implements RedisEndpoint {

    private final String address;
    private final HostAndPort hostAndPort;
    private final Path unixSocket;

    ServerEndpoint(RedisSpec spec) {
        this.address = spec.address();
        this.hostAndPort = new HostAndPort(spec.host(), spec.port());
        this.unixSocket = spec.isUnixSocket() ? Path.of(spec.host()) : null;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public TypedReplyConnection connect(JedisClientConfig config) {
        return unixSocket != null
                ? TypedReplyConnection.openUnix(unixSocket, config)
                : TypedReplyConnection.open(hostAndPort, config);
    }
}
