package org.dragonflymle.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where scripts' {@code hiredis.connect()} goes when called without arguments.
 *
 * <p>A {@code host} starting with {@code /} is the path of Redis's Unix socket ({@code unixsocket}
 * in redis.conf), as in hiredis and {@code redis-cli -s}; {@code port} is then unused. On one
 * machine a Unix socket answers faster than loopback TCP. For a Cluster or Sentinel {@link
 * #topology()}, host and port are unused: the servers are found through the topology's nodes, and
 * the credentials and TLS apply to every server of the deployment.
 *
 * @param host {@code redis_host}, default 127.0.0.1, or a Unix socket path
 * @param port {@code redis_port}, default 6379
 * @param password {@code redis_password}, or {@code null}; never logged
 * @param database {@code redis_db}, default 0 (always 0 in a Cluster)
 * @param tls {@code redis_tls}, or a {@code rediss://} {@code redis_url}
 * @param user {@code redis_user}, the ACL user, or {@code null} for {@code default}
 * @param topology one server, a Cluster or a Sentinel-watched master
 */
public record RedisSpec(
        String host,
        int port,
        String password,
        int database,
        boolean tls,
        String user,
        RedisTopology topology)
        implements Serializable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6379;

    public RedisSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(topology, "topology");
    }

    /** One server, user {@code default}. */
    public RedisSpec(String host, int port, String password, int database, boolean tls) {
        this(host, port, password, database, tls, null, RedisTopology.STANDALONE);
    }

    public static RedisSpec defaults() {
        return new RedisSpec(DEFAULT_HOST, DEFAULT_PORT, null, 0, false);
    }

    public RedisSpec withPort(int newPort) {
        return new RedisSpec(host, newPort, password, database, tls, user, topology);
    }

    /** A spec for the same server and credentials reached through its Unix socket. */
    public RedisSpec withUnixSocket(String path) {
        return new RedisSpec(path, port, password, database, tls, user, topology);
    }

    /** One server at {@code newHost}:{@code newPort}, with these credentials, database and TLS. */
    public RedisSpec withServer(String newHost, int newPort) {
        return new RedisSpec(
                newHost, newPort, password, database, tls, user, RedisTopology.STANDALONE);
    }

    /** Whether this is one server at host:port (not a Cluster or Sentinel deployment). */
    public boolean isStandalone() {
        return topology instanceof RedisTopology.Standalone;
    }

    /** Whether {@code host} is a Unix socket path (only for a standalone server). */
    public boolean isUnixSocket() {
        return isStandalone() && host.startsWith("/");
    }

    /** host:port, the socket path, or the topology's nodes; safe to print (no password). */
    public String address() {
        if (!isStandalone()) {
            return topology.describe();
        }
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
                + (user == null ? "" : ", user=" + user)
                + (password == null ? "" : ", password=***")
                + "]";
    }
}
