package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One master of a Redis Cluster as a {@link ClusterConnection} talks to it: one socket, and the
 * commands sent on it whose replies are not read yet, in the order Redis will answer them. Any
 * reply can thus be read at any time: the replies before it are read first and kept by their
 * commands. A failure of the socket while sending or reading is a {@link ClusterNodeFailure} naming
 * this node; one while connecting is Jedis's exception. Not thread-safe.
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

    /**
     * Opens the socket (AUTH and a LOADING check included) if it is not open.
     *
     * @throws ClusterNodeFailure when the node cannot be reached or is loading its data
     * @throws JedisDataException when it refuses the handshake (wrong password)
     */
    void connect(JedisClientConfig config) {
        if (connection != null) {
            return;
        }
        try {
            TypedReplyConnection c = TypedReplyConnection.open(address, config);
            try {
                c.awaitNotLoading();
            } catch (RuntimeException e) {
                c.closeQuietly();
                throw e;
            }
            connection = c;
        } catch (JedisConnectionException e) {
            throw new ClusterNodeFailure(this, this + ": " + RedisOutageLog.describe(e), true);
        } catch (JedisDataException e) {
            if (TypedReplyConnection.isLoading(e)) {
                throw new ClusterNodeFailure(this, this + " is loading its data", true);
            }
            throw e;
        }
    }

    /**
     * Writes {@code command} (after ASKING if it was redirected by ASK); sent with {@link #flush}.
     */
    void send(ClusterCommand command, boolean absorb) {
        try {
            if (command.askTo == this) {
                connection.write(ASKING);
                inFlight.add(new Sent(ASKING_SENT, 0, true));
                command.askTo = null;
            }
            connection.write(Arrays.asList(command.args));
        } catch (JedisConnectionException e) {
            throw failure("writing to", e);
        }
        inFlight.add(new Sent(command, ++command.generation, absorb));
        wrote = true;
        command.sentTo = this;
        unflushed = true;
    }

    void flush() {
        try {
            flushWritten();
        } catch (JedisConnectionException e) {
            throw failure("writing to", e);
        }
    }

    private void flushWritten() {
        if (unflushed) {
            connection.flushRequests();
            unflushed = false;
        }
    }

    private ClusterNodeFailure failure(String doing, JedisConnectionException e) {
        return new ClusterNodeFailure(
                this, doing + " " + this + ": " + RedisOutageLog.describe(e), false);
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
        RespReply reply;
        try {
            flushWritten();
            reply = connection.readReply();
        } catch (JedisConnectionException e) {
            throw failure("reading from", e);
        }
        inFlight.pollFirst();
        return reply;
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
