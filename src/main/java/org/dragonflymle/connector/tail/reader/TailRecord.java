package org.dragonflymle.connector.tail.reader;

import org.apache.flink.annotation.Internal;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.event.Event;

/**
 * One line read by the {@link TailSplitReader} and the position just after it; a view reused for
 * every record of a {@link TailRecords} batch. A null {@link #event()} is a position change without
 * a line (the reader moved to a new file, or back to offset 0 of a truncated one), so that a
 * checkpoint taken before the next line already points at the new place.
 */
@Internal
public final class TailRecord {

    private Event event;
    private FileIdentity file;
    private long offset;

    void set(Event event, FileIdentity file, long offset) {
        this.event = event;
        this.file = file;
        this.offset = offset;
    }

    public Event event() {
        return event;
    }

    public FileIdentity file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
