package org.dragonflymle.testutils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A real listener for the socket outputs: a datagram socket ({@link #datagram}) or a stream socket
 * ({@link #stream}) bound at a path, collecting what arrives as lines, on daemon threads.
 */
public final class LineListener implements AutoCloseable {

    private final Path path;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Integer> datagramSizes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private LineListener(Path path) {
        this.path = path;
    }

    /** Binds a datagram socket at {@code path}; each datagram's lines are collected. */
    public static LineListener datagram(Path path) throws IOException {
        LineListener l = new LineListener(path);
        Files.deleteIfExists(path);
        AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
        channel.bind(AFUNIXSocketAddress.of(path));
        l.closeables.add(channel);
        l.thread(
                () -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
                    while (l.running) {
                        buf.clear();
                        channel.receive(buf);
                        buf.flip();
                        l.datagramSizes.add(buf.remaining());
                        String text = StandardCharsets.UTF_8.decode(buf).toString();
                        for (String line : text.split("\n")) {
                            if (!line.isEmpty()) {
                                l.lines.add(line);
                            }
                        }
                    }
                });
        return l;
    }

    /** Listens on a stream socket at {@code path}; lines of every connection are collected. */
    public static LineListener stream(Path path) throws IOException {
        LineListener l = new LineListener(path);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        l.closeables.add(server);
        l.thread(
                () -> {
                    while (l.running) {
                        SocketChannel c = server.accept();
                        l.closeables.add(c);
                        l.thread(
                                () -> {
                                    try (BufferedReader r =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            Channels.newInputStream(c),
                                                            StandardCharsets.UTF_8))) {
                                        for (String line; (line = r.readLine()) != null; ) {
                                            l.lines.add(line);
                                        }
                                    }
                                });
                    }
                });
        return l;
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    private void thread(IoRunnable body) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                body.run();
                            } catch (IOException e) {
                                // closed
                            }
                        });
        t.setDaemon(true);
        t.start();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<Integer> datagramSizes() {
        return List.copyOf(datagramSizes);
    }

    /** Waits until at least {@code n} lines arrived; fails after {@code timeout}. */
    public List<String> awaitLines(int n, Duration timeout) {
        Await.until(
                () -> lines.size() >= n,
                timeout,
                () -> "expected " + n + " lines, got " + lines.size());
        return lines();
    }

    public Path path() {
        return path;
    }

    /**
     * Closes at once, as a listener process that exits does. Closing a channel that a reader thread
     * is blocked on only releases the socket once that read returns; until then a writer's events
     * would still land in it and be lost with it. Shutting the connection down first makes the
     * writer's next write fail right away.
     */
    @Override
    public void close() throws IOException {
        running = false;
        for (AutoCloseable c : closeables) {
            try {
                if (c instanceof SocketChannel connection) {
                    connection.shutdownInput();
                    connection.shutdownOutput();
                }
                c.close();
            } catch (Exception e) {
                // closing
            }
        }
        Files.deleteIfExists(path);
    }
}
