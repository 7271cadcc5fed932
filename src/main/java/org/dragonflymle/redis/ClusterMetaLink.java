package org.dragonflymle.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A {@link ClusterConnection}'s own socket for what it asks the cluster about itself ({@code
 * CLUSTER SLOTS}, {@code COMMAND INFO}, {@code COMMAND GETKEYS}), apart from the sockets that carry
 * the script's commands: a question never lands inside a script's pipeline or MULTI. It talks to
 * any node that answers, trying the known ones in turn. Not thread-safe.
 */
final class ClusterMetaLink {

    private final JedisClientConfig config;
    private TypedReplyConnection connection;
    private HostAndPort connectedTo;

    ClusterMetaLink(JedisClientConfig config) {
        this.config = config;
    }

    /** The node the last answer came from. */
    HostAndPort answeredBy() {
        return connectedTo;
    }

    /**
     * Runs one command on the node it is connected to, else on the first of {@code candidates} that
     * answers.
     *
     * @throws JedisConnectionException naming every node tried when none answers
     * @throws JedisDataException when a node refuses the handshake (wrong password)
     */
    RespReply execute(List<byte[]> command, List<HostAndPort> candidates) {
        List<String> failures = new ArrayList<>();
        if (connection != null) {
            try {
                return roundTrip(command);
            } catch (JedisConnectionException e) {
                failures.add(connectedTo + ": " + RedisOutageLog.describe(e));
                close();
            }
        }
        Set<HostAndPort> tried = new LinkedHashSet<>(candidates);
        for (HostAndPort node : tried) {
            try {
                connection = TypedReplyConnection.open(node, config);
                connectedTo = node;
                return roundTrip(command);
            } catch (JedisConnectionException e) {
                failures.add(node + ": " + RedisOutageLog.describe(e));
                close();
            }
        }
        throw new JedisConnectionException(
                "no node of the cluster answered (" + String.join("; ", failures) + ")");
    }

    private RespReply roundTrip(List<byte[]> command) {
        connection.write(command);
        connection.flushRequests();
        RespReply reply = connection.readReply();
        if (reply instanceof RespReply.ErrorReply e && e.message().startsWith("LOADING")) {
            throw new JedisConnectionException(connectedTo + " is loading its data");
        }
        return reply;
    }

    void close() {
        if (connection != null) {
            connection.closeQuietly();
            connection = null;
            connectedTo = null;
        }
    }
}
