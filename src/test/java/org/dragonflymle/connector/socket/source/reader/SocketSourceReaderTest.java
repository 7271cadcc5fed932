package org.dragonflymle.connector.socket.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.source.split.SocketSplit;
import org.dragonflymle.event.Event;
import org.dragonflymle.testutils.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The socket source reader on real Unix sockets, driven the way Flink's task thread drives it; a
 * test that does not poll is a job that is fully backpressured.
 */
@Timeout(60)
class SocketSourceReaderTest {

    @TempDir Path dir;

    private final MetricListener metrics = new MetricListener();
    private final TestingReaderContext context =
            new TestingReaderContext(
                    new Configuration(),
                    InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup()));
    private final TestingReaderOutput<Event> output = new TestingReaderOutput<>();
    private final List<SocketSourceReader> readers = new ArrayList<>();

    @AfterEach
    void closeReaders() {
        readers.forEach(SocketSourceReader::close);
    }

    private SocketSourceReader start(String uri) {
        SocketUri parsed = SocketUri.parse(uri, Direction.INPUT);
        SocketSourceReader reader = new SocketSourceReader(parsed, 1 << 20, context);
        readers.add(reader);
        reader.start();
        reader.addSplits(List.of(new SocketSplit(parsed.toString())));
        return reader;
    }

    /** Polls like the task thread until {@code n} events were emitted. */
    private List<String> pollUntil(SocketSourceReader reader, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (output.getEmittedRecords().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("got " + output.getEmittedRecords().size() + " of " + n);
            }
            reader.pollNext(output);
            CompletableFuture<Void> available = reader.isAvailable();
            try {
                available.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // poll again
            }
        }
        return output.getEmittedRecords().stream()
                .map(e -> new String(e.bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    /** The value of the counter the reader registered as {@code name}. */
    private long counter(String name) {
        return metrics.getCounter(name).map(Counter::getCount).orElseThrow();
    }

    private static AFUNIXDatagramChannel datagramSender(Path socket) throws IOException {
        AFUNIXDatagramChannel c = AFUNIXDatagramChannel.open();
        c.connect(AFUNIXSocketAddress.of(socket));
        return c;
    }

    private static void send(AFUNIXDatagramChannel c, String text) throws IOException {
        c.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String event(int i) {
        return "{\"event_type\":\"dns\",\"seq\":" + i + "}";
    }

    @Test
    void ipcMakesOneEventPerLineOfEachDatagramOnASocketOfMode0660() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("ipc://" + sock);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
                .isEqualTo("rw-rw----");
        try (AFUNIXDatagramChannel sender = datagramSender(sock)) {
            send(sender, event(1) + "\n");
            send(sender, event(2) + "\n" + event(3) + "\n");
            send(sender, event(4)); // no newline: the datagram ends the line
            send(sender, "\n");
        }

        assertThat(pollUntil(reader, 4)).containsExactly(event(1), event(2), event(3), event(4));
        reader.close();
        assertThat(sock).doesNotExist();
    }

    @Test
    void aFloodLargerThanTheBufferIsDroppedAndCountedWhileTheSenderNeverWaits() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("ipc://" + sock + "?buffer=1000");
        int flood = 20_000;
        long slowest = 0;
        long started = System.nanoTime();
        try (AFUNIXDatagramChannel sender = datagramSender(sock)) {
            for (int i = 0; i < flood; i++) {
                long t = System.nanoTime();
                send(sender, event(i) + "\n");
                slowest = Math.max(slowest, System.nanoTime() - t);
            }
        }
        long total = System.nanoTime() - started;

        // the job took nothing (not polled): 1000 buffered, the rest dropped and counted
        Await.until(
                () -> counter("droppedEvents") == flood - 1000,
                Duration.ofSeconds(10),
                () -> "dropped " + counter("droppedEvents"));
        System.out.printf(
                "flood: %d datagrams sent in %d ms, slowest send %d us, %d dropped%n",
                flood,
                TimeUnit.NANOSECONDS.toMillis(total),
                TimeUnit.NANOSECONDS.toMicros(slowest),
                counter("droppedEvents"));
        // a send waits only for the receiver thread's next pass, never for the job; the bound
        // leaves room for a loaded CI machine's scheduler
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowest))
                .as("slowest send (ms) of %d into a backpressured source", flood)
                .isLessThan(1_000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(total)).as("whole flood (ms)").isLessThan(10_000);

        List<String> got = pollUntil(reader, 1000);
        assertThat(got).hasSize(1000);
        assertThat(got.get(0)).isEqualTo(event(0));
        assertThat(got.get(999)).isEqualTo(event(999));
    }

    @Test
    void overflowBlockStopsReadingSoTheSenderWaitsAndNothingIsDropped() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("ipc://" + sock + "?buffer=100&overflow=block");
        int n = 1_000;
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> sender =
                CompletableFuture.runAsync(
                        () -> {
                            try (AFUNIXDatagramChannel c = datagramSender(sock)) {
                                for (int i = 0; i < n; i++) {
                                    send(c, event(i) + "\n");
                                    sent.incrementAndGet();
                                }
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        });

        Thread.sleep(1_000);
        assertThat(sender).as("the sender waits while the job does not read").isNotDone();
        assertThat(sent.get()).isLessThan(n / 2);
        assertThat(counter("droppedEvents")).isZero();

        List<String> got = pollUntil(reader, n);
        sender.get(10, TimeUnit.SECONDS);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(event(i));
        }
        assertThat(counter("droppedEvents")).isZero();
    }

    @Test
    void unixTakesLinesFromSeveralConcurrentWritersAndKeepsEachWhole() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("unix://" + sock);
        int writers = 4;
        int perWriter = 2_000;
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(
                    CompletableFuture.runAsync(
                            () -> writeInRandomChunks(sock, writer, perWriter),
                            runnable -> new Thread(runnable).start()));
        }

        List<String> got = pollUntil(reader, writers * perWriter);
        CompletableFuture.allOf(running.toArray(new CompletableFuture[0]))
                .get(10, TimeUnit.SECONDS);

        assertThat(got).hasSize(writers * perWriter);
        for (int w = 0; w < writers; w++) {
            String prefix = "{\"writer\":" + w + ",";
            List<String> mine = got.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(mine).hasSize(perWriter);
            for (int i = 0; i < perWriter; i++) {
                assertThat(mine.get(i)).isEqualTo(prefix + "\"seq\":" + i + "}");
            }
        }
        assertThat(counter("droppedEvents")).isZero();
    }

    private static void writeInRandomChunks(Path sock, int writer, int lines) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            all.append("{\"writer\":").append(writer).append(",\"seq\":").append(i).append("}\n");
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        Random random = new Random(writer);
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            int pos = 0;
            while (pos < bytes.length) {
                int n = Math.min(bytes.length - pos, 1 + random.nextInt(300));
                c.write(ByteBuffer.wrap(bytes, pos, n));
                pos += n;
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aWriterThatDisconnectsMidLineLosesOnlyThatLineAndItIsCounted() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("unix://" + sock);
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap((event(1) + "\n{\"event_type\":\"dn").getBytes()));
        }
        Await.until(
                () -> counter("partialLines") == 1,
                Duration.ofSeconds(10),
                () -> "partial lines " + counter("partialLines"));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap((event(2) + "\n").getBytes()));
        }

        assertThat(pollUntil(reader, 2)).containsExactly(event(1), event(2));
    }

    @Test
    void unixDropsWhatDoesNotFitWhileTheJobIsBackpressured() throws Exception {
        Path sock = dir.resolve("eve.sock");
        SocketSourceReader reader = start("unix://" + sock + "?buffer=10");
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                lines.append(event(i)).append('\n');
            }
            c.write(ByteBuffer.wrap(lines.toString().getBytes()));
        }

        Await.until(
                () -> counter("droppedEvents") == 90,
                Duration.ofSeconds(10),
                () -> "dropped " + counter("droppedEvents"));
        assertThat(pollUntil(reader, 10)).hasSize(10).startsWith(event(0));
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNotTakenOver() throws Exception {
        Path sock = dir.resolve("eve.sock");
        try (AFUNIXDatagramChannel crashed = AFUNIXDatagramChannel.open()) {
            crashed.socket().setDeleteOnClose(false);
            crashed.bind(AFUNIXSocketAddress.of(sock));
        }
        assertThat(sock).exists();

        SocketSourceReader reader = start("ipc://" + sock);
        try (AFUNIXDatagramChannel sender = datagramSender(sock)) {
            send(sender, event(1) + "\n");
        }
        assertThat(pollUntil(reader, 1)).containsExactly(event(1));

        assertThatThrownBy(() -> start("ipc://" + sock))
                .hasMessageContaining("cannot bind")
                .hasMessageContaining("another process is listening");
        assertThat(sock).exists();
    }
}
