package org.dragonflymle.connector.tail;

import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.dragonflymle.connector.tail.enumerator.TailEnumeratorState;
import org.dragonflymle.connector.tail.enumerator.TailEnumeratorStateSerializer;
import org.dragonflymle.connector.tail.enumerator.TailSplitEnumerator;
import org.dragonflymle.connector.tail.reader.TailSourceReader;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.connector.tail.split.TailSplitSerializer;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * {@code tail://PATH}: follows a growing file like {@code tail -F}, one raw line per {@link Event}
 * (validation is the input stage's job). Unbounded: the job runs until it is stopped.
 *
 * <p>What is promised, with checkpointing on: every complete line of every file that appears at
 * PATH is emitted once, in file order, across rename-and-create and copy-truncate rotations and
 * across restarts from a checkpoint or savepoint (the split stores the file's identity and the
 * offset after the last line emitted). A last line is emitted only once its newline is there. Lost
 * are only lines no longer on disk when they are looked for: those a copy-truncate rotation cut
 * before they were read, or those of a rotated file deleted or compressed while the job was
 * stopped, and files rotated more than once within one poll interval or while the job was stopped
 * (their intermediate files are not read).
 *
 * <p>Runs with parallelism 1 (a file has one reader); the reader must run where PATH is.
 */
@PublicEvolving
public final class TailSource
        implements Source<Event, TailSplit, TailEnumeratorState>, ResultTypeQueryable<Event> {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final StartPosition start;
    private final Duration pollInterval;
    private final int maxLineBytes;

    TailSource(String path, StartPosition start, Duration pollInterval, int maxLineBytes) {
        this.path = path;
        this.start = start;
        this.pollInterval = pollInterval;
        this.maxLineBytes = maxLineBytes;
    }

    public static TailSourceBuilder builder(String path) {
        return new TailSourceBuilder(path);
    }

    /**
     * The source of the path part of a {@code tail://} URI: an absolute path, optionally followed
     * by {@code ?} and {@link TailSourceOptions} (a {@code ?} not followed by {@code name=value}
     * stays part of the file name).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static TailSource fromUriPath(String pathAndQuery, int maxLineBytes) {
        int q = pathAndQuery.lastIndexOf('?');
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        if (q < 0 || !query.contains("=")) {
            return builder(pathAndQuery).setMaxLineBytes(maxLineBytes).build();
        }
        return builder(pathAndQuery.substring(0, q))
                .setOptions(TailSourceOptions.fromQuery(query))
                .setMaxLineBytes(maxLineBytes)
                .build();
    }

    public String path() {
        return path;
    }

    public StartPosition startPosition() {
        return start;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Event, TailSplit> createReader(SourceReaderContext context) {
        return new TailSourceReader(
                pollInterval, maxLineBytes, context.getConfiguration(), context);
    }

    @Override
    public SplitEnumerator<TailSplit, TailEnumeratorState> createEnumerator(
            SplitEnumeratorContext<TailSplit> context) {
        return new TailSplitEnumerator(context, List.of(TailSplit.initial(path, start)));
    }

    @Override
    public SplitEnumerator<TailSplit, TailEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<TailSplit> context, TailEnumeratorState state) {
        return new TailSplitEnumerator(context, state.unassigned());
    }

    @Override
    public SimpleVersionedSerializer<TailSplit> getSplitSerializer() {
        return TailSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<TailEnumeratorState> getEnumeratorCheckpointSerializer() {
        return TailEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return EventTypeInfo.INSTANCE;
    }
}
