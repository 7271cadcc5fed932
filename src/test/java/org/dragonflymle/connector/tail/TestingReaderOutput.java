package org.dragonflymle.connector.tail;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;

/** Collects what a source reader emits. */
final class TestingReaderOutput<T> implements ReaderOutput<T> {

    private final List<T> emitted = new ArrayList<>();

    @Override
    public void collect(T record) {
        emitted.add(record);
    }

    @Override
    public void collect(T record, long timestamp) {
        emitted.add(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}

    List<T> emitted() {
        return emitted;
    }
}
