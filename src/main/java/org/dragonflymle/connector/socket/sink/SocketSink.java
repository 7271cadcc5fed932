package org.dragonflymle.connector.socket.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.event.Event;

/**
 * Writes events to a Unix socket some other process listens on: {@code ipc://} sends each event as
 * one datagram (the JSON and a newline, as Suricata's {@code unix_dgram} does), {@code unix://}
 * connects and writes one line per event.
 *
 * <p>A listener that reads slowly slows the job down (backpressure, nothing dropped). A listener
 * that is not there, or goes away, does not fail the job: events are dropped and counted (metric
 * {@code droppedEvents}) while the writer reconnects with a bounded back-off (0.1 s doubling to 10
 * s). Delivery is therefore at-most-once. Run with parallelism 1 so lines never interleave.
 */
@PublicEvolving
public final class SocketSink implements Sink<Event> {

    private static final long serialVersionUID = 1L;

    private final SocketUri uri;

    public SocketSink(SocketUri uri) {
        this.uri = uri;
    }

    @Override
    public SinkWriter<Event> createWriter(WriterInitContext context) {
        SinkWriterMetricGroup group = context.metricGroup();
        WriterMetrics metrics =
                new WriterMetrics(
                        group.counter("droppedEvents", new SimpleCounter()),
                        group.getNumRecordsSendCounter(),
                        group.getNumBytesSendCounter());
        return switch (uri.kind()) {
            case DATAGRAM -> new DatagramSocketWriter(uri, metrics);
            case STREAM -> new StreamSocketWriter(uri, metrics);
        };
    }
}
