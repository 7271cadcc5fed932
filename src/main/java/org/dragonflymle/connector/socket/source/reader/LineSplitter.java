package org.dragonflymle.connector.socket.source.reader;

import java.util.Arrays;
import org.dragonflymle.connector.file.LineReader;
import org.dragonflymle.event.Event;

/**
 * Cuts the bytes a socket delivers into line events, fed chunk by chunk as they arrive (a {@link
 * LineReader} pulls from a stream instead, which a datagram socket is not). The events are the same
 * as the file inputs': the bytes without the terminator, a trailing CR dropped, blank lines
 * skipped, and a line longer than the bound an OVERSIZED event with its head and real length, the
 * rest counted and never kept.
 *
 * <p>One instance per connection (stream) or per receiver (datagram); not thread-safe.
 */
final class LineSplitter {

    /** Where the events go; may wait (overflow=block). */
    @FunctionalInterface
    interface EventSink {
        void accept(Event e) throws InterruptedException;
    }

    private final int maxLineBytes;
    private byte[] pending = new byte[8192];
    private int pendingLength;
    private byte[] oversizedHead; // non-null while the current line is over the bound
    private long oversizedLength;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Emits every line that ends in {@code b[off, off+len)} and keeps the unfinished rest. */
    void feed(byte[] b, int off, int len, EventSink out) throws InterruptedException {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                if (pendingLength == 0 && oversizedHead == null) {
                    emit(b, start, i, out);
                } else {
                    append(b, start, i);
                    emitPending(out);
                }
                start = i + 1;
            }
        }
        if (start < end) {
            append(b, start, end);
        }
    }

    /** Ends the current line at a record boundary (the end of a datagram) and emits it. */
    void endOfRecord(EventSink out) throws InterruptedException {
        if (pendingLength > 0 || oversizedHead != null) {
            emitPending(out);
        }
    }

    /**
     * Drops the unfinished line (its writer disconnected before the newline); returns its length in
     * bytes, 0 when there was none.
     */
    long discardPartial() {
        long dropped = oversizedHead != null ? oversizedLength : pendingLength;
        reset();
        return dropped;
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (oversizedHead != null) {
            oversizedLength += n;
            return;
        }
        if ((long) pendingLength + n > maxLineBytes + 1L) { // +1: a CR that will be dropped
            int keep = LineReader.OVERSIZED_HEAD_BYTES;
            byte[] head = Arrays.copyOf(pending, Math.min(keep, pendingLength));
            if (head.length < keep) {
                int more = Math.min(keep - head.length, n);
                head = Arrays.copyOf(head, head.length + more);
                System.arraycopy(b, from, head, head.length - more, more);
            }
            oversizedHead = head;
            oversizedLength = (long) pendingLength + n;
            pendingLength = 0;
            return;
        }
        if (pendingLength + n > pending.length) {
            pending =
                    Arrays.copyOf(
                            pending,
                            (int)
                                    Math.min(
                                            maxLineBytes + 1L,
                                            Math.max(2L * pending.length, pendingLength + n)));
        }
        System.arraycopy(b, from, pending, pendingLength, n);
        pendingLength += n;
    }

    private void emitPending(EventSink out) throws InterruptedException {
        if (oversizedHead != null) {
            Event e =
                    Event.oversized(
                            oversizedHead, (int) Math.min(Integer.MAX_VALUE, oversizedLength));
            reset();
            out.accept(e);
        } else {
            try {
                emit(pending, 0, pendingLength, out); // copies before it hands the event on
            } finally {
                reset();
            }
        }
    }

    private void emit(byte[] b, int from, int to, EventSink out) throws InterruptedException {
        if (to > from && b[to - 1] == '\r') {
            to--;
        }
        int n = to - from;
        if (isBlank(b, from, to)) {
            return;
        }
        if (n > maxLineBytes) {
            out.accept(
                    Event.oversized(
                            Arrays.copyOfRange(
                                    b, from, from + Math.min(n, LineReader.OVERSIZED_HEAD_BYTES)),
                            n));
        } else {
            out.accept(Event.line(Arrays.copyOfRange(b, from, to)));
        }
    }

    private void reset() {
        pendingLength = 0;
        oversizedHead = null;
        oversizedLength = 0;
        if (pending.length > 1 << 20) {
            pending = new byte[8192]; // do not keep a large line's buffer per connection
        }
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
