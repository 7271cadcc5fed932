package org.dragonflymle.connector.tail.reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.connector.tail.split.TailSplitState;
import org.dragonflymle.event.Event;

/**
 * The {@code tail://} source reader: one fetcher thread runs a {@link TailSplitReader}, the task
 * thread emits its lines and keeps the split's position ({@link TailRecordEmitter}). An
 * unpositioned split gets its start position here, on the task thread, before the fetcher sees it,
 * so no checkpoint can store a split that would resolve "end of file" a second time after a
 * restore.
 */
@Internal
public final class TailSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                TailRecord, Event, TailSplit, TailSplitState> {

    private final int maxLineBytes;

    public TailSourceReader(
            Duration pollInterval,
            int maxLineBytes,
            Configuration config,
            SourceReaderContext context) {
        super(
                () -> new TailSplitReader(pollInterval, maxLineBytes),
                new TailRecordEmitter(),
                config,
                context);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void addSplits(List<TailSplit> splits) {
        List<TailSplit> positioned = new ArrayList<>(splits.size());
        for (TailSplit split : splits) {
            try {
                positioned.add(FileFollower.position(split, maxLineBytes));
            } catch (IOException e) {
                throw new UncheckedIOException("tail://" + split.path() + ": " + e.getMessage(), e);
            }
        }
        super.addSplits(positioned);
    }

    @Override
    protected void onSplitFinished(Map<String, TailSplitState> finishedSplitIds) {
        // a followed file never finishes
    }

    @Override
    protected TailSplitState initializedState(TailSplit split) {
        return new TailSplitState(split);
    }

    @Override
    protected TailSplit toSplitType(String splitId, TailSplitState state) {
        return state.toSplit();
    }
}
