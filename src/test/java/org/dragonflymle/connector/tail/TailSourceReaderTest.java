package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.event.Event;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source reader as a task runs it (fetcher thread included), without a cluster. */
class TailSourceReaderTest {

    @TempDir Path dir;

    private Path eve() {
        return dir.resolve("eve.json");
    }

    private static TailSource source(Path file, StartPosition start) {
        return TailSource.builder(file.toString())
                .setStartPosition(start)
                .setPollInterval(Duration.ofMillis(20))
                .setMaxLineBytes(1 << 20)
                .build();
    }

    /** Polls the reader like a source task until {@code n} lines are out (or 10 s pass). */
    private static List<String> pollUntil(
            SourceReader<Event, TailSplit> reader, TestingReaderOutput<Event> out, int n)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.getEmittedRecords().size() < n && System.nanoTime() < deadline) {
            if (reader.pollNext(out) == InputStatus.NOTHING_AVAILABLE) {
                try {
                    reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // look again
                }
            }
        }
        return out.getEmittedRecords().stream()
                .map(e -> new String(e.bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    private static void append(Path file, List<String> lines, String tail) throws Exception {
        Files.writeString(
                file,
                String.join("\n", lines) + "\n" + tail,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void aRestoredReaderGoesOnAfterTheLastLineOfItsCheckpoint() throws Exception {
        List<String> sample = EveSamples.devLines().subList(0, 300);
        append(eve(), sample.subList(0, 200), "");
        TailSource source = source(eve(), StartPosition.BEGINNING);

        List<TailSplit> checkpoint;
        try (SourceReader<Event, TailSplit> reader =
                source.createReader(new TestingReaderContext())) {
            reader.start();
            reader.addSplits(List.of(TailSplit.initial(eve().toString(), StartPosition.BEGINNING)));
            TestingReaderOutput<Event> out = new TestingReaderOutput<>();
            assertThat(pollUntil(reader, out, 200)).isEqualTo(sample.subList(0, 200));
            checkpoint = reader.snapshotState(1);
        }
        assertThat(checkpoint).hasSize(1);
        assertThat(checkpoint.get(0).offset()).isEqualTo(Files.size(eve()));

        // written while the job was down, the last line not finished yet
        String half = sample.get(250).substring(0, 100);
        append(eve(), sample.subList(200, 250), half);

        try (SourceReader<Event, TailSplit> reader =
                source.createReader(new TestingReaderContext())) {
            reader.start();
            reader.addSplits(checkpoint);
            TestingReaderOutput<Event> out = new TestingReaderOutput<>();
            assertThat(pollUntil(reader, out, 50)).isEqualTo(sample.subList(200, 250));

            Files.writeString(
                    eve(), sample.get(250).substring(100) + "\n", StandardOpenOption.APPEND);
            assertThat(pollUntil(reader, out, 51)).endsWith(sample.get(250));
            assertThat(reader.snapshotState(2).get(0).offset()).isEqualTo(Files.size(eve()));
        }
    }

    @Test
    void startAtEndSkipsWhatTheFileHeldAndTheCheckpointPinsThatDown() throws Exception {
        List<String> sample = EveSamples.devLines().subList(0, 20);
        append(eve(), sample.subList(0, 10), "");
        TailSource source = source(eve(), StartPosition.END);

        try (SourceReader<Event, TailSplit> reader =
                source.createReader(new TestingReaderContext())) {
            reader.start();
            reader.addSplits(List.of(TailSplit.initial(eve().toString(), StartPosition.END)));
            // positioned on arrival, before any line: a restore cannot skip lines written later
            TailSplit pinned = reader.snapshotState(1).get(0);
            assertThat(pinned.file()).isNotNull();
            assertThat(pinned.offset()).isEqualTo(Files.size(eve()));

            append(eve(), sample.subList(10, 20), "");
            TestingReaderOutput<Event> out = new TestingReaderOutput<>();
            assertThat(pollUntil(reader, out, 10)).isEqualTo(sample.subList(10, 20));
        }
    }
}
