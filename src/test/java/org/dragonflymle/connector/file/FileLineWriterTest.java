package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output's exactly-once part: what a restore does to the file. */
class FileLineWriterTest {

    @TempDir Path dir;

    private Path out() {
        return dir.resolve("alerts.json");
    }

    private static void write(FileLineWriter w, String... lines) throws IOException {
        for (String line : lines) {
            w.write(Event.json(line.getBytes(StandardCharsets.UTF_8)), null);
        }
    }

    private static List<String> read(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    @Test
    void aRestoreCutsTheFileBackToTheCheckpointAndTheReplayLeavesEachLineOnce() throws IOException {
        List<FileSinkState> checkpoint;
        try (FileLineWriter w = new FileLineWriter(out(), null)) {
            write(w, "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            w.flush(false);
            checkpoint = w.snapshotState(1);
            write(w, "{\"n\":4}", "{\"n\":5}");
            w.flush(false); // written, then the job fails before the next checkpoint
        }
        assertThat(checkpoint)
                .containsExactly(new FileSinkState(out().toString(), key(out()), 3 * 8));
        assertThat(read(out())).hasSize(5);

        FileLineWriter.rollBack(out(), checkpoint);
        assertThat(read(out())).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        try (FileLineWriter w = new FileLineWriter(out(), null)) {
            write(w, "{\"n\":4}", "{\"n\":5}");
        }
        assertThat(read(out()))
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
    }

    @Test
    void aRestoreAfterARotationCutsTheRotatedFileAndEmptiesTheNewOne() throws IOException {
        List<FileSinkState> checkpoint;
        try (FileLineWriter w = new FileLineWriter(out(), null)) {
            write(w, "{\"n\":1}", "{\"n\":2}");
            checkpoint = w.snapshotState(1);
            write(w, "{\"n\":3}");
        }
        Path rotated = dir.resolve("alerts.json.1");
        Files.move(out(), rotated);
        Files.writeString(out(), "{\"n\":4}\n"); // what the reopened output wrote, uncommitted

        FileLineWriter.rollBack(out(), checkpoint);

        assertThat(read(rotated)).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(out()).isEmptyFile();
    }

    @Test
    void aFileShorterThanTheCheckpointIsLeftAsItIs() throws IOException {
        List<FileSinkState> checkpoint;
        try (FileLineWriter w = new FileLineWriter(out(), null)) {
            write(w, "{\"n\":1}", "{\"n\":2}");
            checkpoint = w.snapshotState(1);
        }
        Files.writeString(out(), "{\"n\":1}\n"); // same inode, cut by someone else

        FileLineWriter.rollBack(out(), checkpoint);

        assertThat(read(out())).containsExactly("{\"n\":1}");
    }

    @Test
    void aCheckpointOfAnotherPathTouchesNothing() throws IOException {
        Files.writeString(out(), "{\"n\":1}\n{\"n\":2}\n");

        FileLineWriter.rollBack(
                out(), List.of(new FileSinkState("/elsewhere.json", key(out()), 0)));

        assertThat(read(out())).hasSize(2);
    }

    @Test
    void linesLongerThanTheBufferAreWrittenWhole() throws IOException {
        String big = "{\"big\":\"" + "x".repeat(FileLineWriter.BUFFER_BYTES * 2) + "\"}";
        try (FileLineWriter w = new FileLineWriter(out(), null)) {
            write(w, "{\"n\":1}", big, "{\"n\":2}");
        }

        assertThat(read(out())).containsExactly("{\"n\":1}", big, "{\"n\":2}");
    }

    static String key(Path p) throws IOException {
        return FileKeys.of(Files.readAttributes(p, BasicFileAttributes.class));
    }
}
