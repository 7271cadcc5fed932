package org.dragonflymle.redis;

/**
 * The clock of the script call a {@link ReconnectingConnection} works for. Waiting for an
 * unreachable Redis to come back is not the script's running time (it has the {@link
 * ReconnectPolicy} budget as its bound, and counted, every event of an outage would fail), so the
 * connection stops the clock for it; the clock may instead end the call there, when the call is
 * already past its own budget (an {@link Error} thrown through the connection, which is then
 * closed).
 */
public interface CallClock {

    CallClock NONE =
            new CallClock() {
                @Override
                public void outageWaitBegins() {}

                @Override
                public void outageWaitEnds() {}
            };

    /** A call met a failure and starts reconnecting; may throw to end the call instead. */
    void outageWaitBegins();

    /** The call is over, or Redis answered again. Cheap when no wait began. */
    void outageWaitEnds();
}
