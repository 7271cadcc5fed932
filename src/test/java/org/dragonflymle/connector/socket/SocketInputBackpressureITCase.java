package org.dragonflymle.connector.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.dragonflymle.testutils.Await;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.RunningEngine;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The whole engine held back by an output that does not read (a listener that accepts and then
 * sits), while a sender floods its {@code ipc://} input with real EVE lines: with the default
 * overflow policy the sender is never held up and what does not fit is dropped and counted in the
 * {@code droppedEvents} metric; with {@code overflow=block} the sender waits and nothing is lost.
 * Either way, once the output reads again, delivered + dropped = sent.
 */
@Timeout(300)
class SocketInputBackpressureITCase {

    private static final int FLOOD = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path dir;

    private final InMemoryReporter reporter = InMemoryReporter.create();

    private Path root(String input, String output) {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, "file://../data/eve-sample.jsonl", input);
        TestRoots.editConfig(root, "file://passthrough.json", output);
        return root;
    }

    /** A listener that accepts the engine's connection but reads only when told. */
    private static final class LateReader implements AutoCloseable {
        final ServerSocketChannel server;
        final AtomicLong lines = new AtomicLong();
        final CompletableFuture<SocketChannel> connection;

        LateReader(Path path) throws Exception {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            connection = CompletableFuture.supplyAsync(this::accept);
        }

        private SocketChannel accept() {
            try {
                return server.accept();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }

        void startReading() {
            Thread t =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        Channels.newInputStream(connection.join()),
                                                        StandardCharsets.UTF_8))) {
                                    while (r.readLine() != null) {
                                        lines.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    // closed
                                }
                            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            if (connection.isDone()) {
                connection.join().close();
            }
        }
    }

    /** Real EVE lines, cycled; each fits a datagram. */
    private static List<byte[]> flood() {
        List<String> sample =
                EveSamples.devLines().stream().filter(l -> l.length() < 100_000).toList();
        return java.util.stream.IntStream.range(0, FLOOD)
                .mapToObj(i -> (sample.get(i % sample.size()) + "\n").getBytes())
                .toList();
    }

    /** The source's droppedEvents counter (the sinks have one of their own). */
    private long sourceDrops(RunningEngine engine) {
        long sum = 0;
        for (var group : reporter.getMetricsByGroup().entrySet()) {
            Metric m = group.getValue().get("droppedEvents");
            if (m instanceof Counter c
                    && group.getKey().getMetricIdentifier("droppedEvents").contains("source:")) {
                sum += c.getCount();
            }
        }
        return sum;
    }

    @Test
    void aFloodIntoABackpressuredJobIsDroppedAndCountedWhileTheSenderNeverWaits() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        List<byte[]> flood = flood();
        try (LateReader output = new LateReader(out);
                RunningEngine engine =
                        RunningEngine.start(
                                root("ipc://" + in + "?buffer=1000", "unix://" + out),
                                dir.resolve("logs"),
                                reporter.addToConfiguration(new Configuration()))) {
            Await.until(() -> Files.exists(in), WAIT, () -> in + " was not created");

            long slowest = 0;
            long started = System.nanoTime();
            try (AFUNIXDatagramChannel sender = AFUNIXDatagramChannel.open()) {
                sender.connect(AFUNIXSocketAddress.of(in));
                for (byte[] datagram : flood) {
                    long t = System.nanoTime();
                    sender.write(ByteBuffer.wrap(datagram));
                    slowest = Math.max(slowest, System.nanoTime() - t);
                }
            }
            long total = System.nanoTime() - started;
            Await.until(
                    () -> sourceDrops(engine) > 0,
                    WAIT,
                    () ->
                            "no drops counted in "
                                    + reporter.getMetricsByIdentifiers(engine.jobId()));
            System.out.printf(
                    "flood into a backpressured engine: %d datagrams in %d ms, slowest send %d"
                            + " ms, %d dropped so far%n",
                    FLOOD,
                    TimeUnit.NANOSECONDS.toMillis(total),
                    TimeUnit.NANOSECONDS.toMillis(slowest),
                    sourceDrops(engine));
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).isLessThan(1_000);

            output.startReading();
            Await.until(
                    () -> output.lines.get() + sourceDrops(engine) == FLOOD,
                    WAIT,
                    () -> output.lines.get() + " delivered + " + sourceDrops(engine) + " dropped");
            System.out.printf(
                    "  then %d delivered + %d dropped = %d sent%n",
                    output.lines.get(), sourceDrops(engine), FLOOD);
            assertThat(sourceDrops(engine)).isGreaterThan(FLOOD / 2);
        }
    }

    @Test
    void withOverflowBlockTheSenderWaitsAndEverythingArrives() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        List<byte[]> flood = flood();
        try (LateReader output = new LateReader(out);
                RunningEngine engine =
                        RunningEngine.start(
                                root(
                                        "ipc://" + in + "?buffer=1000&overflow=block",
                                        "unix://" + out),
                                dir.resolve("logs"),
                                reporter.addToConfiguration(new Configuration()))) {
            Await.until(() -> Files.exists(in), WAIT, () -> in + " was not created");

            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sender =
                    CompletableFuture.runAsync(
                            () -> {
                                try (AFUNIXDatagramChannel c = AFUNIXDatagramChannel.open()) {
                                    c.connect(AFUNIXSocketAddress.of(in));
                                    for (byte[] datagram : flood) {
                                        c.write(ByteBuffer.wrap(datagram));
                                        sent.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            },
                            r -> new Thread(r).start());

            // the pipeline fills up and then the sender stops getting its datagrams out
            long before;
            do {
                before = sent.get();
                Thread.sleep(1_000);
            } while (sent.get() != before && sent.get() < FLOOD);
            System.out.printf(
                    "overflow=block: the sender is stuck after %d of %d%n", before, FLOOD);
            assertThat(sender).isNotDone();
            assertThat(sent.get()).isLessThan(FLOOD);

            output.startReading();
            sender.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Await.until(
                    () -> output.lines.get() == FLOOD,
                    WAIT,
                    () -> output.lines.get() + " of " + FLOOD + " delivered");
            assertThat(sourceDrops(engine)).isZero();
        }
    }
}
