package org.dragonflymle.connector.socket.source.reader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import org.dragonflymle.connector.file.LineReader;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.connector.socket.internal.SocketPath;
import org.dragonflymle.event.Event;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code ipc://}: a Unix datagram socket (junixsocket; the JDK binds stream sockets only), drained
 * by one thread that waits in a selector, so that close() can stop it at once. Each datagram is one
 * record; its lines (usually one, newline-terminated as Suricata's {@code unix_dgram} writes them)
 * become events. A datagram larger than the receive buffer is truncated by the kernel and arrives
 * as an OVERSIZED event.
 */
final class DatagramReceiver extends Receiver {

    private static final int MAX_RECEIVE_BUFFER = 16 << 20;

    private final SocketPath file;
    private AFUNIXDatagramChannel channel;
    private Selector selector;
    private Thread thread;

    DatagramReceiver(SocketUri uri, int maxLineBytes, EventBuffer buffer, DropReporter drops) {
        super(uri, maxLineBytes, buffer, drops);
        this.file = new SocketPath(uri.path());
    }

    @Override
    void start() throws IOException {
        Path bindAt = file.prepare(DatagramReceiver::isListening);
        channel = AFUNIXDatagramChannel.open();
        try {
            channel.socket().setDeleteOnClose(false); // SocketPath removes the file, if ours
            channel.bind(AFUNIXSocketAddress.of(bindAt));
            file.publish(bindAt);
            channel.configureBlocking(false);
            selector = AFUNIXSelectorProvider.provider().openSelector();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        thread = new Thread(this::run, "receiver " + uri);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        // a line of maxLineBytes plus CR LF fits; a datagram that fills the buffer was truncated.
        // A direct buffer the native receive writes into as it is (a DatagramPacket would cost a
        // fresh native buffer of its full size per datagram).
        int size = (int) Math.max(64 * 1024, Math.min(maxLineBytes + 3L, MAX_RECEIVE_BUFFER));
        ByteBuffer in = ByteBuffer.allocateDirect(size);
        byte[] buf = new byte[64 * 1024];
        LineSplitter splitter = new LineSplitter(maxLineBytes);
        try {
            while (running) {
                selector.select(POLL_MILLIS);
                selector.selectedKeys().clear();
                reportDropsIfDue();
                while (running) {
                    in.clear();
                    channel.receive(in);
                    int n = in.position();
                    if (n == 0) {
                        break; // nothing queued (or an empty datagram, which holds no event)
                    }
                    in.flip();
                    if (n >= size) {
                        byte[] head = new byte[LineReader.OVERSIZED_HEAD_BYTES];
                        in.get(head);
                        deliver(Event.oversized(head, n));
                        continue;
                    }
                    if (buf.length < n) {
                        buf = new byte[Math.max(n, 2 * buf.length)];
                    }
                    in.get(buf, 0, n);
                    splitter.feed(buf, 0, n, this::deliver);
                    splitter.endOfRecord(this::deliver);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (selector != null) {
            selector.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        file.remove();
    }

    /** Whether a process has a datagram socket bound at {@code path}. */
    static boolean isListening(Path path) {
        try (AFUNIXDatagramSocket probe = AFUNIXDatagramSocket.newInstance()) {
            probe.connect(AFUNIXSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return !isRefused(e);
        }
    }

    static boolean isRefused(IOException e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof java.net.ConnectException || m.contains("refused");
    }
}
