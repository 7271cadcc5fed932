package org.dragonflymle.connector.socket.source;

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
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.source.enumerator.SocketEnumeratorState;
import org.dragonflymle.connector.socket.source.enumerator.SocketEnumeratorStateSerializer;
import org.dragonflymle.connector.socket.source.enumerator.SocketSplitEnumerator;
import org.dragonflymle.connector.socket.source.reader.SocketSourceReader;
import org.dragonflymle.connector.socket.source.split.SocketSplit;
import org.dragonflymle.connector.socket.source.split.SocketSplitSerializer;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * An unbounded source of raw input lines from a Unix socket the engine binds: {@code ipc://} (a
 * datagram socket, as Suricata's {@code unix_dgram} EVE output expects) or {@code unix://} (a
 * stream socket, several writers, Suricata's {@code unix_stream}). The socket has one reader, so
 * run it with parallelism 1.
 *
 * <p>Delivery is at-most-once: a socket keeps nothing to replay, so events buffered at a failure
 * are lost and a restore starts with whatever arrives next. The sensor is never blocked unless
 * {@code overflow=block} is chosen (see {@link org.dragonflymle.connector.socket.SocketOptions}).
 */
@PublicEvolving
public final class SocketSource
        implements Source<Event, SocketSplit, SocketEnumeratorState>, ResultTypeQueryable<Event> {

    private static final long serialVersionUID = 1L;

    private final SocketUri uri;
    private final int maxLineBytes;

    /**
     * @param maxLineBytes a line longer than this becomes an OVERSIZED event (config.lua {@code
     *     limits.max_event_bytes})
     */
    public SocketSource(SocketUri uri, int maxLineBytes) {
        this.uri = uri;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Event, SocketSplit> createReader(SourceReaderContext context) {
        return new SocketSourceReader(uri, maxLineBytes, context);
    }

    @Override
    public SplitEnumerator<SocketSplit, SocketEnumeratorState> createEnumerator(
            SplitEnumeratorContext<SocketSplit> context) {
        return new SocketSplitEnumerator(
                context, new SocketEnumeratorState(List.of(new SocketSplit(uri.toString()))));
    }

    @Override
    public SplitEnumerator<SocketSplit, SocketEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<SocketSplit> context, SocketEnumeratorState state) {
        return new SocketSplitEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<SocketSplit> getSplitSerializer() {
        return SocketSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SocketEnumeratorState> getEnumeratorCheckpointSerializer() {
        return SocketEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return EventTypeInfo.INSTANCE;
    }
}
