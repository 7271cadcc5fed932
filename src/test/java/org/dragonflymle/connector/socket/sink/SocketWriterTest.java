package org.dragonflymle.connector.socket.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.flink.metrics.SimpleCounter;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.event.Event;
import org.dragonflymle.testutils.LineListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The socket writers against real listeners, with a clock the test moves. */
@Timeout(60)
class SocketWriterTest {

    @TempDir Path dir;

    private final WriterMetrics metrics =
            new WriterMetrics(new SimpleCounter(), new SimpleCounter(), new SimpleCounter());
    private final AtomicLong clock = new AtomicLong();

    private ReconnectingWriter writer(String scheme, Path sock) {
        SocketUri uri = SocketUri.parse(scheme + "://" + sock, Direction.OUTPUT);
        return scheme.equals("ipc")
                ? new DatagramSocketWriter(uri, metrics, clock::get)
                : new StreamSocketWriter(uri, metrics, clock::get);
    }

    private static Event event(int i) {
        return Event.json(
                ("{\"event_type\":\"alert\",\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> events(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new String(event(i).bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    private static void write(ReconnectingWriter w, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            w.write(event(i), null);
        }
    }

    @Test
    void ipcSendsEachEventAsOneNewlineTerminatedDatagram() throws Exception {
        Path sock = dir.resolve("out.sock");
        try (LineListener listener = LineListener.datagram(sock);
                ReconnectingWriter w = writer("ipc", sock)) {
            write(w, 0, 500);

            assertThat(listener.awaitLines(500, Duration.ofSeconds(10))).isEqualTo(events(0, 500));
            assertThat(listener.datagramSizes())
                    .hasSize(500)
                    .first()
                    .isEqualTo(event(0).bytes().length + 1);
            assertThat(metrics.sent().getCount()).isEqualTo(500);
            assertThat(metrics.dropped().getCount()).isZero();
        }
    }

    @Test
    void unixWritesOneLinePerEvent() throws Exception {
        Path sock = dir.resolve("out.sock");
        try (LineListener listener = LineListener.stream(sock);
                ReconnectingWriter w = writer("unix", sock)) {
            write(w, 0, 500);

            assertThat(listener.awaitLines(500, Duration.ofSeconds(10))).isEqualTo(events(0, 500));
            assertThat(metrics.bytesSent().getCount())
                    .isEqualTo(events(0, 500).stream().mapToLong(l -> l.length() + 1).sum());
        }
    }

    @Test
    void withoutAListenerEventsAreDroppedAndCountedAndTheWriterConnectsOnceOneIsThere()
            throws Exception {
        for (String scheme : List.of("ipc", "unix")) {
            Path sock = dir.resolve(scheme + ".sock");
            try (ReconnectingWriter w = writer(scheme, sock)) {
                write(w, 0, 10); // nobody listens: no exception, the job goes on
                assertThat(metrics.dropped().getCount()).as(scheme).isEqualTo(10);

                try (LineListener listener =
                        scheme.equals("ipc")
                                ? LineListener.datagram(sock)
                                : LineListener.stream(sock)) {
                    write(w, 10, 20); // still within the back-off: dropped
                    assertThat(metrics.dropped().getCount()).isEqualTo(20);

                    clock.addAndGet(ReconnectingWriter.MAX_BACKOFF_NANOS);
                    write(w, 20, 30);
                    assertThat(listener.awaitLines(10, Duration.ofSeconds(10)))
                            .as(scheme)
                            .isEqualTo(events(20, 30));
                }
            }
            metrics.dropped().dec(metrics.dropped().getCount());
        }
    }

    @Test
    void aListenerThatRestartsIsReconnectedWithoutLosingTheNextEvent() throws Exception {
        for (String scheme : List.of("ipc", "unix")) {
            Path sock = dir.resolve(scheme + ".sock");
            try (ReconnectingWriter w = writer(scheme, sock)) {
                try (LineListener first = listen(scheme, sock)) {
                    write(w, 0, 5);
                    first.awaitLines(5, Duration.ofSeconds(10));
                }
                try (LineListener second = listen(scheme, sock)) {
                    write(w, 5, 10);
                    assertThat(second.awaitLines(5, Duration.ofSeconds(10)))
                            .as(scheme)
                            .isEqualTo(events(5, 10));
                }
            }
            assertThat(metrics.dropped().getCount()).as(scheme).isZero();
        }
    }

    private static LineListener listen(String scheme, Path sock) throws Exception {
        return scheme.equals("ipc") ? LineListener.datagram(sock) : LineListener.stream(sock);
    }

    @Test
    void anEventTooLargeForADatagramIsDroppedAloneAndTheConnectionKept() throws Exception {
        Path sock = dir.resolve("out.sock");
        try (LineListener listener = LineListener.datagram(sock);
                ReconnectingWriter w = writer("ipc", sock)) {
            w.write(event(0), null);
            w.write(Event.json(("\"" + "x".repeat(16 << 20) + "\"").getBytes()), null);
            w.write(event(1), null);

            assertThat(listener.awaitLines(2, Duration.ofSeconds(10))).isEqualTo(events(0, 2));
            assertThat(metrics.dropped().getCount()).isEqualTo(1);
            assertThat(w.isConnected()).isTrue();
        }
    }

    @Test
    void aListenerThatDoesNotReadHoldsTheWriterBackUntilTheTaskIsInterrupted() throws Exception {
        Path sock = dir.resolve("out.sock");
        try (AFUNIXDatagramChannel deaf = AFUNIXDatagramChannel.open()) {
            deaf.bind(AFUNIXSocketAddress.of(sock));
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Thread> task = new AtomicReference<>();
            CompletableFuture<Void> writing =
                    CompletableFuture.runAsync(
                            () -> {
                                task.set(Thread.currentThread());
                                try (ReconnectingWriter w = writer("ipc", sock)) {
                                    for (int i = 0; i < 1_000; i++) {
                                        w.write(event(i), null);
                                        written.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            },
                            r -> new Thread(r).start());

            Thread.sleep(500);
            assertThat(writing).as("backpressure: the writer waits").isNotDone();
            int before = written.get();
            assertThat(before).isLessThan(1_000);
            assertThat(metrics.dropped().getCount()).isZero();

            task.get().interrupt(); // what a task cancel does
            assertThat(writing)
                    .failsWithin(5, TimeUnit.SECONDS)
                    .withThrowableOfType(ExecutionException.class)
                    .satisfies(
                            e ->
                                    assertThat(e.getCause().getCause())
                                            .isInstanceOf(InterruptedException.class));
            assertThat(written.get()).isEqualTo(before);
        }
    }
}
