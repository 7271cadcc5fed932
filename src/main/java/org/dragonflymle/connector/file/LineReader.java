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
 * <p>Tracks the stream position of the end of the last returned line, which is the offset a
 * checkpoint records and a restore seeks to.
 */
public final class LineReader {

    /** How much of an oversized line is kept for the error output. */
    public static final int OVERSIZED_HEAD_BYTES = 4096;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private long consumed;
    private final long startOffset;

    public LineReader(InputStream in, long startOffset, int maxLineBytes) {
        this.in = in;
        this.startOffset = startOffset;
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[Math.max(64 * 1024, Math.min(maxLineBytes + 2, 4 * 1024 * 1024))];
    }

    /** The stream offset just after the last line returned by {@link #next()}. */
    public long offset() {
        return startOffset + consumed;
    }

    /** The next non-blank line, or null at the end of the stream. */
    public Event next() throws IOException {
        while (true) {
            Event e = nextLine();
            if (e == null || !isBlank(e.bytes())) {
                return e;
            }
        }
    }

    private Event nextLine() throws IOException {
        byte[] head = null; // set once the line outgrew the buffer or the bound
        int headLength = 0;
        long lineLength = 0;
        int scanFrom = pos; // bytes before this were already searched for a newline
        while (true) {
            int nl = indexOfNewline(scanFrom);
            scanFrom = limit;
            if (nl >= 0) {
                int n = nl - pos;
                Event e = finish(head, headLength, lineLength, n, true);
                consumed += n + 1;
                pos = nl + 1;
                return e;
            }
            if (eof) {
                int n = limit - pos;
                if (n == 0 && head == null) {
                    return null;
                }
                Event e = finish(head, headLength, lineLength, n, false);
                consumed += n;
                pos = limit;
                return e;
            }
            if (pos > 0 && limit - pos < buf.length) {
                scanFrom -= pos;
                compact();
            } else if (limit == buf.length) {
                // the line fills the whole buffer: keep its head, count and drop the rest
                int n = limit - pos;
                if (head == null) {
                    head = new byte[Math.min(OVERSIZED_HEAD_BYTES, n)];
                    System.arraycopy(buf, pos, head, 0, head.length);
                    headLength = head.length;
                }
                lineLength += n;
                consumed += n;
                pos = limit = scanFrom = 0;
            }
            fill();
        }
    }

    private Event finish(byte[] head, int headLength, long lineLength, int n, boolean newline) {
        long total = lineLength + n;
        int end = pos + n;
        if (newline && n > 0 && buf[end - 1] == '\r') {
            total--;
            end--;
        }
        if (head == null && total <= maxLineBytes) {
            return Event.line(Arrays.copyOfRange(buf, pos, end));
        }
        if (head == null) {
            head = Arrays.copyOfRange(buf, pos, pos + Math.min(OVERSIZED_HEAD_BYTES, end - pos));
        } else if (headLength < head.length) {
            head = Arrays.copyOf(head, headLength);
        }
        return Event.oversized(head, (int) Math.min(Integer.MAX_VALUE, total));
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

    private void fill() throws IOException {
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            eof = true;
        } else {
            limit += r;
        }
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
