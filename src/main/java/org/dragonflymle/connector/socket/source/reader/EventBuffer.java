package org.dragonflymle.connector.socket.source.reader;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.dragonflymle.event.Event;

/**
 * The bounded hand-over between a socket's receiver threads and the task thread: at most {@code
 * maxEvents} events and {@code maxBytes} bytes of them (one event always fits into an empty
 * buffer). Receivers either {@link #offer} (never waits; false when full) or {@link #put} (waits
 * for room); the task thread drains in batches and waits on {@link #availability()}.
 */
final class EventBuffer {

    private static final CompletableFuture<Void> AVAILABLE =
            CompletableFuture.completedFuture(null);

    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private long bytes;
    private boolean closed;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    EventBuffer(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Adds {@code e} if there is room; never waits. */
    boolean offer(Event e) {
        CompletableFuture<Void> toComplete;
        lock.lock();
        try {
            if (closed || !hasRoomFor(e)) {
                return false;
            }
            toComplete = add(e);
        } finally {
            lock.unlock();
        }
        if (toComplete != null) {
            toComplete.complete(null);
        }
        return true;
    }

    /** Adds {@code e}, waiting for room; returns false without adding when the buffer is closed. */
    boolean put(Event e) throws InterruptedException {
        CompletableFuture<Void> toComplete;
        lock.lockInterruptibly();
        try {
            while (!closed && !hasRoomFor(e)) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            toComplete = add(e);
        } finally {
            lock.unlock();
        }
        if (toComplete != null) {
            toComplete.complete(null);
        }
        return true;
    }

    private boolean hasRoomFor(Event e) {
        return queue.isEmpty()
                || (queue.size() < maxEvents && bytes + e.bytes().length <= maxBytes);
    }

    private CompletableFuture<Void> add(Event e) {
        queue.addLast(e);
        bytes += e.bytes().length;
        return available.isDone() ? null : available;
    }

    /** Moves up to {@code out.length} events into {@code out}; returns how many. */
    int drainTo(Event[] out) {
        lock.lock();
        try {
            int n = 0;
            while (n < out.length && !queue.isEmpty()) {
                Event e = queue.pollFirst();
                bytes -= e.bytes().length;
                out[n++] = e;
            }
            if (n > 0) {
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Completes when there are events to drain (or someone called {@link #wakeUp()}). */
    CompletableFuture<Void> availability() {
        lock.lock();
        try {
            if (!queue.isEmpty() || closed) {
                return AVAILABLE;
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** Completes the pending availability future, so the task thread polls (e.g. for a failure). */
    void wakeUp() {
        CompletableFuture<Void> f;
        lock.lock();
        try {
            f = available;
        } finally {
            lock.unlock();
        }
        f.complete(null);
    }

    /** Releases waiting receivers; later offers and puts are refused. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        wakeUp();
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }
}
