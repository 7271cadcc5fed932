package org.dragonflymle.config;

import java.io.Serializable;

/**
 * Where scripts' {@code hiredis.connect()} goes when called without arguments.
 *
 * <p>A {@code host} starting with {@code /} is the path of Redis's Unix socket ({@code unixsocket}
 * in redis.conf), as in hiredis and {@code redis-cli -s}; {@code port} is then unused. On one
 * machine a Unix socket answers faster than loopback TCP.
 *
 * @param host {@code redis_host}, default 127.0.0.1, or a Unix socket path
 * @param port {@code redis_port}, default 6379
 * @param password {@code redis_password}, or {@code null}; never logged
 * @param database {@code redis_db}, default 0
 * @param tls {@code redis_tls}, or a {@code rediss://} {@code redis_url}
 */
public record RedisSpec(String host, int port, String password, int database, boolean tls)
        implements Serializable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6379;

    public static RedisSpec defaults() {
        return new RedisSpec(DEFAULT_HOST, DEFAULT_PORT, null, 0, false);
    }

    public RedisSpec withPort(int newPort) {
        return new RedisSpec(host, newPort, password, database, tls);
    }

    /** A spec for the same server and credentials reached through its Unix socket. */
    public RedisSpec withUnixSocket(String path) {
        return new RedisSpec(path, port, password, database, tls);
    }

    /** Whether {@code host} is a Unix socket path. */
    public boolean isUnixSocket() {
        return host.startsWith("/");
    }

    /** host:port or the socket path, safe to print (no password). */
    public String address() {
        return isUnixSocket() ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisSpec["
                + address()
                + ", db="
                + database
                + ", tls="
                + tls
                + (password == null ? "" : ", password=***")
                + "]";
    }
}
