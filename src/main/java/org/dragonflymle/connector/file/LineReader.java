package org.dragonflymle.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.dragonflymle.event.Event;

/**
 * Splits a byte stream into lines without decoding them: each line becomes an {@link Event} of kind
 * LINE holding exactly its bytes (no terminator, a trailing CR dropped). Blank lines are skipped,
 * as the guarantees ask. A line longer than the bound becomes an OVERSIZED event with its first
 * bytes and real length; the rest of it is read past without being kept, so a 3 MB line costs no 3
 * MB buffer.
 *
 * <p>Two ways to meet the end of the stream:
 *
 * <ul>
 *   <li>{@linkplain #LineReader(InputStream, long, int) reading} a finished file: the end is final,
 *       and a last line without a newline is returned as it is;
 *   <li>{@linkplain #following following} a file that is still being written: the end only means
 *       "nothing more yet". {@link #next()} returns null and keeps an incomplete last line until
 *       its newline arrives (a later call reads on from where the stream left off); {@link
 *       #finish()} hands it out once the caller knows the writer has abandoned the file.
 * </ul>
 *
 * <p>Tracks the stream position just after the last line consumed (returned or skipped as blank),
 * which is the offset a checkpoint records and a restore seeks to. Not thread-safe.
 *
 * <p>Reads {@value #READ_BYTES} bytes at a time, into a buffer that grows only for a line longer
 * than that (up to the bound): Flink's {@code FileSource} cuts its batches of records at the reads
 * of the stream, and the events of the batches read ahead of a slow pipeline stay on the heap until
 * they are processed. Reading the bound's 4 MiB at once made batches of about 6,000 events and kept
 * 13,000 of them alive (survivors the young generation could not hold: the old one filled with them
 * and the collector ran a full collection every second or so).
 */
public final class LineReader {

    /** How much of an oversized line is kept for the error output. */
    public static final int OVERSIZED_HEAD_BYTES = Event.OVERSIZED_HEAD_BYTES;

    private final InputStream in;
    private final int maxLineBytes;

    /** How much one read of the stream asks for; the buffer starts at this size. */
    static final int READ_BYTES = 64 * 1024;

    private final boolean follow;
    private final int maxBufferBytes;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private long offset;

    // the line in progress: bytes after pos already searched for a newline, and, once it outgrew
    // the buffer, its kept head and the count of bytes read past
    private int searched;
    private byte[] head;
    private long dropped;

    /** Reads a stream whose end is final, starting at stream position {@code startOffset}. */
    public LineReader(InputStream in, long startOffset, int maxLineBytes) {
        this(in, startOffset, maxLineBytes, false);
    }

    private LineReader(InputStream in, long startOffset, int maxLineBytes, boolean follow) {
        this.in = in;
        this.offset = startOffset;
        this.maxLineBytes = maxLineBytes;
        this.follow = follow;
        this.maxBufferBytes = Math.max(READ_BYTES, Math.min(maxLineBytes + 2, 4 * 1024 * 1024));
        this.buf = new byte[READ_BYTES];
    }

    /**
     * Reads a stream that may grow: its end means "no complete line yet", never "last line".
     *
     * @param startOffset the stream position {@code in} is at
     */
    public static LineReader following(InputStream in, long startOffset, int maxLineBytes) {
        return new LineReader(in, startOffset, maxLineBytes, true);
    }

    /** The stream offset just after the last line consumed by {@link #next()}. */
    public long offset() {
        return offset;
    }

    /**
     * The next non-blank line; null at the end of the stream (when following: when no complete line
     * is available now).
     */
    public Event next() throws IOException {
        while (true) {
            Event e = nextLine();
            if (e == null || !isBlank(e.bytes())) {
                return e;
            }
        }
    }

    /**
     * When following: the incomplete last line read so far, as an event (or null if there is none
     * or it is blank), and the offset moves past it. For a file its writer has left for good (a
     * rotated file), whose last line will never be completed; the input stage then reports it.
     */
    public Event finish() {
        if (limit == pos && head == null) {
            return null;
        }
        Event e = take(limit - pos, false);
        pos = limit;
        return e == null || isBlank(e.bytes()) ? null : e;
    }

    private Event nextLine() throws IOException {
        while (true) {
            int nl = indexOfNewline(pos + searched);
            if (nl >= 0) {
                Event e = take(nl - pos, true);
                offset++; // the newline
                pos = nl + 1;
                return e;
            }
            searched = limit - pos;
            if (eof) {
                if (limit == pos && head == null) {
                    return null;
                }
                Event e = take(limit - pos, false);
                pos = limit;
                return e;
            }
            if (limit == buf.length) {
                if (pos > 0) {
                    compact();
                } else if (buf.length < maxBufferBytes) {
                    // a line longer than the buffer, not yet over the bound: room for it
                    buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxBufferBytes));
                } else {
                    // the line fills the whole buffer: keep its head, count and drop the rest
                    if (head == null) {
                        head = Arrays.copyOf(buf, Math.min(OVERSIZED_HEAD_BYTES, limit));
                    }
                    dropped += limit;
                    limit = 0;
                    searched = 0;
                }
            }
            int r = in.read(buf, limit, Math.min(READ_BYTES, buf.length - limit));
            if (r > 0) {
                limit += r;
            } else if (follow) {
                return null;
            } else if (r < 0) {
                eof = true;
            }
        }
    }

    /** The line of {@code n} buffered bytes at pos (after any dropped part) as an event. */
    private Event take(int n, boolean newline) {
        long total = dropped + n;
        int end = pos + n;
        if (newline && n > 0 && buf[end - 1] == '\r') {
            total--;
            end--;
        }
        Event e;
        if (head == null && total <= maxLineBytes) {
            e = Event.line(Arrays.copyOfRange(buf, pos, end));
        } else {
            byte[] kept =
                    head != null
                            ? head
                            : Arrays.copyOfRange(
                                    buf, pos, pos + Math.min(OVERSIZED_HEAD_BYTES, end - pos));
            e = Event.oversized(kept, (int) Math.min(Integer.MAX_VALUE, total));
        }
        offset += dropped + n;
        head = null;
        dropped = 0;
        searched = 0;
        return e;
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void compact() {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
    }

    private static boolean isBlank(byte[] b) {
        for (byte c : b) {
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
