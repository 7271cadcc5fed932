package org.dragonflymle.connector.socket.source.reader;

import java.io.IOException;
import org.dragonflymle.connector.socket.SocketOptions.Overflow;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.event.Event;

/**
 * Owns a bound socket and the threads that drain it into the {@link EventBuffer}, independently of
 * the task thread, so that a backpressured job does not stop the socket from being read (unless
 * {@code overflow=block} asks for exactly that).
 */
abstract class Receiver implements AutoCloseable {

    /** How long a blocking receive waits before it looks at the stop flag and the drop log. */
    static final int POLL_MILLIS = 200;

    final SocketUri uri;
    final int maxLineBytes;
    final EventBuffer buffer;
    private DropReporter drops;
    private final String dropReason;
    volatile boolean running = true;
    private volatile Throwable failure;

    Receiver(SocketUri uri, int maxLineBytes, EventBuffer buffer, DropReporter drops) {
        this.uri = uri;
        this.maxLineBytes = maxLineBytes;
        this.buffer = buffer;
        this.drops = drops;
        this.dropReason =
                "input buffer full ("
                        + uri.bufferEvents()
                        + " events or "
                        + uri.bufferBytes()
                        + " bytes): the job does not keep up; see the buffer= and overflow="
                        + " options";
    }

    static Receiver create(
            SocketUri uri,
            int maxLineBytes,
            EventBuffer buffer,
            DropReporter drops,
            DropReporter partialLines) {
        return switch (uri.kind()) {
            case DATAGRAM -> new DatagramReceiver(uri, maxLineBytes, buffer, drops);
            case STREAM -> new StreamReceiver(uri, maxLineBytes, buffer, drops, partialLines);
        };
    }

    /** Binds the socket (mode 0660, replacing a stale file) and starts receiving. */
    abstract void start() throws IOException;

    /** Stops the threads, closes the socket and removes its file; never throws. */
    @Override
    public abstract void close();

    /** Hands one received event to the buffer, by the overflow policy. */
    final void deliver(Event e) throws InterruptedException {
        if (uri.overflow() == Overflow.BLOCK) {
            buffer.put(e);
        } else if (!buffer.offer(e)) {
            dropOne();
        }
    }

    /** The rare path: a lock, so that {@link #reportTo} loses no count. */
    private synchronized void dropOne() {
        drops.dropped(1, dropReason);
    }

    final synchronized void reportDropsIfDue() {
        drops.reportIfDue();
    }

    /**
     * Counts later drops in {@code now} (the reader of the job that took this receiver over, see
     * {@link SocketHandover}); returns the reporter counted in until now.
     */
    final synchronized DropReporter reportTo(DropReporter now) {
        DropReporter before = drops;
        drops = now;
        return before;
    }

    /** Records an error of a receiving thread; the task fails on its next poll. */
    final void fail(Throwable t) {
        if (running && failure == null) {
            failure = t;
            buffer.wakeUp();
        }
    }

    final Throwable failure() {
        return failure;
    }
}
