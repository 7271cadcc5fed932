package org.dragonflymle.connector.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.dragonflymle.event.Event;

/**
 * Appends each event as one line to a single named file, as the C engine's {@code file://} output
 * does (Flink's FileSink writes bucket directories of part files instead). Runs with parallelism 1
 * so lines of one output never interleave.
 *
 * <p>Delivery: exactly-once with checkpointing on. Each checkpoint records the file's length after
 * syncing it ({@link FileSinkState}); a restore cuts the file back to that length before appending,
 * so the lines the restored job writes again are not doubled. Lines after the last checkpoint are
 * visible in the file before they are committed, and a failure takes them back out (and writes them
 * again). Without checkpoints a restart appends from scratch (at-least-once).
 *
 * <p>Rotation: the writer notices at its next write-out that its file was renamed or removed and
 * opens the path anew; {@code copytruncate} works as it is (see {@link FileLineWriter}). A restore
 * after a rotation cuts back the rotated file (found by its inode in the same directory, so use
 * logrotate's {@code delaycompress} to keep it findable for one more cycle) and empties the new
 * one.
 *
 * <p>{@link #withoutRollback} is for a file that other writers append to as well (the engine's own
 * log): it is never cut, and lines after the last checkpoint may repeat after a restore.
 */
public final class FileLineSink implements Sink<Event>, SupportsWriterState<Event, FileSinkState> {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final boolean rollBack;

    /** An exactly-once output to {@code path}. */
    public FileLineSink(Path path) {
        this(path, true);
    }

    private FileLineSink(Path path, boolean rollBack) {
        this.path = path.toString();
        this.rollBack = rollBack;
    }

    /** An output to a file shared with other writers: never cut back on restore. */
    public static FileLineSink withoutRollback(Path path) {
        return new FileLineSink(path, false);
    }

    @Override
    public StatefulSinkWriter<Event, FileSinkState> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, java.util.List.of());
    }

    @Override
    public StatefulSinkWriter<Event, FileSinkState> restoreWriter(
            WriterInitContext context, Collection<FileSinkState> recoveredState)
            throws IOException {
        Path file = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (rollBack) {
            FileLineWriter.rollBack(file, recoveredState);
        }
        return new FileLineWriter(file, context.getProcessingTimeService());
    }

    @Override
    public SimpleVersionedSerializer<FileSinkState> getWriterStateSerializer() {
        return FileSinkStateSerializer.INSTANCE;
    }
}
