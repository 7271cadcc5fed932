package org.dragonflymle.connector.socket.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * A socket input kept bound from one reader to the next across a handover (a local reload): what
 * arrives between the two is received, emitted by the next reader, and what does not fit the buffer
 * is counted in the next reader's {@code droppedEvents}. Outside a handover a reader closes its
 * socket as ever.
 */
@Timeout(60)
class SocketHandoverTest {

    @TempDir Path dir;

    private final List<SocketSourceReader> readers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        SocketHandover.close();
        readers.forEach(SocketSourceReader::close);
        SocketHandover.releaseAll();
    }

    private record Reader(SocketSourceReader reader, MetricListener metrics) {
        long dropped() {
            return metrics.getCounter("droppedEvents").map(Counter::getCount).orElseThrow();
        }
    }

    private Reader start(String uri) {
        SocketUri parsed = SocketUri.parse(uri, Direction.INPUT);
        MetricListener metrics = new MetricListener();
        SocketSourceReader reader =
                new SocketSourceReader(
                        parsed,
                        1 << 20,
                        new TestingReaderContext(
                                new Configuration(),
                                InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup())));
        readers.add(reader);
        reader.start();
        reader.addSplits(List.of(new SocketSplit(parsed.toString())));
        return new Reader(reader, metrics);
    }

    private static List<Integer> pollUntil(SocketSourceReader reader, int n) throws Exception {
        TestingReaderOutput<Event> output = new TestingReaderOutput<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (output.getEmittedRecords().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("got " + output.getEmittedRecords().size() + " of " + n);
            }
            reader.pollNext(output);
            try {
                reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // poll again
            }
        }
        reader.pollNext(output); // and nothing more
        return output.getEmittedRecords().stream()
                .map(e -> new String(e.bytes(), StandardCharsets.UTF_8))
                .map(s -> Integer.parseInt(s.replaceAll("\\D", "")))
                .toList();
    }

    private static void send(Path socket, int from, int to) throws IOException {
        try (AFUNIXDatagramChannel c = AFUNIXDatagramChannel.open()) {
            c.connect(AFUNIXSocketAddress.of(socket));
            for (int i = from; i < to; i++) {
                c.write(
                        ByteBuffer.wrap(
                                ("{\"seq\":" + i + "}\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void theNextReaderTakesTheSocketOverWithWhatArrivedMeanwhile() throws Exception {
        Path sock = dir.resolve("eve.sock");
        Reader first = start("ipc://" + sock);
        send(sock, 0, 10);
        assertThat(pollUntil(first.reader(), 10)).isEqualTo(range(0, 10));
        send(sock, 10, 15); // received, not yet emitted when the job stops

        SocketHandover.open();
        first.reader().close();
        SocketHandover.close();
        assertThat(sock).as("still bound between the jobs").exists();
        send(sock, 15, 40); // no reader: the socket receives on

        Reader next = start("ipc://" + sock);
        assertThat(pollUntil(next.reader(), 30))
                .as("what the first reader had received and not emitted, then what came between")
                .isEqualTo(range(10, 40));
        send(sock, 40, 45);
        assertThat(pollUntil(next.reader(), 5)).isEqualTo(range(40, 45));
        assertThat(next.dropped()).isZero();
    }

    @Test
    void whatOverflowsTheBufferMeanwhileIsCountedByTheNextReader() throws Exception {
        Path sock = dir.resolve("eve.sock");
        String uri = "ipc://" + sock + "?buffer=8";
        Reader first = start(uri);
        SocketHandover.open();
        first.reader().close();
        SocketHandover.close();
        send(sock, 0, 50);
        Await.until(() -> first.dropped() == 42, Duration.ofSeconds(20), () -> "42 drops");

        Reader next = start(uri);
        assertThat(pollUntil(next.reader(), 8)).isEqualTo(range(0, 8));
        assertThat(next.dropped()).as("dropped while no job read the socket").isEqualTo(42);
        send(sock, 50, 55);
        assertThat(pollUntil(next.reader(), 5)).isEqualTo(range(50, 55));
        assertThat(next.dropped()).isEqualTo(42);
    }

    @Test
    void aStreamWriterStaysConnectedAcrossTheHandover() throws Exception {
        Path sock = dir.resolve("eve-stream.sock");
        Reader first = start("unix://" + sock);
        try (SocketChannel writer = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            write(writer, 0, 5);
            assertThat(pollUntil(first.reader(), 5)).isEqualTo(range(0, 5));
            SocketHandover.open();
            first.reader().close();
            SocketHandover.close();
            write(writer, 5, 20); // the same connection, no reader
            Reader next = start("unix://" + sock);
            assertThat(pollUntil(next.reader(), 15)).isEqualTo(range(5, 20));
        }
    }

    private static void write(SocketChannel c, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append("{\"seq\":").append(i).append("}\n");
        }
        ByteBuffer b = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    void withoutAHandoverTheSocketIsClosed() throws Exception {
        Path sock = dir.resolve("eve.sock");
        Reader first = start("ipc://" + sock);
        first.reader().close();
        assertThat(sock).doesNotExist();
        Reader next = start("ipc://" + sock);
        send(sock, 0, 3);
        assertThat(pollUntil(next.reader(), 3)).isEqualTo(range(0, 3));
    }

    @Test
    void aSocketNoJobReadsAnyMoreIsClosedWhenReleased() throws Exception {
        Path kept = dir.resolve("kept.sock");
        Path gone = dir.resolve("gone.sock");
        Reader a = start("ipc://" + kept);
        Reader b = start("ipc://" + gone);
        SocketHandover.open();
        a.reader().close();
        b.reader().close();
        SocketHandover.close();
        SocketHandover.releaseAllBut(Set.of(SocketUri.parse("ipc://" + kept, Direction.INPUT)));
        assertThat(gone).doesNotExist();
        assertThat(kept).exists();
        assertThat(Files.exists(gone)).isFalse();
    }

    @Test
    void aSocketParkedWithOtherOptionsIsBoundAnewWithTheNewOnes() throws Exception {
        Path sock = dir.resolve("eve.sock");
        Reader first = start("ipc://" + sock + "?buffer=8");
        SocketHandover.open();
        first.reader().close();
        SocketHandover.close();
        Reader next = start("ipc://" + sock + "?buffer=100");
        send(sock, 0, 50);
        assertThat(pollUntil(next.reader(), 50)).isEqualTo(range(0, 50));
        assertThat(next.dropped()).isZero();
    }
}
