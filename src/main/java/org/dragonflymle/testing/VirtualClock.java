package org.dragonflymle.testing;

import java.util.PriorityQueue;

/**
 * The test's time: it stands still while events are processed and moves only when the test says
 * ({@code tick(seconds)}, {@code advance}). {@code timer_event}s are kept here and come due in time
 * order (registration order among equals), exactly once.
 */
final class VirtualClock {

    /**
     * A pending {@code timer_event}: {@code json} goes to analyzer {@code tag} at {@code due}; set
     * by stage {@code from} while handling key {@code key} (null for a stage without key=).
     */
    record Timer(
            long due, long seq, String tag, byte[] json, String origin, String from, String key) {}

    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(
                    (a, b) ->
                            a.due != b.due
                                    ? Long.compare(a.due, b.due)
                                    : Long.compare(a.seq, b.seq));
    private long nowMillis;
    private long seq;

    long nowMillis() {
        return nowMillis;
    }

    void schedule(
            long delayMillis, String tag, byte[] json, String origin, String from, String key) {
        timers.add(new Timer(nowMillis + delayMillis, seq++, tag, json, origin, from, key));
    }

    /** The next timer due at or before {@code until}, removed, with the clock set to its time. */
    Timer nextDue(long until) {
        Timer t = timers.peek();
        if (t == null || t.due > until) {
            return null;
        }
        timers.poll();
        nowMillis = Math.max(nowMillis, t.due);
        return t;
    }

    void moveTo(long millis) {
        nowMillis = Math.max(nowMillis, millis);
    }

    int pending() {
        return timers.size();
    }
}
