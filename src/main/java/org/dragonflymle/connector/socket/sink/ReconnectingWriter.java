package org.dragonflymle.connector.socket.sink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both socket writers share: connecting, noticing that the listener went away, and
 * reconnecting with a bounded back-off while the events in between are dropped and counted.
 *
 * <p>No thread of its own: a reconnect is attempted by the next {@link #write} once the back-off
 * has passed (0.1 s, doubling up to 10 s), so a missing listener costs the job nothing but the
 * dropped events. One line is logged when a listener is lost and one when it is back.
 */
abstract class ReconnectingWriter implements SinkWriter<Event> {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingWriter.class);

    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);

    final SocketUri uri;
    private final WriterMetrics metrics;
    private final DropReporter drops;
    private final LongSupplier clock;
    private boolean connected;
    private boolean inOutage;
    private long droppedInOutage;
    private long backoff = MIN_BACKOFF_NANOS;
    private long nextAttempt;

    ReconnectingWriter(SocketUri uri, WriterMetrics metrics, LongSupplier clock) {
        this.uri = uri;
        this.metrics = metrics;
        this.clock = clock;
        this.drops = new DropReporter(uri + " output", LOG, metrics.dropped());
        this.nextAttempt = clock.getAsLong();
    }

    /** Connects to the listener. */
    abstract void open() throws IOException;

    /** Sends one event; waits while the listener is not reading (backpressure). */
    abstract void send(byte[] event) throws IOException, InterruptedException;

    /** Closes the connection, if any; never throws. */
    abstract void disconnect();

    @Override
    public final void write(Event event, Context context) throws IOException, InterruptedException {
        byte[] bytes = event.bytes();
        if (!connected && (clock.getAsLong() - nextAttempt < 0 || !connect(null))) {
            drop();
            return;
        }
        try {
            send(bytes);
        } catch (IOException first) {
            checkInterrupted(first);
            disconnect();
            connected = false;
            if (!connect(first)) {
                drop();
                return;
            }
            try {
                send(bytes); // on a fresh connection: a broken one is not lost data yet
            } catch (IOException second) {
                checkInterrupted(second);
                // the listener is there but refuses this event (e.g. longer than a datagram
                // may be): drop it alone, keep the connection
                drops.dropped(1, "the socket refused this event: " + second.getMessage());
                return;
            }
        }
        metrics.sent().inc();
        metrics.bytesSent().inc(bytes.length + 1L);
    }

    private boolean connect(IOException cause) {
        try {
            open();
        } catch (IOException e) {
            disconnect();
            long now = clock.getAsLong();
            nextAttempt = now + backoff;
            backoff = Math.min(2 * backoff, MAX_BACKOFF_NANOS);
            if (!inOutage) {
                inOutage = true;
                LOG.warn(
                        "{} output: cannot deliver ({}); dropping events until the listener is"
                                + " back, retrying with back-off up to {} s",
                        uri,
                        (cause != null ? cause : e).getMessage(),
                        TimeUnit.NANOSECONDS.toSeconds(MAX_BACKOFF_NANOS));
            }
            return false;
        }
        connected = true;
        backoff = MIN_BACKOFF_NANOS;
        if (inOutage) {
            inOutage = false;
            drops.reportNow();
            LOG.info(
                    "{} output: connected again; {} events were dropped meanwhile",
                    uri,
                    droppedInOutage);
            droppedInOutage = 0;
        }
        return true;
    }

    private void drop() {
        droppedInOutage++;
        drops.dropped(1, "no listener on the socket");
    }

    private static void checkInterrupted(IOException e) throws InterruptedException {
        if (e instanceof ClosedByInterruptException
                || e instanceof InterruptedIOException
                || Thread.currentThread().isInterrupted()) {
            InterruptedException ie = new InterruptedException("interrupted while sending");
            ie.initCause(e);
            throw ie;
        }
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() {
        disconnect();
        connected = false;
        drops.reportNow();
    }

    /** Whether the writer currently has a connection (for tests). */
    boolean isConnected() {
        return connected;
    }
}
