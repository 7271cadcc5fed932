package org.dragonflymle.connector.socket.source.reader;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import org.dragonflymle.connector.file.LineReader;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.connector.socket.internal.SocketPath;
import org.dragonflymle.event.Event;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code ipc://}: a Unix datagram socket (junixsocket; the JDK binds stream sockets only), drained
 * by one thread. Each datagram is one record; its lines (usually one, newline-terminated as
 * Suricata's {@code unix_dgram} writes them) become events. A datagram larger than the receive
 * buffer is truncated by the kernel and arrives as an OVERSIZED event.
 */
final class DatagramReceiver extends Receiver {

    private static final int MAX_RECEIVE_BUFFER = 16 << 20;

    private final SocketPath file;
    private AFUNIXDatagramSocket socket;
    private Thread thread;

    DatagramReceiver(SocketUri uri, int maxLineBytes, EventBuffer buffer, DropReporter drops) {
        super(uri, maxLineBytes, buffer, drops);
        this.file = new SocketPath(uri.path());
    }

    @Override
    void start() throws IOException {
        Path bindAt = file.prepare(DatagramReceiver::isListening);
        socket = AFUNIXDatagramSocket.newInstance();
        try {
            socket.setDeleteOnClose(false); // SocketPath removes the file, if still ours
            socket.bind(AFUNIXSocketAddress.of(bindAt));
            file.publish(bindAt);
            socket.setSoTimeout(POLL_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        thread = new Thread(this::run, "receiver " + uri);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        // a line of maxLineBytes plus CR LF fits; a datagram that fills the buffer was truncated
        int size = (int) Math.max(64 * 1024, Math.min(maxLineBytes + 3L, MAX_RECEIVE_BUFFER));
        byte[] buf = new byte[size];
        DatagramPacket packet = new DatagramPacket(buf, size);
        LineSplitter splitter = new LineSplitter(maxLineBytes);
        try {
            while (running) {
                try {
                    packet.setLength(size);
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    reportDropsIfDue();
                    continue;
                }
                int n = packet.getLength();
                if (n >= size) {
                    deliver(
                            Event.oversized(
                                    Arrays.copyOf(buf, LineReader.OVERSIZED_HEAD_BYTES), n));
                } else {
                    splitter.feed(buf, 0, n, this::deliver);
                    splitter.endOfRecord(this::deliver);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (socket != null) {
            socket.close();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
