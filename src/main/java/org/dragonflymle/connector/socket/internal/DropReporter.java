package org.dragonflymle.connector.socket.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;

/**
 * Counts events a socket connector drops and says so in the log without logging per event: the
 * first drop is logged at once, later ones summed into at most one line per interval (10 s). The
 * counter is exact at every moment; the log may lag by one interval, and {@link #reportNow()}
 * writes out the rest at close.
 *
 * <p>Thread-safe: receiver threads, connection threads and the task thread may all report.
 */
@Internal
public final class DropReporter {

    public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String what;
    private final Logger log;
    private final Counter counter;
    private final long intervalNanos;
    private final LongSupplier clock;

    private long unreported;
    private long total;
    private String reason;
    private long lastLog;

    /**
     * @param what names the connector in log lines, e.g. {@code ipc:///run/eve.sock input}
     * @param counter the metric, incremented under this object's lock
     */
    public DropReporter(String what, Logger log, Counter counter) {
        this(what, log, counter, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    DropReporter(String what, Logger log, Counter counter, long intervalNanos, LongSupplier clock) {
        this.what = what;
        this.log = log;
        this.counter = counter;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.lastLog = clock.getAsLong() - intervalNanos;
    }

    /** Counts {@code events} dropped events, for {@code why} (a short phrase). */
    public synchronized void dropped(long events, String why) {
        counter.inc(events);
        unreported += events;
        total += events;
        reason = why;
        reportIfDue();
    }

    /** Logs the drops not logged yet if the last line is older than the interval. */
    public synchronized void reportIfDue() {
        if (unreported > 0 && clock.getAsLong() - lastLog >= intervalNanos) {
            reportNow();
        }
    }

    /** Logs the drops not logged yet, now. */
    public synchronized void reportNow() {
        if (unreported == 0) {
            return;
        }
        log.warn(
                "{}: dropped {} events ({}); {} dropped since start",
                what,
                unreported,
                reason,
                total);
        unreported = 0;
        lastLog = clock.getAsLong();
    }

    public synchronized long total() {
        return total;
    }
}
