package org.dragonflymle.connector.socket.source.reader;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.connector.socket.source.split.SocketSplit;
import org.dragonflymle.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a socket input: once it owns the split it binds the socket, and a {@link Receiver} drains
 * it into a bounded {@link EventBuffer} from its own threads; the task thread only takes events out
 * of the buffer. So backpressure reaches the buffer, not the sensor: when the buffer is full events
 * are dropped and counted ({@code overflow=drop}, the default) or the receiver stops reading
 * ({@code overflow=block}).
 *
 * <p>Metrics: {@code droppedEvents} (buffer full), {@code partialLines} (a stream writer
 * disconnected mid-line), {@code bufferedEvents} (gauge), and Flink's {@code numBytesIn}.
 *
 * <p>At-most-once: events in the buffer when the task fails or stops are lost, and nothing is
 * replayed after a restore (a socket cannot replay). Except at a local reload: the reader of the
 * stopping job leaves its socket bound and receiving, and the next job's reader takes it over with
 * what was received meanwhile ({@link SocketHandover}).
 */
@Internal
public final class SocketSourceReader implements SourceReader<Event, SocketSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketSourceReader.class);
    private static final int BATCH = 256;

    private final SocketUri uri;
    private final int maxLineBytes;
    private volatile EventBuffer buffer;
    private final DropReporter drops;
    private final DropReporter partialLines;
    private final Counter bytesIn;
    private final Event[] batch = new Event[BATCH];
    private SocketSplit split;
    private Receiver receiver;

    public SocketSourceReader(SocketUri uri, int maxLineBytes, SourceReaderContext context) {
        this.uri = uri;
        this.maxLineBytes = maxLineBytes;
        this.buffer = new EventBuffer(uri.bufferEvents(), uri.bufferBytes());
        SourceReaderMetricGroup metrics = context.metricGroup();
        String what = uri + " input";
        this.drops =
                new DropReporter(
                        what, LOG, metrics.counter("droppedEvents", new ThreadSafeSimpleCounter()));
        this.partialLines =
                new DropReporter(
                        what, LOG, metrics.counter("partialLines", new ThreadSafeSimpleCounter()));
        metrics.gauge("bufferedEvents", () -> buffer.size());
        this.bytesIn = metrics.getIOMetricGroup().getNumBytesInCounter();
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<SocketSplit> splits) {
        if (splits.isEmpty() || receiver != null) {
            return;
        }
        split = splits.get(0);
        Receiver kept = SocketHandover.claim(uri, drops);
        if (kept != null) {
            EventBuffer own = buffer;
            buffer = kept.buffer;
            receiver = kept;
            own.wakeUp(); // the task may wait on the availability of the buffer it no longer uses
            return;
        }
        Receiver r = Receiver.create(uri, maxLineBytes, buffer, drops, partialLines);
        try {
            r.start();
        } catch (IOException e) {
            throw new FlinkRuntimeException(uri + ": cannot bind the socket: " + e.getMessage(), e);
        }
        receiver = r;
        LOG.info(
                "{}: listening (buffer {} events / {} bytes, overflow={})",
                uri,
                uri.bufferEvents(),
                uri.bufferBytes(),
                uri.overflow().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Event> output) throws IOException {
        Throwable failure = receiver == null ? null : receiver.failure();
        if (failure != null) {
            throw new IOException(uri + ": receiving failed: " + failure, failure);
        }
        int n = buffer.drainTo(batch);
        for (int i = 0; i < n; i++) {
            Event e = batch[i];
            batch[i] = null;
            bytesIn.inc(e.bytes().length);
            output.collect(e);
        }
        drops.reportIfDue();
        return n > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (receiver != null && receiver.failure() != null) {
            return CompletableFuture.completedFuture(null);
        }
        return buffer.availability();
    }

    @Override
    public List<SocketSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(split);
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
        if (receiver != null
                && receiver.failure() == null
                && SocketHandover.park(receiver, drops)) {
            receiver = null;
            drops.reportNow();
            return;
        }
        buffer.close();
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        int lost = buffer.size();
        if (lost > 0) {
            LOG.info("{}: closed with {} received events not yet processed", uri, lost);
        }
        drops.reportNow();
    }
}
