package org.dragonflymle.connector.tail.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.dragonflymle.connector.tail.split.TailSplitState;
import org.dragonflymle.event.Event;

/**
 * Hands each line on and moves the split's position past it in the same step, so that the position
 * a checkpoint stores is always that of the last line emitted: no line is read twice or skipped
 * after a restore.
 */
@Internal
public final class TailRecordEmitter implements RecordEmitter<TailRecord, Event, TailSplitState> {

    @Override
    public void emitRecord(TailRecord record, SourceOutput<Event> output, TailSplitState state) {
        if (record.event() != null) {
            output.collect(record.event());
        }
        state.advance(record.file(), record.offset());
    }
}
