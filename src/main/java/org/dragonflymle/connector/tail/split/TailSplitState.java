package org.dragonflymle.connector.tail.split;

import org.apache.flink.annotation.Internal;

/**
 * The reader's progress in its split, advanced by the record emitter as each line is handed on (on
 * the task thread, so a checkpoint always sees the position of the last line emitted).
 */
@Internal
public final class TailSplitState {

    private final TailSplit split;
    private FileIdentity file;
    private long offset;

    public TailSplitState(TailSplit split) {
        this.split = split;
        this.file = split.file();
        this.offset = split.offset();
    }

    public void advance(FileIdentity file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    public TailSplit toSplit() {
        return file == null ? split : split.at(file, offset);
    }
}
