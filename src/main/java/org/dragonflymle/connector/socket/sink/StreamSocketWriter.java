package org.dragonflymle.connector.socket.sink;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.LongSupplier;
import org.dragonflymle.connector.socket.SocketUri;

/**
 * {@code unix://} output: connects to a stream socket and writes each event as one line. Each event
 * is written out at once (no batching), so a listener sees events as they leave the job. A blocking
 * JDK channel: a write waits while the listener does not read, and is interruptible.
 */
final class StreamSocketWriter extends ReconnectingWriter {

    private SocketChannel channel;
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

    StreamSocketWriter(SocketUri uri, WriterMetrics metrics) {
        this(uri, metrics, System::nanoTime);
    }

    StreamSocketWriter(SocketUri uri, WriterMetrics metrics, LongSupplier clock) {
        super(uri, metrics, clock);
    }

    @Override
    void open() throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(uri.path()));
    }

    @Override
    void send(byte[] event) throws IOException {
        if (out.capacity() < event.length + 1) {
            out = ByteBuffer.allocateDirect(Integer.highestOneBit(event.length + 1) << 1);
        }
        out.clear();
        out.put(event).put((byte) '\n').flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    @Override
    void disconnect() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        channel = null;
    }
}
