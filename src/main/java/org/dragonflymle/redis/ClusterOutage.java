package org.dragonflymle.redis;

import java.util.Objects;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * How long one call of a {@link ClusterConnection} rides out failures: the {@link
 * ReconnectPolicy}'s budget per call ({@link RetryBudget}), the pauses between attempts, the one
 * outage of the cluster logged however many nodes fail, and the exception the script gets when the
 * budget is spent. Not thread-safe: the script thread uses it.
 */
final class ClusterOutage {

    private final String address;
    private final ReconnectPolicy policy;
    private final RetryBudget retries;
    private final RedisOutageLog outages;
    private CallClock clock = CallClock.NONE;
    private boolean failedInCall;
    private String lastFailure = "";

    ClusterOutage(String address, ReconnectPolicy policy, RedisOutageLog outages) {
        this.address = address;
        this.policy = policy;
        this.retries = new RetryBudget(policy);
        this.outages = outages;
    }

    void useClock(CallClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Before a connection attempt: fails at once when the budget was spent (tries now and then).
     */
    void attempt() {
        if (!retries.tryAttempt()) {
            throw unavailable(null);
        }
    }

    /** A connection attempt succeeded. */
    void connected() {
        retries.connected();
    }

    /**
     * After {@code f} (whose node the connection has dropped): logs an unreachable cluster once,
     * then pauses as the budget says.
     *
     * @throws RedisUnavailableException when the budget is spent, or the thread is interrupted
     */
    void afterFailure(ClusterNodeFailure f) {
        clock.outageWaitBegins();
        failedInCall = true;
        lastFailure = f.getMessage();
        if (f.connectFailed) {
            outages.unreachable(address, lastFailure, policy.budget());
        }
        long pause = retries.afterFailure(f.connectFailed);
        if (pause == RetryBudget.GIVE_UP) {
            outages.gaveUp(address, policy.budget(), lastFailure);
            throw unavailable(f);
        }
        if (pause > 0) {
            try {
                Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisUnavailableException(
                        "interrupted while waiting for Redis " + address + " to come back", e);
            }
        }
    }

    /** A call succeeded: if it failed on the way, the outage is over. */
    void succeeded() {
        if (failedInCall) {
            outages.reachable(address);
        }
    }

    /** Ends one call: the next starts with the whole budget. */
    void endCall() {
        retries.endCall();
        failedInCall = false;
        clock.outageWaitEnds();
    }

    RedisUnavailableException unavailable(Throwable cause) {
        return new RedisUnavailableException(
                "Redis "
                        + address
                        + " unreachable (retried for "
                        + RedisOutageLog.seconds(policy.budget())
                        + " s): "
                        + lastFailure,
                cause);
    }

    RedisUnavailableException refused(JedisDataException e) {
        return new RedisUnavailableException(
                "Redis " + address + " refused the connection: " + e.getMessage(), e);
    }
}
