package org.dragonflymle.connector.tail.reader;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.dragonflymle.connector.file.FileKeys;
import org.dragonflymle.connector.file.LineReader;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the file at one path the way {@code tail -F} does, but without losing or repeating a
 * line, for the {@link TailSplitReader}:
 *
 * <ul>
 *   <li>Only complete lines are handed out; a last line without its newline waits for it.
 *   <li>Rename-and-create rotation (logrotate's default, Suricata reopening on SIGHUP): the old
 *       file stays open and is read to its end; the new file at the path is taken up from offset 0
 *       once it holds data (the writer writes to one file at a time, so by then the old one is
 *       complete). A new file that stays empty, or a path that is gone, changes nothing.
 *   <li>Copy-truncate rotation: when the file gets shorter than what was read, or its first bytes
 *       change, it is read again from offset 0.
 *   <li>A restored position names a file by {@linkplain FileIdentity identity}; if the path holds
 *       another file by then, the old one is looked for in the same directory (where logrotate
 *       renames it), finished, and then the new one is read from its start.
 * </ul>
 *
 * Every position change without a line (new file, truncation) is added to the batch as a record
 * without an event, so that checkpoints follow it. Used by the fetcher thread only.
 */
@Internal
public final class FileFollower implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);

    private final Path path;
    private final int maxLineBytes;

    private FileIdentity restoreFile;
    private long restoreOffset;

    private FileChannel channel;
    private Path openPath;
    private FileIdentity file;
    private LineReader lines;
    private boolean writerMovedOn;
    private boolean waitingLogged;

    /**
     * @param file the file {@code offset} belongs to, or null to take the first file that appears
     *     at {@code path} from its beginning
     */
    public FileFollower(Path path, FileIdentity file, long offset, int maxLineBytes) {
        this.path = path;
        this.restoreFile = file;
        this.restoreOffset = offset;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Pins down where an unpositioned split starts: at {@link StartPosition#END} the end of the
     * last complete line of the file there now, at {@link StartPosition#BEGINNING} offset 0 of it.
     * With no file at the path yet the split stays unpositioned, starting from the beginning of
     * whatever file appears there (it is new). Done on the task thread when the split arrives,
     * before any checkpoint can store the split.
     */
    public static TailSplit position(TailSplit split, int maxLineBytes) throws IOException {
        if (split.file() != null) {
            return split;
        }
        Opened opened = open(Path.of(split.path()));
        if (opened == null) {
            return split.startingAt(StartPosition.BEGINNING);
        }
        try (FileChannel ch = opened.channel) {
            long offset = split.start() == StartPosition.END ? endOfLastLine(ch, maxLineBytes) : 0;
            return split.at(FileIdentity.of(opened.key, ch, offset), offset);
        }
    }

    /**
     * Adds the complete lines available now (at most {@code maxLines}, about {@code maxBytes}) to
     * {@code out}; adds nothing when there is nothing new.
     */
    public void poll(TailRecords out, int maxLines, long maxBytes) throws IOException {
        if (channel == null && !openFirst(out)) {
            return;
        }
        // checked before reading: a file refilled past the offset would be read from mid-line
        if (rewritten()) {
            LOG.info(
                    "{} was truncated or rewritten in place (copytruncate rotation); reading it"
                            + " again from its beginning",
                    path);
            use(channel, openPath, FileIdentity.ofKey(file.key()), 0);
            out.add(null, file, 0);
        }
        if (read(out, maxLines, maxBytes)) {
            return;
        }
        if (!writerMovedOn) {
            writerMovedOn = newFileWithData();
            // read what the writer added to the old file before it moved on
            if (!writerMovedOn || read(out, maxLines, maxBytes)) {
                return;
            }
        }
        Event abandoned = lines.finish();
        if (abandoned != null) {
            out.add(abandoned, file, lines.offset());
        }
        LOG.info(
                "{} was rotated; read the old file to its end ({} bytes), following the new one"
                        + " from its beginning",
                path,
                lines.offset());
        closeChannel();
        Opened next = open(path);
        if (next != null) {
            use(next.channel, path, FileIdentity.ofKey(next.key), 0);
            out.add(null, file, 0);
        }
    }

    private boolean read(TailRecords out, int maxLines, long maxBytes) throws IOException {
        int n = 0;
        long bytes = 0;
        Event e;
        while (n < maxLines && bytes < maxBytes && (e = lines.next()) != null) {
            out.add(e, file, lines.offset());
            n++;
            bytes += e.bytes().length;
        }
        if (n > 0 && file.headCanGrow(lines.offset())) {
            file = FileIdentity.of(file.key(), channel, lines.offset());
            out.add(null, file, lines.offset());
        }
        return n > 0;
    }

    /** Whether the open file lost bytes already read, or its first bytes changed. */
    private boolean rewritten() throws IOException {
        return channel.size() < channel.position() || !file.headMatches(channel);
    }

    /** Whether the path now names another file than the open one, and that file has data. */
    private boolean newFileWithData() throws IOException {
        BasicFileAttributes atPath = FileKeys.stat(path);
        return atPath != null && !file.sameKey(FileKeys.of(atPath)) && atPath.size() > 0;
    }

    /** Opens the restored position's file, or the first file at the path. */
    private boolean openFirst(TailRecords out) throws IOException {
        if (restoreFile != null) {
            FileIdentity want = restoreFile;
            restoreFile = null;
            if (resume(want, restoreOffset, out)) {
                return true;
            }
        }
        Opened opened = open(path);
        if (opened == null) {
            if (!waitingLogged) {
                LOG.info("waiting for {} to appear", path);
                waitingLogged = true;
            }
            return false;
        }
        use(opened.channel, path, FileIdentity.ofKey(opened.key), 0);
        out.add(null, file, 0);
        return true;
    }

    private boolean resume(FileIdentity want, long offset, TailRecords out) throws IOException {
        Opened atPath = open(path);
        if (atPath != null && want.sameKey(atPath.key)) {
            if (atPath.channel.size() >= offset && want.headMatches(atPath.channel)) {
                use(atPath.channel, path, want, offset);
                return true;
            }
            LOG.warn(
                    "{} was truncated or rewritten while the job was stopped (it no longer matches"
                            + " the saved offset {}); reading it from its beginning",
                    path,
                    offset);
            use(atPath.channel, path, FileIdentity.ofKey(atPath.key), 0);
            out.add(null, file, 0);
            return true;
        }
        Optional<Path> moved = FileKeys.find(path.toAbsolutePath().getParent(), want.key());
        if (moved.isPresent()) {
            Opened old = open(moved.get());
            if (old != null
                    && want.sameKey(old.key)
                    && old.channel.size() >= offset
                    && want.headMatches(old.channel)) {
                if (atPath != null) {
                    atPath.channel.close();
                }
                LOG.info(
                        "{} was rotated to {} since the saved position; reading that from offset {}"
                                + " to its end first",
                        path,
                        moved.get(),
                        offset);
                use(old.channel, moved.get(), want, offset);
                return true;
            }
            if (old != null) {
                old.channel.close();
            }
        }
        LOG.warn(
                "the file {} was read up to offset {} of is gone (rotated away and deleted or"
                        + " compressed while the job was stopped); what was written to it after that"
                        + " offset is lost; going on with the current file from its beginning",
                path,
                offset);
        if (atPath == null) {
            return false;
        }
        use(atPath.channel, path, FileIdentity.ofKey(atPath.key), 0);
        out.add(null, file, 0);
        return true;
    }

    private void use(FileChannel ch, Path at, FileIdentity identity, long offset)
            throws IOException {
        ch.position(offset);
        channel = ch;
        openPath = at;
        file = identity;
        lines = LineReader.following(Channels.newInputStream(ch), offset, maxLineBytes);
        writerMovedOn = false;
        waitingLogged = false;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }

    private record Opened(FileChannel channel, String key) {}

    /**
     * Opens a file for reading with the key of exactly the file opened (the path is looked up
     * before and after opening; a rotation in between means another try). Null if there is none.
     */
    private static Opened open(Path p) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            BasicFileAttributes before = FileKeys.stat(p);
            if (before == null) {
                return null;
            }
            if (!before.isRegularFile()) {
                throw new IOException(p + " is not a regular file");
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            BasicFileAttributes after = FileKeys.stat(p);
            if (after != null && Objects.equals(FileKeys.of(before), FileKeys.of(after))) {
                return new Opened(ch, FileKeys.of(after));
            }
            ch.close();
        }
        throw new IOException(p + " keeps being replaced while it is opened");
    }

    /**
     * The offset just after the last newline of the file, looked for in the last {@code
     * maxLineBytes} + 64 KiB; the file's size if there is none that close (a giant line being
     * written; its remainder will be reported as a line of its own).
     */
    static long endOfLastLine(FileChannel ch, int maxLineBytes) throws IOException {
        long size = ch.size();
        long floor = Math.max(0, size - (long) maxLineBytes - 64 * 1024);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long end = size;
        while (end > floor) {
            long start = Math.max(floor, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    return size; // shrank meanwhile: let the follower sort it out
                }
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return floor == 0 ? 0 : size;
    }
}
