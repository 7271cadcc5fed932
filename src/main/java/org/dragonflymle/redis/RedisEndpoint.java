package org.dragonflymle.redis;

import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where a {@link ReconnectingConnection} connects, at start and after every dropped connection: one
 * fixed server ({@link ServerEndpoint}), or whichever server the Sentinels name as the master at
 * that moment ({@link SentinelEndpoint}).
 */
interface RedisEndpoint {

    /** The endpoint of a one-server or Sentinel {@code spec}. */
    static RedisEndpoint of(RedisSpec spec) {
        if (spec.topology() instanceof RedisTopology.Sentinel sentinel) {
            return new SentinelEndpoint(sentinel, spec.tls());
        }
        if (spec.topology() instanceof RedisTopology.Cluster) {
            throw new IllegalArgumentException(
                    "a Cluster has no one endpoint; use ClusterConnection: " + spec);
        }
        return new ServerEndpoint(spec);
    }

    /** For messages and the outage log: never a password. */
    String address();

    /**
     * Opens and authenticates a connection to the server this endpoint stands for now.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when no server can be reached
     *     (the caller retries within its budget)
     * @throws redis.clients.jedis.exceptions.JedisDataException when the server refuses the
     *     handshake
     */
    TypedReplyConnection connect(JedisClientConfig config);

    /**
     * Whether {@code error} says the server is no longer the master (a failover demoted it while
     * this connection stayed open): Redis did not run the command, and the connection should be
     * dropped and the command sent again to the master found anew. Never for one fixed server,
     * whose errors go to the script as they are.
     */
    default boolean demoted(RespReply.ErrorReply error) {
        return false;
    }

    /**
     * Whether a failover can replace the server (so checkpoints must wait for replicas and look for
     * a switch); false for one fixed server.
     */
    default boolean failsOver() {
        return false;
    }

    /** How many replicas the master had at the last connect; -1 when unknown. */
    default int replicas() {
        return 0;
    }

    /**
     * Throws if a connect since the last call found another master than before, and forgets it.
     *
     * @throws RedisFailoverException naming the old and the new master
     */
    default void checkNoSwitch() {}
}
