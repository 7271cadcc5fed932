package org.dragonflymle.config;

import java.io.Serializable;

/**
 * Where scripts' {@code hiredis.connect()} goes when called without arguments.
 *
 * @param host {@code redis_host}, default 127.0.0.1
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

    /** host:port, safe to print (no password). */
    public String address() {
        return host + ":" + port;
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
