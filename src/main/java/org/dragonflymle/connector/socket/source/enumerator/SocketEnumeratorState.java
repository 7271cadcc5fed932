package org.dragonflymle.connector.socket.source.enumerator;

import java.util.List;
import org.apache.flink.annotation.Internal;
import org.dragonflymle.connector.socket.source.split.SocketSplit;

/**
 * What the enumerator checkpoints: the split not yet handed to a reader (none once a reader owns
 * the socket; a reader's own state then carries it).
 */
@Internal
public record SocketEnumeratorState(List<SocketSplit> unassigned) {

    public SocketEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
