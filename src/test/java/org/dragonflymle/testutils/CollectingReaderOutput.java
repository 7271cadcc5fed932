package org.dragonflymle.testutils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.dragonflymle.event.Event;

/** Keeps what a source reader emits. */
public final class CollectingReaderOutput implements ReaderOutput<Event> {

    private final List<Event> events = new ArrayList<>();

    public List<Event> events() {
        return events;
    }

    /** The emitted events' bytes as UTF-8 text. */
    public List<String> lines() {
        return events.stream().map(e -> new String(e.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void collect(Event record) {
        events.add(record);
    }

    @Override
    public void collect(Event record, long timestamp) {
        events.add(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<Event> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}
}
