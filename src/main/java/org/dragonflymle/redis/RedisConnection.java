package org.dragonflymle.redis;

import java.util.List;
import java.util.Objects;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;

/**
 * One script's connection to Redis with lua-hiredis semantics, whatever the deployment: one server
 * or a Sentinel-watched master ({@link ReconnectingConnection}), or a Redis Cluster ({@link
 * ClusterConnection}). Scripts cannot tell them apart except by what the deployment itself answers
 * (a Cluster's {@code CROSSSLOT}, for instance).
 *
 * <p><b>Commands.</b> {@link #command} sends one command and returns its reply; {@link #append}
 * queues one without reading and {@link #nextReply} returns the replies of queued commands in the
 * order they were queued. As in hiredis, {@link #command} while replies are pending returns the
 * oldest pending reply (the command's own reply is queued behind it). Each command is first offered
 * to the {@link CommandInterceptor}; its answer takes the command's place in that order.
 *
 * <p><b>Outages.</b> A dropped connection is re-established transparently and the commands whose
 * replies were not read are sent again (Redis side effects are at-least-once); only when the {@link
 * ReconnectPolicy}'s budget is spent does a call throw {@link RedisUnavailableException}.
 *
 * <p>Not thread-safe: one script thread uses it.
 */
public interface RedisConnection extends AutoCloseable {

    /**
     * Connects as {@code spec} says (one server, Sentinel or Cluster; password, user, database and
     * TLS), retrying within the policy's budget.
     *
     * @throws RedisUnavailableException when Redis cannot be reached in time or refuses the
     *     handshake
     */
    static RedisConnection open(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        Objects.requireNonNull(spec, "spec");
        if (spec.topology() instanceof RedisTopology.Cluster) {
            return ClusterConnection.open(spec, policy, interceptor, outages);
        }
        return ReconnectingConnection.open(spec, policy, interceptor, outages);
    }

    /** Where it goes, for messages: host:port, a socket path, or the deployment's nodes. */
    String address();

    /**
     * Sends one command and returns one reply (see the class comment for pending replies).
     *
     * @param args the command name and its arguments; not kept after the call
     * @throws RedisUnavailableException when Redis stays unreachable for the whole budget
     * @throws IllegalStateException when the connection was closed
     */
    RespReply command(List<byte[]> args);

    /**
     * Queues one command without reading its reply.
     *
     * @param args the command name and its arguments; copied, the caller may reuse the list
     */
    void append(List<byte[]> args);

    /**
     * The reply of the oldest queued command.
     *
     * @throws IllegalStateException when nothing is queued, or the connection was closed
     * @throws RedisUnavailableException when Redis stays unreachable for the whole budget
     */
    RespReply nextReply();

    /** How many queued commands have replies not yet returned by {@link #nextReply}. */
    int pendingReplies();

    /**
     * Sends what {@link #append} queued without waiting for a reply (else it goes with the next
     * {@link #nextReply}). Never throws: a failure shows at the next {@link #nextReply}.
     */
    default void flush() {}

    boolean isClosed();

    /**
     * The clock of the script calls this connection serves: stopped while a call waits for Redis to
     * come back, and asked whether to go on first (see {@link CallClock}).
     */
    void useClock(CallClock clock);

    /**
     * Ends a wait for a reply from another thread (the script's watchdog), by closing the socket it
     * waits on: the waiting call fails as if the connection had dropped, and its {@link CallClock}
     * ends it. Thread-safe; the only method that is.
     */
    void abortWait();

    /** Closes every socket and forgets queued commands. Idempotent. */
    @Override
    void close();

    /**
     * Called when the stage checkpoints, between events: makes the writes of this connection so far
     * safe against a failover as far as Redis allows, by waiting ({@code WAIT 1}, at most {@link
     * #REPLICA_WAIT}) until a replica of each master has them; and reports a failover since the
     * last call that may have lost acknowledged writes, so that the stage replays the events since
     * its last checkpoint. One server has no failover: nothing to do.
     *
     * @throws RedisFailoverException when a master this connection wrote to since the last call was
     *     replaced by a replica, or is unreachable and has replicas that may take over
     */
    default void checkpoint() {}

    /** How long {@link #checkpoint()} waits for a replica to confirm a master's writes. */
    java.time.Duration REPLICA_WAIT = java.time.Duration.ofSeconds(1);
}
