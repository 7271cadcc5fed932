package org.dragonflymle.connector.tail.enumerator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.dragonflymle.connector.tail.split.TailSplit;

/**
 * Hands the single split of a {@code tail://} source to the reader of subtask 0 as soon as it
 * registers, and takes it back when that reader fails, to hand it out again with the position of
 * the last checkpoint. There is nothing to discover: the path is fixed, and following its files
 * through rotations is the reader's job (it runs where the file is).
 */
@Internal
public final class TailSplitEnumerator implements SplitEnumerator<TailSplit, TailEnumeratorState> {

    private final SplitEnumeratorContext<TailSplit> context;
    private final List<TailSplit> unassigned;

    public TailSplitEnumerator(
            SplitEnumeratorContext<TailSplit> context, Collection<TailSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        assignTo(subtaskId);
    }

    @Override
    public void addSplitsBack(List<TailSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignTo(subtaskId);
        }
    }

    private void assignTo(int subtaskId) {
        // a file has one reader: further subtasks (if someone raised the parallelism) stay idle
        if (subtaskId != 0 || unassigned.isEmpty()) {
            return;
        }
        for (TailSplit split : unassigned) {
            context.assignSplit(split, subtaskId);
        }
        unassigned.clear();
    }

    @Override
    public TailEnumeratorState snapshotState(long checkpointId) {
        return new TailEnumeratorState(unassigned);
    }

    @Override
    public void close() {}
}
