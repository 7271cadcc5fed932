package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file format as Flink's {@code FileSource} drives it: batches of events, cut at reads. */
class EventLineFormatTest {

    @TempDir Path dir;

    /** 20,000 lines of 650 bytes (a typical EVE line): 13 MB. */
    private Path eveSizedFile() throws IOException {
        Path f = dir.resolve("eve.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            String head = "{\"event_type\":\"flow\",\"n\":" + i + ",\"pad\":\"";
            sb.append(head).append("x".repeat(650 - head.length() - 3)).append("\"}\n");
        }
        Files.writeString(f, sb, StandardCharsets.US_ASCII);
        return f;
    }

    private static List<Integer> batchSizes(Path file, Configuration conf, int maxLineBytes)
            throws IOException {
        BulkFormat<Event, FileSourceSplit> format =
                new StreamFormatAdapter<>(new EventLineFormat(maxLineBytes));
        FileSourceSplit split =
                new FileSourceSplit(
                        "0",
                        new org.apache.flink.core.fs.Path(file.toUri()),
                        0,
                        Files.size(file),
                        0,
                        Files.size(file));
        List<Integer> sizes = new ArrayList<>();
        try (BulkFormat.Reader<Event> reader = format.createReader(conf, split)) {
            BulkFormat.RecordIterator<Event> batch;
            while ((batch = reader.readBatch()) != null) {
                int n = 0;
                RecordAndPosition<Event> r;
                while ((r = batch.next()) != null) {
                    assertThat(r.getRecord().bytes()).hasSize(649);
                    n++;
                }
                batch.releaseBatch();
                sizes.add(n);
            }
        }
        return sizes;
    }

    @Test
    void aBatchHoldsAboutTheFetchSizeOfLinesWhateverTheLineBound() throws IOException {
        Path file = eveSizedFile();
        Configuration conf = new Configuration();
        conf.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse("128kb"));

        // the default bound (1 MiB lines) and a 4 MiB one: the reads, not the buffer, cut batches
        for (int bound : new int[] {1024 * 1024, 4 * 1024 * 1024}) {
            List<Integer> sizes = batchSizes(file, conf, bound);

            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20_000);
            // 128 KiB of 650-byte lines is about 200; a read of 64 KiB more than that at most
            assertThat(sizes).as("bound %d", bound).allSatisfy(n -> assertThat(n).isLessThan(310));
            assertThat(sizes.size()).isGreaterThan(60);
        }
    }

    @Test
    void flinksDefaultFetchSizeMakesBatchesOfAboutAMegabyte() throws IOException {
        List<Integer> sizes = batchSizes(eveSizedFile(), new Configuration(), 4 * 1024 * 1024);

        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20_000);
        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThan(1_800));
    }
}
