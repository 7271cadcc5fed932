package org.dragonflymle.connector.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.dragonflymle.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events as lines to one named file (see {@link FileLineSink}).
 *
 * <p>Lines are collected in a buffer of whole lines and written out {@value #FLUSH_DELAY_MS} ms
 * after the first of them (so a quiet stream still shows its lines promptly, as the C engine's
 * line-buffered output does), when the buffer is full, and before every checkpoint; every write(2)
 * ends on a line boundary, so another appender of the same file never splits a line. At a
 * checkpoint the file is also synced, and its length becomes the writer's state.
 *
 * <p>Rotation is detected, not signalled: before every write-out the writer looks at what is at its
 * path now, and when a rotation has renamed or removed its file (logrotate's default {@code
 * create}) it opens the path anew, so the lines go to the new file. A {@code copytruncate} rotation
 * needs nothing: the file is opened for appending, so after the truncation lines land at its new
 * end. One {@code stat} per write-out (a full buffer or the prompt write-out), never per line; no
 * signal handler, so nothing here reaches beyond the task. Runs on the task thread only (timers
 * included).
 */
final class FileLineWriter implements StatefulSinkWriter<Event, FileSinkState> {

    private static final Logger LOG = LoggerFactory.getLogger(FileLineWriter.class);

    static final int BUFFER_BYTES = 256 * 1024;
    static final long FLUSH_DELAY_MS = 10;

    private final Path path;
    private final ProcessingTimeService timers;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    private FileChannel out;
    private String fileKey;
    private boolean flushScheduled;

    /** Set by a failed write: nothing more is written (the buffer's state is undefined then). */
    private IOException failed;

    /**
     * @param timers schedules the prompt write-out; null to write only when the buffer is full or
     *     at a flush
     */
    FileLineWriter(Path path, ProcessingTimeService timers) throws IOException {
        this.path = path;
        this.timers = timers;
        open();
    }

    /**
     * Cuts the file a checkpoint refers to back to the length it recorded: everything after it will
     * be written again by the restored job. If a rotation (SIGHUP) has put a new file at the path
     * since, the old one is looked for in the same directory (where logrotate renames it) and cut
     * back, and the new one, written entirely after the checkpoint, is emptied.
     */
    static void rollBack(Path path, Collection<FileSinkState> states) throws IOException {
        String name = path.toString();
        Optional<FileSinkState> mine =
                states.stream().filter(s -> s.path().equals(name)).findFirst();
        if (mine.isEmpty()) {
            if (!states.isEmpty()) {
                LOG.info(
                        "{}: the checkpoint's output went to {}; nothing to roll back here",
                        path,
                        states.iterator().next().path());
            }
            return;
        }
        FileSinkState state = mine.get();
        BasicFileAttributes now = FileKeys.stat(path);
        if (now != null && Objects.equals(FileKeys.of(now), state.fileKey())) {
            cut(path, now.size(), state.length());
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        Optional<Path> rotated = FileKeys.find(dir, state.fileKey());
        if (rotated.isPresent()) {
            cut(rotated.get(), Files.size(rotated.get()), state.length());
        } else {
            LOG.warn(
                    "{}: the file the checkpoint refers to was rotated since and is no longer in {};"
                            + " lines written to it after the checkpoint cannot be taken back and"
                            + " may appear twice",
                    path,
                    dir);
        }
        if (now != null && now.size() > 0) {
            LOG.info(
                    "{}: created by a rotation after the checkpoint; emptying it ({} bytes), its"
                            + " lines are written again",
                    path,
                    now.size());
            truncate(path, 0);
        }
    }

    private static void cut(Path file, long size, long committed) throws IOException {
        if (size > committed) {
            LOG.info(
                    "{}: rolled back to the checkpoint, removing {} bytes written after it",
                    file,
                    size - committed);
            truncate(file, committed);
        } else if (size < committed) {
            LOG.warn(
                    "{} has {} bytes, fewer than the {} the checkpoint recorded: it was cut or"
                            + " replaced outside the engine; appending to it as it is",
                    file,
                    size,
                    committed);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        }
    }

    private void open() throws IOException {
        out =
                FileChannel.open(
                        path,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
        BasicFileAttributes attributes = FileKeys.stat(path);
        fileKey = attributes == null ? null : FileKeys.of(attributes);
    }

    /** Opens the path anew when the open file is no longer what is at the path (rotated). */
    private void reopenIfRotated() throws IOException {
        BasicFileAttributes now = FileKeys.stat(path);
        if (now != null && (fileKey == null || fileKey.equals(FileKeys.of(now)))) {
            return;
        }
        out.close();
        open();
        LOG.info("{}: the file was rotated away; writing to a new file at the path", path);
    }

    @Override
    public void write(Event event, Context context) throws IOException {
        byte[] line = event.bytes();
        if (line.length + 1 > buf.remaining()) {
            drain();
            if (line.length + 1 > buf.capacity()) {
                reopenIfRotated();
                writeFully(ByteBuffer.wrap(line), ByteBuffer.wrap(new byte[] {'\n'}));
                return;
            }
        }
        buf.put(line).put((byte) '\n');
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (timers == null || flushScheduled) {
            return;
        }
        flushScheduled = true;
        timers.registerTimer(
                timers.getCurrentProcessingTime() + FLUSH_DELAY_MS,
                time -> {
                    flushScheduled = false;
                    if (out.isOpen()) {
                        drain();
                    }
                });
    }

    private void drain() throws IOException {
        if (failed != null) {
            throw failed;
        }
        if (buf.position() > 0) {
            reopenIfRotated();
            buf.flip();
            writeFully(buf);
            buf.clear();
        }
    }

    /**
     * Writes whole lines; if the file system fails part-way (full, quota), whatever part of them
     * reached the file is cut off again, so the file still ends on a whole line, and the failure
     * says which file system.
     */
    private void writeFully(ByteBuffer... parts) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : parts) {
            remaining += b.remaining();
        }
        long before = -1;
        try {
            before = out.size();
            while (remaining > 0) {
                remaining -= out.write(parts);
            }
        } catch (IOException e) {
            if (before >= 0) {
                // not through the channel: a write cut short by the task's cancellation (an
                // interrupt) has closed it, and it would refuse again on the interrupted thread
                try (java.io.RandomAccessFile file =
                        new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    if (file.length() > before) {
                        file.setLength(before);
                    }
                } catch (IOException | RuntimeException cut) {
                    e.addSuppressed(cut);
                }
            }
            buf.clear();
            failed = OutputFailedException.of(path, e);
            throw failed;
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        drain();
    }

    @Override
    public List<FileSinkState> snapshotState(long checkpointId) throws IOException {
        drain();
        try {
            out.force(false);
        } catch (IOException e) {
            throw OutputFailedException.of(path, e);
        }
        return List.of(new FileSinkState(path.toString(), fileKey, out.size()));
    }

    @Override
    public void close() throws IOException {
        if (failed != null) {
            out.close();
            return;
        }
        if (out.isOpen()) {
            try {
                drain();
            } finally {
                out.close();
            }
        }
    }
}
