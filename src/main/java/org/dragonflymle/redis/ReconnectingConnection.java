package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dragonflymle.config.RedisSpec;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * One script's connection to one Redis server, or to the master that Sentinels watch, with
 * lua-hiredis semantics, surviving Redis restarts and failovers ({@link RedisConnection}). With
 * Sentinels every (re)connect asks them where the master is ({@link SentinelEndpoint}): a failover
 * is one outage under the rules below.
 *
 * <p><b>Commands.</b> {@link #command} sends one command and returns its reply; {@link #append}
 * queues one without reading and {@link #nextReply} returns the replies of queued commands in the
 * order they were queued. As in hiredis, {@link #command} while replies are pending returns the
 * oldest pending reply (the command's own reply is queued behind it). Each command is first offered
 * to the {@link CommandInterceptor}; its answer takes the command's place in that order.
 *
 * <p><b>Outages.</b> A dropped connection is re-established transparently: the call reconnects
 * (with AUTH and SELECT again) and sends the command again, pausing between attempts as the {@link
 * ReconnectPolicy} says, and throws {@link RedisUnavailableException} only when the policy's budget
 * is spent. Commands queued by {@link #append} whose replies were not yet read are all sent again
 * on the new connection, in order. Redis side effects are therefore at-least-once: a command that
 * reached Redis just before the connection dropped runs twice. When the budget is spent during
 * {@link #nextReply}, that call and one later {@link #nextReply} per remaining queued command throw
 * the same {@link RedisUnavailableException}, so a script reading N replies gets N answers. A
 * refused handshake (wrong password, no such database) is not retried. A Redis that accepts a
 * connection but still loads its data after a restart (it answers LOADING) counts as down.
 *
 * <p>The socket and the rules for getting it back are {@link RedisLink}'s.
 *
 * <p>Not thread-safe: one script thread uses it. The healthy path allocates nothing beyond the
 * reply and, for {@link #append}, one copy of the argument array.
 */
public final class ReconnectingConnection implements RedisConnection {

    private static final byte[][] NO_ARGS = new byte[0][];

    private final String address;
    private final RedisEndpoint endpoint;
    private final RedisLink link;
    private final CommandInterceptor interceptor;
    private final RedisCommandExecutor direct = this::executeDirect;
    private final ArrayDeque<QueuedCommand> queue = new ArrayDeque<>();

    private boolean closed;

    private ReconnectingConnection(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        this.link = new RedisLink(spec, policy, outages);
        this.endpoint = link.endpoint();
        this.address = link.address();
        this.interceptor = interceptor;
    }

    /**
     * Connects to {@code spec} (password, database and TLS as it says), retrying within the
     * policy's budget.
     *
     * @throws RedisUnavailableException when Redis cannot be reached in time or refuses the
     *     handshake
     */
    public static ReconnectingConnection open(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        ReconnectingConnection c =
                new ReconnectingConnection(
                        Objects.requireNonNull(spec, "spec"),
                        Objects.requireNonNull(policy, "policy"),
                        Objects.requireNonNull(interceptor, "interceptor"),
                        Objects.requireNonNull(outages, "outages"));
        try {
            c.link.connected();
        } finally {
            c.endCall();
        }
        return c;
    }

    /**
     * The clock of the calls this connection serves: stopped while a call waits for Redis to come
     * back, and asked whether to go on first (see {@link CallClock}).
     */
    @Override
    public void useClock(CallClock clock) {
        link.useClock(clock);
    }

    /**
     * Ends a wait for a reply from another thread (the script's watchdog), by closing the socket:
     * the waiting call fails as if the connection had dropped, and its {@link CallClock} ends it.
     * Thread-safe; the only method that is.
     */
    @Override
    public void abortWait() {
        link.abortWait();
    }

    /** host:port, for messages. */
    @Override
    public String address() {
        return address;
    }

    /**
     * Sends one command and returns one reply (see the class comment for pending replies).
     *
     * @param args the command name and its arguments; not kept after the call
     * @throws RedisUnavailableException when Redis stays unreachable for the whole budget
     * @throws IllegalStateException when the connection was closed
     */
    @Override
    public RespReply command(List<byte[]> args) {
        ensureOpen();
        RespReply answer = interceptor.intercept(args, direct);
        if (queue.isEmpty()) {
            return answer != null ? answer : roundTrip(args);
        }
        enqueue(args, answer);
        return nextReply();
    }

    /**
     * Queues one command without reading its reply (it is sent with the next read or when the
     * buffer fills).
     *
     * @param args the command name and its arguments; copied, the caller may reuse the list
     */
    @Override
    public void append(List<byte[]> args) {
        ensureOpen();
        enqueue(args, interceptor.intercept(args, direct));
    }

    /**
     * The reply of the oldest queued command.
     *
     * @throws IllegalStateException when nothing is queued, or the connection was closed
     * @throws RedisUnavailableException when Redis stays unreachable for the whole budget
     */
    @Override
    public RespReply nextReply() {
        ensureOpen();
        QueuedCommand head = queue.peekFirst();
        if (head == null) {
            throw new IllegalStateException("no reply pending on " + address + ": nothing queued");
        }
        if (!head.awaitingRedis()) {
            queue.pollFirst();
            return head.reply();
        }
        try {
            return readFromRedis();
        } finally {
            // On failure the head is answered by this exception; the others keep theirs.
            queue.pollFirst();
        }
    }

    /**
     * With Sentinels: a connection that broke since the last checkpoint finds the master again now,
     * and a switch to another master fails the checkpoint; then WAIT until a replica has this
     * connection's writes. With one server: nothing.
     */
    @Override
    public void checkpoint() {
        ensureOpen();
        if (!endpoint.failsOver()) {
            return;
        }
        if (link.brokenSinceCheckpoint()) {
            try {
                link.connected(); // a failover since shows as another master
            } catch (RedisUnavailableException e) {
                throw new RedisFailoverException(
                        "Redis "
                                + address
                                + ": the master could not be reached at a checkpoint after the"
                                + " connection broke ("
                                + e.getMessage()
                                + "); the stage goes back to its last checkpoint");
            } finally {
                link.endAttempts();
            }
        }
        endpoint.checkNoSwitch();
        link.checkpointed();
        if (endpoint.replicas() != 0 && link.current() != null) {
            try {
                executeDirect(replicaWait());
            } catch (RedisUnavailableException e) {
                // the master went away: the next checkpoint finds out where it is now
            }
            endpoint.checkNoSwitch();
        }
    }

    private static List<byte[]> replicaWait() {
        return List.of(
                "WAIT".getBytes(StandardCharsets.US_ASCII),
                "1".getBytes(StandardCharsets.US_ASCII),
                Long.toString(REPLICA_WAIT.toMillis()).getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends what {@link #append} buffered; after a failure, the next read sends it again. */
    @Override
    public void flush() {
        TypedReplyConnection c = link.current();
        if (c != null && !closed) {
            try {
                c.flushRequests();
            } catch (JedisConnectionException e) {
                dropConnection(); // nextReply reconnects and sends every queued command again
            }
        }
    }

    /** How many queued commands have replies not yet returned by {@link #nextReply}. */
    @Override
    public int pendingReplies() {
        return queue.size();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Closes the socket and forgets queued commands. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        dropConnection();
    }

    @Override
    public String toString() {
        return "ReconnectingConnection[" + address + (closed ? ", closed]" : "]");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("connection to " + address + " is closed");
        }
    }

    private void enqueue(List<byte[]> args, RespReply answer) {
        if (answer != null) {
            queue.addLast(QueuedCommand.answered(answer));
            return;
        }
        queue.addLast(QueuedCommand.forRedis(args.toArray(NO_ARGS)));
        TypedReplyConnection connection = link.current();
        if (connection != null) {
            try {
                connection.write(args);
            } catch (JedisConnectionException e) {
                // Sent again with everything queued once nextReply reconnects.
                dropConnection();
            }
        }
    }

    /** One command with nothing queued: write, flush once, read. */
    private RespReply roundTrip(List<byte[]> args) {
        try {
            while (true) {
                TypedReplyConnection c = link.connected();
                try {
                    c.write(args);
                    c.flushRequests();
                    return checkNotDemoted(c.readReply());
                } catch (JedisConnectionException e) {
                    link.failed(e, false);
                }
            }
        } finally {
            endCall();
        }
    }

    /** Reads the reply of the oldest queued command that Redis has to answer. */
    private RespReply readFromRedis() {
        try {
            while (true) {
                try {
                    TypedReplyConnection c = connectedForQueue();
                    c.flushRequests();
                    return checkNotDemoted(c.readReply());
                } catch (JedisConnectionException e) {
                    link.failed(e, false);
                }
            }
        } catch (RedisUnavailableException e) {
            failQueuedCommands(e);
            throw e;
        } finally {
            endCall();
        }
    }

    /** For the interceptor: reads pending replies first so the socket's order is kept. */
    private RespReply executeDirect(List<byte[]> args) {
        ensureOpen();
        for (QueuedCommand queued : queue) {
            if (queued.awaitingRedis()) {
                queued.answer(readFromRedis());
            }
        }
        return roundTrip(args);
    }

    /**
     * A master demoted by a Sentinel failover answers writes with READONLY and runs nothing: that
     * counts as a dropped connection, so the command goes again to the master found anew.
     */
    private RespReply checkNotDemoted(RespReply reply) {
        if (reply instanceof RespReply.ErrorReply error && endpoint.demoted(error)) {
            throw new JedisConnectionException(
                    "the server answered " + error.message() + " (a failover demoted it)");
        }
        return reply;
    }

    /** The live connection; if there was none, a new one with every queued command sent again. */
    private TypedReplyConnection connectedForQueue() {
        TypedReplyConnection current = link.current();
        if (current != null) {
            return current;
        }
        TypedReplyConnection c = link.connected();
        for (QueuedCommand queued : queue) {
            if (queued.awaitingRedis()) {
                c.write(Arrays.asList(queued.command()));
            }
        }
        return c;
    }

    /** After the budget ran out during a read, every queued command gets the same answer. */
    private void failQueuedCommands(RedisUnavailableException e) {
        for (QueuedCommand queued : queue) {
            if (queued.awaitingRedis()) {
                queued.fail(e);
            }
        }
    }

    private void endCall() {
        link.endCall();
    }

    private void dropConnection() {
        link.drop();
    }
}
