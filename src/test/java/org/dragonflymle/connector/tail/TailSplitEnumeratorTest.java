package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.dragonflymle.connector.tail.enumerator.TailSplitEnumerator;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.junit.jupiter.api.Test;

class TailSplitEnumeratorTest {

    private static final TailSplit SPLIT = TailSplit.initial("/tmp/eve.json", StartPosition.END);

    @Test
    void theSplitGoesToSubtaskZeroOnceAndComesBackAfterAFailure() throws Exception {
        try (MockSplitEnumeratorContext<TailSplit> context = new MockSplitEnumeratorContext<>(1)) {
            TailSplitEnumerator enumerator = new TailSplitEnumerator(context, List.of(SPLIT));
            enumerator.start();
            assertThat(enumerator.snapshotState(1).unassigned()).containsExactly(SPLIT);

            context.registerReader(new ReaderInfo(0, "localhost"));
            enumerator.addReader(0);
            assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
            assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0))
                    .containsExactly(SPLIT);
            assertThat(enumerator.snapshotState(2).unassigned()).isEmpty();

            // the reader fails: its split (as of the last checkpoint) comes back
            TailSplit restored = SPLIT.at(FileIdentity.ofKey("k"), 42);
            context.unregisterReader(0);
            enumerator.addSplitsBack(List.of(restored), 0);
            assertThat(enumerator.snapshotState(3).unassigned()).containsExactly(restored);
            context.registerReader(new ReaderInfo(0, "localhost"));
            enumerator.addReader(0);
            assertThat(context.getSplitsAssignmentSequence().get(1).assignment().get(0))
                    .containsExactly(restored);
        }
    }

    @Test
    void otherSubtasksGetNothing() throws Exception {
        try (MockSplitEnumeratorContext<TailSplit> context = new MockSplitEnumeratorContext<>(2)) {
            TailSplitEnumerator enumerator = new TailSplitEnumerator(context, List.of(SPLIT));
            context.registerReader(new ReaderInfo(1, "localhost"));
            enumerator.addReader(1);
            enumerator.handleSplitRequest(1, "localhost");

            assertThat(context.getSplitsAssignmentSequence()).isEmpty();
            assertThat(enumerator.snapshotState(1).unassigned()).containsExactly(SPLIT);
        }
    }
}
