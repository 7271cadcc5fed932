package org.dragonflymle.connector.tail.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How soon the reader sees what is written to the file it follows. */
class TailSplitReaderTest {

    @TempDir Path dir;

    @Test
    void aFileBeingWrittenIsReadWithinMillisecondsNotAtThePollInterval() throws Exception {
        Path eve = dir.resolve("eve.json");
        Files.writeString(eve, "{\"n\":1}\n");
        // A poll interval far beyond the test's patience: only the short waits that follow a
        // successful read can deliver the next line in time.
        try (TailSplitReader reader = new TailSplitReader(Duration.ofSeconds(30), 1 << 20)) {
            reader.handleSplitsChanges(
                    new SplitsAddition<>(
                            List.of(TailSplit.initial(eve.toString(), StartPosition.BEGINNING))));
            assertThat(lines(reader.fetch())).containsExactly("{\"n\":1}");

            CompletableFuture<List<String>> next =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return lines(reader.fetch());
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            Thread.sleep(50);
            Files.writeString(eve, "{\"n\":2}\n", StandardOpenOption.APPEND);
            assertThat(next.get(5, TimeUnit.SECONDS)).containsExactly("{\"n\":2}");
        }
    }

    @Test
    void waitsStartShortAfterLinesAndDoubleUpToThePollInterval() throws Exception {
        try (TailSplitReader reader = new TailSplitReader(Duration.ofMillis(50), 1 << 20)) {
            assertThat(reader.nextWait()).isEqualTo(50);
            reader.linesFound();
            long[] waits = new long[8];
            for (int i = 0; i < waits.length; i++) {
                waits[i] = reader.nextWait();
            }
            assertThat(waits).containsExactly(1, 2, 4, 8, 16, 32, 50, 50);
        }
    }

    private static List<String> lines(RecordsWithSplitIds<TailRecord> records) {
        List<String> out = new java.util.ArrayList<>();
        if (records.nextSplit() != null) {
            TailRecord r;
            while ((r = records.nextRecordFromSplit()) != null) {
                if (r.event() != null) {
                    out.add(new String(r.event().bytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
