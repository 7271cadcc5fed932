package org.dragonflymle.redis;

import java.time.Duration;
import java.util.Objects;
import org.dragonflymle.config.RedisSpec;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The socket under a {@link ReconnectingConnection} and the rules for getting it back: connects
 * (AUTH, SELECT, and past a server still LOADING) within the current call's {@link RetryBudget},
 * pauses between attempts as the {@link ReconnectPolicy} says, tells the {@link RedisOutageLog},
 * stops the call's {@link CallClock} while it waits, and throws {@link RedisUnavailableException}
 * when the budget is spent. What is sent on the socket, and in which order, is the connection's.
 *
 * <p>Not thread-safe, except {@link #abortWait}.
 */
final class RedisLink {

    private final RedisEndpoint endpoint;
    private final String address;
    private final JedisClientConfig clientConfig;
    private final ReconnectPolicy policy;
    private final RetryBudget retries;
    private final RedisOutageLog outages;

    /** Volatile for {@link #abortWait}, the only other thread that reads it. */
    private volatile TypedReplyConnection connection;

    private CallClock clock = CallClock.NONE;
    private boolean brokenSinceCheckpoint;
    private String lastFailure = "";

    RedisLink(RedisSpec spec, ReconnectPolicy policy, RedisOutageLog outages) {
        this.endpoint = RedisEndpoint.of(spec);
        this.address = endpoint.address();
        this.clientConfig =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(millis(policy.connectTimeout()))
                        .socketTimeoutMillis(millis(policy.socketTimeout()))
                        .user(spec.user())
                        .password(spec.password())
                        .database(spec.database())
                        .ssl(spec.tls())
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                        .build();
        this.policy = policy;
        this.retries = new RetryBudget(policy);
        this.outages = outages;
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    String address() {
        return address;
    }

    void useClock(CallClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Closes the socket from another thread: a wait for a reply fails as a dropped connection. */
    void abortWait() {
        TypedReplyConnection c = connection;
        if (c != null) {
            c.closeSocket();
        }
    }

    /** The socket if there is one, else null (nothing is connected). */
    TypedReplyConnection current() {
        return connection;
    }

    /** Whether the socket broke since {@link #checkpointed()} was last called. */
    boolean brokenSinceCheckpoint() {
        return brokenSinceCheckpoint;
    }

    void checkpointed() {
        brokenSinceCheckpoint = false;
    }

    /** The live connection, connecting (with pauses) within the current call's budget. */
    TypedReplyConnection connected() {
        if (connection != null) {
            return connection;
        }
        while (connection == null) {
            if (!retries.tryAttempt()) {
                throw unavailable(null);
            }
            try {
                connection = endpoint.connect(clientConfig);
                connection.awaitNotLoading();
            } catch (JedisConnectionException e) {
                failed(e, true);
            } catch (JedisDataException e) {
                if (!TypedReplyConnection.isLoading(e)) {
                    throw new RedisUnavailableException(
                            "Redis " + address + " refused the connection: " + e.getMessage(), e);
                }
                failed(e, true);
            }
        }
        // Rare (a connect), so the outage log is told every time: it may know of an outage that
        // another connection, or an earlier failed open, reported.
        retries.connected();
        outages.reachable(address);
        return connection;
    }

    /**
     * Records a failure of this call and pauses before the next attempt, or throws when the budget
     * is spent (see {@link RetryBudget}). Only a failed connect means Redis is unreachable.
     */
    void failed(JedisException e, boolean connectFailed) {
        drop();
        clock.outageWaitBegins();
        brokenSinceCheckpoint = true;
        lastFailure = RedisOutageLog.describe(e);
        if (connectFailed) {
            outages.unreachable(address, lastFailure, policy.budget());
        }
        long pause = retries.afterFailure(connectFailed);
        if (pause == RetryBudget.GIVE_UP) {
            outages.gaveUp(address, policy.budget(), lastFailure);
            throw unavailable(e);
        }
        if (pause > 0) {
            pause(pause);
        }
    }

    private void pause(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException(
                    "interrupted while waiting for Redis " + address + " to come back", e);
        }
    }

    private RedisUnavailableException unavailable(Throwable cause) {
        return new RedisUnavailableException(
                "Redis "
                        + address
                        + " unreachable (retried for "
                        + seconds(policy.budget())
                        + " s): "
                        + lastFailure,
                cause);
    }

    /** Ends the current call: its budget and its clock's outage wait. */
    void endCall() {
        retries.endCall();
        clock.outageWaitEnds();
    }

    /** Ends the budget of the current attempts without touching the clock. */
    void endAttempts() {
        retries.endCall();
    }

    void drop() {
        if (connection != null) {
            connection.closeQuietly();
            connection = null;
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
