package org.dragonflymle.connector.tail.reader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.dragonflymle.connector.tail.split.TailSplit;

/**
 * Reads the followed file on the split fetcher thread. A fetch returns as soon as it has lines (up
 * to {@value #MAX_LINES} lines or about {@value #MAX_BYTES} bytes, read in large buffered chunks);
 * while the file has nothing new it waits between looks without returning: {@value
 * #FIRST_WAIT_MILLIS} ms after lines were found, doubling while nothing comes up to the poll
 * interval. A file being written is thus read within a few milliseconds of each write (Suricata
 * writes eve.json continuously), while an idle file costs one {@code read} and one {@code stat} per
 * poll interval and no task thread wake-ups. {@link #wakeUp()} ends the wait at once.
 */
@Internal
public final class TailSplitReader implements SplitReader<TailRecord, TailSplit> {

    static final int MAX_LINES = 4096;
    static final long FIRST_WAIT_MILLIS = 1;
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private final long pollMillis;
    private final int maxLineBytes;
    private long waitMillis;
    private final Object lock = new Object();
    private boolean wokenUp;

    private String splitId;
    private FileFollower follower;

    public TailSplitReader(Duration pollInterval, int maxLineBytes) {
        this.pollMillis = Math.max(1, pollInterval.toMillis());
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public RecordsWithSplitIds<TailRecord> fetch() throws IOException {
        TailRecords records = new TailRecords(splitId == null ? "" : splitId);
        while (true) {
            if (follower != null) {
                follower.poll(records, MAX_LINES, MAX_BYTES);
                if (!records.isEmpty()) {
                    linesFound();
                    return records;
                }
            }
            if (!idle()) {
                return records;
            }
        }
    }

    /** Waits before the next look; false if woken up (the fetcher has other work). */
    private boolean idle() {
        long wait = nextWait();
        synchronized (lock) {
            try {
                if (!wokenUp) {
                    lock.wait(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                wokenUp = true;
            }
            boolean keepWaiting = !wokenUp;
            wokenUp = false;
            return keepWaiting;
        }
    }

    /** The next wait between looks at a file with nothing new, in milliseconds. */
    long nextWait() {
        long wait = waitMillis == 0 ? pollMillis : waitMillis;
        waitMillis = Math.min(pollMillis, wait * 2);
        return wait;
    }

    /** Called when a look found lines: the next waits start short again. */
    void linesFound() {
        waitMillis = FIRST_WAIT_MILLIS;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<TailSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change);
        }
        for (TailSplit split : change.splits()) {
            if (follower != null) {
                throw new IllegalStateException(
                        "a tail:// reader follows one file; got a second split " + split);
            }
            splitId = split.splitId();
            follower =
                    new FileFollower(
                            Path.of(split.path()), split.file(), split.offset(), maxLineBytes);
        }
    }

    @Override
    public void wakeUp() {
        synchronized (lock) {
            wokenUp = true;
            lock.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        if (follower != null) {
            follower.close();
        }
    }
}
