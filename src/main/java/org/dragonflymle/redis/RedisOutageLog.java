package org.dragonflymle.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the failures of Redis calls into one WARN line when an outage starts, one if the retry
 * budget runs out, and one when Redis answers again; never a line per command, however many
 * commands and connections meet the same outage. Outages are tracked per address.
 *
 * <p>Share one instance among the connections whose outages should be reported together (the
 * engine's {@code hiredis} modules share one per JVM, so every script instance of a TaskManager
 * reports an outage as one). Thread-safe; only called on failure and recovery, never on the healthy
 * path.
 */
public final class RedisOutageLog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisOutageLog.class);

    private final Map<String, Outage> outages = new HashMap<>();

    /** A connect attempt to {@code address} failed; logs if no outage was known. */
    public synchronized void unreachable(String address, String cause, Duration budget) {
        if (!outages.containsKey(address)) {
            outages.put(address, new Outage(System.nanoTime()));
            LOG.warn(
                    "Redis {} is unreachable ({}); Redis calls wait and retry for up to {} s each",
                    address,
                    cause,
                    seconds(budget));
        }
    }

    /** A call spent its whole budget; logs once per outage. */
    public synchronized void gaveUp(String address, Duration budget, String cause) {
        Outage outage = outages.computeIfAbsent(address, a -> new Outage(System.nanoTime()));
        if (!outage.gaveUp) {
            outage.gaveUp = true;
            LOG.warn(
                    "Redis {} still unreachable after {} s ({}); calls now return nil, message"
                            + " until it answers again",
                    address,
                    seconds(budget),
                    cause);
        }
    }

    /** A connection to {@code address} succeeded after failures; logs the end of an outage. */
    public synchronized void reachable(String address) {
        Outage outage = outages.remove(address);
        if (outage != null) {
            long millis = (System.nanoTime() - outage.sinceNanos) / 1_000_000;
            LOG.warn(
                    "Redis {} answers again after {} s; Redis calls resumed",
                    address,
                    seconds(Duration.ofMillis(millis)));
        }
    }

    /** Whether an outage of {@code address} is in progress. */
    public synchronized boolean isDown(String address) {
        return outages.containsKey(address);
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static final class Outage {
        final long sinceNanos;
        boolean gaveUp;

        Outage(long sinceNanos) {
            this.sinceNanos = sinceNanos;
        }
    }

    /** The exception's message and its root cause's, e.g. "Failed to connect (refused)". */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e && e.getSuppressed().length > 0) {
            // Jedis keeps the reason of a failed connect as a suppressed exception.
            root = e.getSuppressed()[0];
        }
        return root == e ? messageOf(e) : messageOf(e) + " (" + messageOf(root) + ")";
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
