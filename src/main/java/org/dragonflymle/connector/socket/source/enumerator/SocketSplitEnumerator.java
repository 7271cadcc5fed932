package org.dragonflymle.connector.socket.source.enumerator;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.dragonflymle.connector.socket.source.split.SocketSplit;

/**
 * Hands the socket's single split to the first registered reader (subtask 0 at parallelism 1), so
 * exactly one reader binds the socket; a split coming back from a failed reader goes to the next
 * reader that registers.
 */
@Internal
public final class SocketSplitEnumerator
        implements SplitEnumerator<SocketSplit, SocketEnumeratorState> {

    private final SplitEnumeratorContext<SocketSplit> context;
    private final List<SocketSplit> unassigned;

    public SocketSplitEnumerator(
            SplitEnumeratorContext<SocketSplit> context, SocketEnumeratorState state) {
        this.context = context;
        this.unassigned = new ArrayList<>(state.unassigned());
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<SocketSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    private void assignPending() {
        if (unassigned.isEmpty() || context.registeredReaders().isEmpty()) {
            return;
        }
        int reader = context.registeredReaders().keySet().stream().min(Integer::compare).get();
        for (SocketSplit split : unassigned) {
            context.assignSplit(split, reader);
        }
        unassigned.clear();
    }

    @Override
    public SocketEnumeratorState snapshotState(long checkpointId) {
        return new SocketEnumeratorState(unassigned);
    }

    @Override
    public void close() {}
}
