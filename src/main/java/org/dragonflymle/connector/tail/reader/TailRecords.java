package org.dragonflymle.connector.tail.reader;

import java.util.Arrays;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.event.Event;

/**
 * One fetch of the {@link TailSplitReader}: lines of the one split in file order, each with the
 * position after it. Filled by the fetcher thread, then handed to the task thread whole.
 */
@Internal
public final class TailRecords implements RecordsWithSplitIds<TailRecord> {

    private final String splitId;
    private final TailRecord view = new TailRecord();
    private Event[] events = new Event[64];
    private FileIdentity[] files = new FileIdentity[64];
    private long[] offsets = new long[64];
    private int size;
    private int next;
    private boolean splitReturned;

    public TailRecords(String splitId) {
        this.splitId = splitId;
    }

    /** Adds a line ({@code event} null: a position change only) ending at {@code offset}. */
    public void add(Event event, FileIdentity file, long offset) {
        if (size == events.length) {
            int n = size * 2;
            events = Arrays.copyOf(events, n);
            files = Arrays.copyOf(files, n);
            offsets = Arrays.copyOf(offsets, n);
        }
        events[size] = event;
        files[size] = file;
        offsets[size] = offset;
        size++;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    @Override
    public String nextSplit() {
        if (splitReturned || size == 0) {
            return null;
        }
        splitReturned = true;
        return splitId;
    }

    @Override
    public TailRecord nextRecordFromSplit() {
        if (next == size) {
            return null;
        }
        view.set(events[next], files[next], offsets[next]);
        events[next] = null;
        next++;
        return view;
    }

    @Override
    public Set<String> finishedSplits() {
        return Set.of(); // a followed file never ends
    }
}
