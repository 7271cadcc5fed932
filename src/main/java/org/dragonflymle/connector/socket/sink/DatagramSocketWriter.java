package org.dragonflymle.connector.socket.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.dragonflymle.connector.socket.SocketUri;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code ipc://} output: one datagram per event, the JSON and a newline. The channel is
 * non-blocking and waits for room in a selector, because a blocking junixsocket send cannot be
 * interrupted and would hold up a task cancel for as long as the listener does not read.
 */
final class DatagramSocketWriter extends ReconnectingWriter {

    /** Asked for so that large events fit in one datagram; the kernel may grant less. */
    private static final int SEND_BUFFER_BYTES = 4 << 20;

    private static final long SELECT_MILLIS = 1_000;

    private AFUNIXDatagramChannel channel;
    private Selector selector;
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

    DatagramSocketWriter(SocketUri uri, WriterMetrics metrics) {
        this(uri, metrics, System::nanoTime);
    }

    DatagramSocketWriter(SocketUri uri, WriterMetrics metrics, LongSupplier clock) {
        super(uri, metrics, clock);
    }

    @Override
    void open() throws IOException {
        channel = AFUNIXDatagramChannel.open();
        channel.connect(AFUNIXSocketAddress.of(Path.of(uri.path())));
        channel.socket().setSendBufferSize(SEND_BUFFER_BYTES);
        channel.configureBlocking(false);
        selector = AFUNIXSelectorProvider.provider().openSelector();
        channel.register(selector, SelectionKey.OP_WRITE);
    }

    @Override
    void send(byte[] event) throws IOException, InterruptedException {
        if (out.capacity() < event.length + 1) {
            out = ByteBuffer.allocateDirect(Integer.highestOneBit(event.length + 1) << 1);
        }
        out.clear();
        out.put(event).put((byte) '\n').flip();
        while (channel.write(out) == 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException(uri + ": interrupted while the listener is full");
            }
            selector.select(SELECT_MILLIS);
            selector.selectedKeys().clear();
        }
    }

    @Override
    void disconnect() {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        selector = null;
        channel = null;
    }
}
