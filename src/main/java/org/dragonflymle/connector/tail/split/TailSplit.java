package org.dragonflymle.connector.tail.split;

import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a {@code tail://} source: a path and how far into which file at that path the
 * source has read. Immutable; the reader's progress lives in a {@link TailSplitState} and becomes a
 * new split at each checkpoint.
 *
 * <p>Before the reader has seen the path ({@link #file()} null) the split says where to start:
 * {@link #start()}. From then on it holds the {@linkplain FileIdentity file} and the byte offset
 * just after the last line handed on, which a restore resumes from exactly.
 */
@Internal
public final class TailSplit implements SourceSplit {

    private final String path;
    private final StartPosition start;
    private final FileIdentity file;
    private final long offset;

    public TailSplit(String path, StartPosition start, FileIdentity file, long offset) {
        this.path = Objects.requireNonNull(path, "path");
        this.start = Objects.requireNonNull(start, "start");
        this.file = file;
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset);
        }
        this.offset = offset;
    }

    /** A split for a path nobody has read yet. */
    public static TailSplit initial(String path, StartPosition start) {
        return new TailSplit(path, start, null, 0);
    }

    /** This split positioned at {@code offset} of {@code file}. */
    public TailSplit at(FileIdentity file, long offset) {
        return new TailSplit(path, start, Objects.requireNonNull(file, "file"), offset);
    }

    /** This split, still unpositioned, starting at {@code start}. */
    public TailSplit startingAt(StartPosition start) {
        return new TailSplit(path, start, null, 0);
    }

    @Override
    public String splitId() {
        return path;
    }

    public String path() {
        return path;
    }

    public StartPosition start() {
        return start;
    }

    /** The file {@link #offset()} refers to; null before the reader first saw the path. */
    public FileIdentity file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TailSplit s
                && path.equals(s.path)
                && start == s.start
                && Objects.equals(file, s.file)
                && offset == s.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, start, file, offset);
    }

    @Override
    public String toString() {
        return "TailSplit["
                + path
                + ", "
                + (file == null ? "start=" + start : file + " @" + offset)
                + "]";
    }
}
