package org.dragonflymle.connector.tail.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower against real files: growth, partial lines, rotations, truncation, restores. */
class FileFollowerTest {

    @TempDir Path dir;

    private final List<FileFollower> followers = new ArrayList<>();
    private FileIdentity lastFile;
    private long lastOffset;

    @AfterEach
    void closeFollowers() throws IOException {
        for (FileFollower f : followers) {
            f.close();
        }
    }

    private Path eve() {
        return dir.resolve("eve.json");
    }

    private FileFollower follow(FileIdentity file, long offset) {
        FileFollower f = new FileFollower(eve(), file, offset, 1 << 20);
        followers.add(f);
        return f;
    }

    /** The lines of one poll; remembers the position after the last record. */
    private List<String> poll(FileFollower f) throws IOException {
        TailRecords records = new TailRecords("s");
        f.poll(records, 1000, 1 << 20);
        List<String> lines = new ArrayList<>();
        if (records.nextSplit() != null) {
            TailRecord r;
            while ((r = records.nextRecordFromSplit()) != null) {
                if (r.event() != null) {
                    lines.add(new String(r.event().bytes(), StandardCharsets.UTF_8));
                }
                lastFile = r.file();
                lastOffset = r.offset();
            }
        }
        return lines;
    }

    /** Polls until nothing new comes (what a fetch loop does over a few intervals). */
    private List<String> drain(FileFollower f) throws IOException {
        List<String> all = new ArrayList<>();
        for (int idle = 0; idle < 3; ) {
            List<String> got = poll(f);
            idle = got.isEmpty() ? idle + 1 : 0;
            all.addAll(got);
        }
        return all;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(
                file,
                text,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    private static String lines(String prefix, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("{\"").append(prefix).append("\":").append(i).append("}\n");
        }
        return sb.toString();
    }

    private static List<String> list(String text) {
        return text.lines().toList();
    }

    @Test
    void completeLinesComeOutAndAPartialLastLineWaitsForItsNewline() throws IOException {
        append(eve(), "{\"a\":1}\n{\"a\":2}\n{\"a\":");
        FileFollower f = follow(null, 0);

        assertThat(drain(f)).containsExactly("{\"a\":1}", "{\"a\":2}");
        assertThat(lastOffset).isEqualTo(16);

        append(eve(), "3}");
        assertThat(drain(f)).isEmpty();
        append(eve(), "\n");
        assertThat(drain(f)).containsExactly("{\"a\":3}");
        assertThat(lastOffset).isEqualTo(24);
    }

    @Test
    void aFileThatDoesNotExistYetIsReadFromItsBeginningWhenItAppears() throws IOException {
        FileFollower f = follow(null, 0);
        assertThat(drain(f)).isEmpty();

        append(eve(), lines("x", 0, 3));
        assertThat(drain(f)).isEqualTo(list(lines("x", 0, 3)));
    }

    @Test
    void renameRotationFinishesTheOldFileThenReadsTheNewOneFromItsStart() throws IOException {
        append(eve(), lines("old", 0, 3));
        FileFollower f = follow(null, 0);
        assertThat(drain(f)).hasSize(3);

        Path rotated = dir.resolve("eve.json.1");
        Files.move(eve(), rotated);
        // the writer has not reopened yet: it appends to the renamed file, and a new empty file
        // (logrotate's "create") changes nothing
        append(rotated, lines("old", 3, 5) + "{\"cut");
        Files.createFile(eve());
        assertThat(drain(f)).isEqualTo(list(lines("old", 3, 5)));

        // the writer reopened: the old file is complete, its cut last line is given out as it is
        append(eve(), lines("new", 0, 2));
        assertThat(drain(f)).containsExactly("{\"cut", "{\"new\":0}", "{\"new\":1}");
        assertThat(lastOffset).isEqualTo(lines("new", 0, 2).length());
        assertThat(lastFile.key()).isEqualTo(key(eve()));
    }

    @Test
    void copyTruncateReadsTheFileAgainFromItsStart() throws IOException {
        append(eve(), lines("before", 0, 5));
        FileFollower f = follow(null, 0);
        assertThat(drain(f)).hasSize(5);

        try (FileChannel ch = FileChannel.open(eve(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(eve(), lines("after", 0, 2));
        assertThat(drain(f)).isEqualTo(list(lines("after", 0, 2)));
    }

    @Test
    void aFileRewrittenPastTheOffsetBetweenTwoLooksIsNoticedByItsFirstBytes() throws IOException {
        append(eve(), lines("before", 0, 2));
        FileFollower f = follow(null, 0);
        assertThat(drain(f)).hasSize(2);

        // truncated and refilled beyond the old offset before the follower looked again
        Files.writeString(eve(), lines("after-truncation", 0, 6));
        assertThat(drain(f)).isEqualTo(list(lines("after-truncation", 0, 6)));
    }

    @Test
    void startAtEndBeginsAfterTheLastCompleteLine() throws IOException {
        append(eve(), "{\"a\":1}\n{\"a\":2}\n{\"half");
        TailSplit split =
                FileFollower.position(
                        TailSplit.initial(eve().toString(), StartPosition.END), 1 << 20);

        assertThat(split.offset()).isEqualTo(16);
        assertThat(split.file().key()).isEqualTo(key(eve()));
        FileFollower f = follow(split.file(), split.offset());
        append(eve(), "\":1}\n");
        assertThat(drain(f)).containsExactly("{\"half\":1}");
    }

    @Test
    void startAtBeginningOrWithoutAFileIsOffsetZero() throws IOException {
        TailSplit missing = TailSplit.initial(eve().toString(), StartPosition.END);
        assertThat(FileFollower.position(missing, 100).file()).isNull();
        assertThat(FileFollower.position(missing, 100).start()).isEqualTo(StartPosition.BEGINNING);

        append(eve(), lines("a", 0, 3));
        TailSplit split =
                FileFollower.position(
                        TailSplit.initial(eve().toString(), StartPosition.BEGINNING), 100);
        assertThat(split.offset()).isZero();
        assertThat(split.file().key()).isEqualTo(key(eve()));
    }

    @Test
    void endOfLastLineLooksBackOnlyAsFarAsALineCanBe() throws IOException {
        append(eve(), "{\"a\":1}\n" + "x".repeat(200_000));
        try (FileChannel ch = FileChannel.open(eve())) {
            assertThat(FileFollower.endOfLastLine(ch, 1 << 20)).isEqualTo(8);
            assertThat(FileFollower.endOfLastLine(ch, 10)).isEqualTo(ch.size());
        }
    }

    @Test
    void aSavedPositionResumesWithoutRepeatingOrSkipping() throws IOException {
        append(eve(), lines("a", 0, 4));
        FileFollower first = follow(null, 0);
        assertThat(drain(first)).hasSize(4);
        first.close();
        append(eve(), lines("a", 4, 6));

        FileFollower second = follow(lastFile, lastOffset);
        assertThat(drain(second)).isEqualTo(list(lines("a", 4, 6)));
    }

    @Test
    void aFileRotatedWhileStoppedIsFinishedFromTheSavedOffsetBeforeTheNewOne() throws IOException {
        append(eve(), lines("a", 0, 4));
        FileFollower first = follow(null, 0);
        assertThat(drain(first)).hasSize(4);
        first.close();
        append(eve(), lines("a", 4, 6));
        Files.move(eve(), dir.resolve("eve.json.1"));
        append(eve(), lines("b", 0, 3));

        FileFollower second = follow(lastFile, lastOffset);
        assertThat(drain(second)).isEqualTo(list(lines("a", 4, 6) + lines("b", 0, 3)));
    }

    @Test
    void whenTheSavedFileIsGoneTheCurrentOneIsReadFromItsStart() throws IOException {
        append(eve(), lines("a", 0, 4));
        FileFollower first = follow(null, 0);
        drain(first);
        first.close();
        Files.delete(eve());
        append(eve(), lines("b", 0, 3));

        FileFollower second = follow(lastFile, lastOffset);
        assertThat(drain(second)).isEqualTo(list(lines("b", 0, 3)));
    }

    @Test
    void aFileTruncatedAndRewrittenWhileStoppedIsReadFromItsStart() throws IOException {
        append(eve(), lines("a", 0, 2));
        FileFollower first = follow(null, 0);
        drain(first);
        first.close();
        try (FileChannel ch = FileChannel.open(eve(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(eve(), lines("rewritten", 0, 5));

        FileFollower second = follow(lastFile, lastOffset);
        assertThat(drain(second)).isEqualTo(list(lines("rewritten", 0, 5)));
    }

    private static String key(Path p) throws IOException {
        return org.dragonflymle.connector.file.FileKeys.of(
                Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class));
    }
}
