package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * One master of a Redis Cluster as a {@link ClusterConnection} talks to it: one socket, and the
 * commands sent on it whose replies are not read yet, in the order Redis will answer them. Any
 * reply can thus be read at any time: the replies before it are read first and kept by their
 * commands. Every failure of the socket is a {@link JedisConnectionException}. Not thread-safe.
 */
final class ClusterNode {

    /** One sending of a command; {@code absorb}: the reply is read and thrown away. */
    record Sent(ClusterCommand command, int generation, boolean absorb) {
        /** Whether the reply still matters to the command. */
        boolean current() {
            return !absorb && generation == command.generation && !command.done();
        }
    }

    private static final List<byte[]> ASKING = List.of(CommandWords.of("ASKING"));
    private static final ClusterCommand ASKING_SENT =
            new ClusterCommand(
                    null, 0, ClusterCommand.KEYLESS, ClusterCommand.Kind.DROPPABLE, null);

    final HostAndPort address;
    private final String name;
    private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();

    /** Volatile for {@link #closeSocket}, the only method another thread calls. */
    private volatile TypedReplyConnection connection;

    private boolean unflushed;

    ClusterNode(HostAndPort address) {
        this.address = address;
        this.name = address.toString();
    }

    /** The transaction whose MULTI was sent on this socket and whose EXEC was not, or null. */
    ClusterTransaction openTx;

    /** How many replicas the slot map lists for it; -1 before a slot map named it a master. */
    int replicas = -1;

    /** Whether a command was sent to it since the last checkpoint. */
    boolean wrote;

    /** Wakes a read blocked in another thread; the reader sees a dropped connection. */
    void closeSocket() {
        TypedReplyConnection c = connection;
        if (c != null) {
            c.closeSocket();
        }
    }

    boolean isConnected() {
        return connection != null;
    }

    /** Opens the socket (AUTH and a LOADING check included) if it is not open. */
    void connect(JedisClientConfig config) {
        if (connection == null) {
            TypedReplyConnection c = TypedReplyConnection.open(address, config);
            try {
                c.awaitNotLoading();
            } catch (RuntimeException e) {
                c.closeQuietly();
                throw e;
            }
            connection = c;
        }
    }

    /**
     * Writes {@code command} (after ASKING if it was redirected by ASK); sent with {@link #flush}.
     */
    void send(ClusterCommand command, boolean absorb) {
        if (command.askTo == this) {
            connection.write(ASKING);
            inFlight.add(new Sent(ASKING_SENT, 0, true));
            command.askTo = null;
        }
        connection.write(Arrays.asList(command.args));
        inFlight.add(new Sent(command, ++command.generation, absorb));
        wrote = true;
        command.sentTo = this;
        unflushed = true;
    }

    void flush() {
        if (unflushed) {
            connection.flushRequests();
            unflushed = false;
        }
    }

    boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    /** The sending the next reply answers; null when none is in flight. */
    Sent head() {
        return inFlight.peekFirst();
    }

    /** Reads the reply to {@link #head()} and removes it from the in-flight list. */
    RespReply readHead() {
        flush();
        RespReply reply = connection.readReply();
        inFlight.pollFirst();
        return reply;
    }

    /** For a node answering nothing else: one command and its reply, e.g. CLUSTER SLOTS. */
    RespReply roundTrip(List<byte[]> command) {
        connection.write(command);
        connection.flushRequests();
        return connection.readReply();
    }

    /**
     * Closes the socket; returns the sendings whose replies will now never come, in order, for the
     * caller to send again.
     */
    List<Sent> drop() {
        List<Sent> lost = new ArrayList<>(inFlight);
        inFlight.clear();
        unflushed = false;
        openTx = null;
        if (connection != null) {
            connection.closeQuietly();
            connection = null;
        }
        return lost;
    }

    @Override
    public String toString() {
        return name;
    }
}
