package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logrotate against a file output, with no signal: the writer notices a rotation at its next
 * write-out. Both of logrotate's ways – rename (with or without a new file created at the path) and
 * copytruncate – lose no line and put none in the wrong file.
 */
class FileLineRotationTest {

    @TempDir Path dir;

    @Test
    void afterARenameNewLinesGoToANewFileAtThePath() throws Exception {
        Path out = dir.resolve("eve-mle.log");
        Path rotated = dir.resolve("eve-mle.log.1");
        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}", "{\"n\":2}");
            w.flush(false);
            Files.move(out, rotated);
            write(w, "{\"n\":3}", "{\"n\":4}");
            w.flush(false);

            assertThat(Files.readAllLines(rotated)).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(Files.readAllLines(out)).containsExactly("{\"n\":3}", "{\"n\":4}");
            // the checkpoint now refers to the new file
            assertThat(w.snapshotState(1))
                    .containsExactly(
                            new FileSinkState(
                                    out.toString(), FileLineWriterTest.key(out), Files.size(out)));
        }
    }

    /** logrotate's {@code create}: another program makes the new file before the writer looks. */
    @Test
    void aFileCreatedAtThePathByTheRotationIsAppendedTo() throws Exception {
        Path out = dir.resolve("eve-mle.log");
        Path rotated = dir.resolve("eve-mle.log.1");
        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}");
            w.flush(false);
            Files.move(out, rotated);
            Files.writeString(out, "");
            write(w, "{\"n\":2}");
            w.snapshotState(1);

            assertThat(Files.readAllLines(rotated)).containsExactly("{\"n\":1}");
            assertThat(Files.readAllLines(out)).containsExactly("{\"n\":2}");
        }
    }

    /** Lines buffered before the rotation was noticed are written once, to the new file. */
    @Test
    void linesBufferedAcrossTwoRotationsAreWrittenOnceEach() throws Exception {
        Path out = dir.resolve("eve-mle.log");
        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}");
            w.flush(false);
            Files.move(out, dir.resolve("eve-mle.log.1"));
            write(w, "{\"n\":2}");
            w.flush(false);
            Files.move(out, dir.resolve("eve-mle.log.2"));
            Files.move(dir.resolve("eve-mle.log.1"), dir.resolve("eve-mle.log.3"));
            write(w, "{\"n\":3}");
            w.flush(false);

            assertThat(Files.readAllLines(dir.resolve("eve-mle.log.3")))
                    .containsExactly("{\"n\":1}");
            assertThat(Files.readAllLines(dir.resolve("eve-mle.log.2")))
                    .containsExactly("{\"n\":2}");
            assertThat(Files.readAllLines(out)).containsExactly("{\"n\":3}");
        }
    }

    /** A line longer than the buffer bypasses it and must still follow the rotation. */
    @Test
    void aLineLongerThanTheBufferFollowsTheRotation() throws Exception {
        Path out = dir.resolve("eve-mle.log");
        String big = "\"" + "x".repeat(FileLineWriter.BUFFER_BYTES + 10) + "\"";
        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}");
            w.flush(false);
            Files.move(out, dir.resolve("eve-mle.log.1"));
            write(w, big);
            w.flush(false);
            assertThat(Files.readAllLines(out)).containsExactly(big);
        }
    }

    @Test
    void copyTruncateLeavesNoGapAndLosesNoLine() throws Exception {
        Path out = dir.resolve("eve-mle.log");
        Path copy = dir.resolve("eve-mle.log.1");
        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}", "{\"n\":2}");
            w.flush(false);
            Files.copy(out, copy);
            try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            write(w, "{\"n\":3}");
            w.flush(false);

            assertThat(Files.readAllLines(copy)).containsExactly("{\"n\":1}", "{\"n\":2}");
            // no NUL bytes where the old content was: the file is opened for appending
            assertThat(Files.readString(out)).isEqualTo("{\"n\":3}\n");
            assertThat(w.snapshotState(1).get(0).length()).isEqualTo(Files.size(out));
        }
    }

    private static void write(FileLineWriter w, String... lines) throws Exception {
        for (String line : lines) {
            w.write(Event.json(line.getBytes(StandardCharsets.UTF_8)), null);
        }
    }
}
