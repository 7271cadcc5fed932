package org.dragonflymle.connector.socket.source.reader;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.dragonflymle.connector.socket.internal.SocketPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code unix://}: a Unix stream socket (the JDK's own), one thread accepting writers and one
 * thread per connected writer, each cutting its byte stream into lines. A line is an event only
 * once its newline has arrived: what a writer leaves unfinished when it disconnects is discarded
 * and counted (a cut-off EVE record is not an event), never emitted.
 */
final class StreamReceiver extends Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReceiver.class);

    /** More concurrent writers than this are refused (each costs a thread and a buffer). */
    static final int MAX_WRITERS = 64;

    private final SocketPath file;
    private final DropReporter partialLines;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private Thread acceptor;
    private int connectionCount;

    StreamReceiver(
            SocketUri uri,
            int maxLineBytes,
            EventBuffer buffer,
            DropReporter drops,
            DropReporter partialLines) {
        super(uri, maxLineBytes, buffer, drops);
        this.file = new SocketPath(uri.path());
        this.partialLines = partialLines;
    }

    @Override
    void start() throws IOException {
        Path bindAt = file.prepare(StreamReceiver::isListening);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(bindAt), MAX_WRITERS);
            file.publish(bindAt);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        acceptor = new Thread(this::accept, "acceptor " + uri);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        try {
            while (running) {
                SocketChannel c = server.accept();
                if (connections.size() >= MAX_WRITERS) {
                    LOG.warn("{}: refusing a writer, {} are connected already", uri, MAX_WRITERS);
                    c.close();
                    continue;
                }
                connections.add(c);
                Thread t = new Thread(() -> read(c), "writer " + ++connectionCount + " " + uri);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void read(SocketChannel c) {
        LineSplitter splitter = new LineSplitter(maxLineBytes);
        byte[] buf = new byte[64 * 1024];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try {
            while (running) {
                bb.clear();
                int n = c.read(bb);
                if (n < 0) {
                    break;
                }
                splitter.feed(buf, 0, n, this::deliver);
                reportDropsIfDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the writer went away (reset) or close() closed the channel: same as end of stream
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            long partial = splitter.discardPartial();
            if (partial > 0 && running) {
                partialLines.dropped(
                        1,
                        "a writer disconnected in the middle of a line; the unfinished line ("
                                + partial
                                + " bytes) is not an event");
            }
            connections.remove(c);
            threads.remove(Thread.currentThread());
            closeQuietly(c);
        }
    }

    @Override
    public void close() {
        running = false;
        if (server != null) {
            closeQuietly(server);
        }
        for (SocketChannel c : connections) {
            closeQuietly(c);
        }
        join(acceptor);
        for (Thread t : threads) {
            t.interrupt();
            join(t);
        }
        file.remove();
        partialLines.reportNow();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Whether a process listens on the stream socket at {@code path}. */
    static boolean isListening(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true; // e.g. a datagram socket is bound there: not ours to replace
        }
    }
}
