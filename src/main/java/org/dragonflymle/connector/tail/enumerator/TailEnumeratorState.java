package org.dragonflymle.connector.tail.enumerator;

import java.util.List;
import org.apache.flink.annotation.Internal;
import org.dragonflymle.connector.tail.split.TailSplit;

/**
 * What the enumerator checkpoints: the splits not assigned to a reader at that moment (the one
 * split before the reader registered, or after a failed reader gave it back). An assigned split's
 * position is in the reader's state, not here.
 */
@Internal
public record TailEnumeratorState(List<TailSplit> unassigned) {

    public TailEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
