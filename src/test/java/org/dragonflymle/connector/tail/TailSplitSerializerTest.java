package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.dragonflymle.connector.tail.enumerator.TailEnumeratorState;
import org.dragonflymle.connector.tail.enumerator.TailEnumeratorStateSerializer;
import org.dragonflymle.connector.tail.split.FileIdentity;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.connector.tail.split.TailSplitSerializer;
import org.junit.jupiter.api.Test;

class TailSplitSerializerTest {

    private static final TailSplit UNPOSITIONED =
            TailSplit.initial("/var/log/suricata/eve.json", StartPosition.END);
    private static final TailSplit POSITIONED =
            TailSplit.initial("/var/log/suricata/eve.json", StartPosition.BEGINNING)
                    .at(
                            new FileIdentity("(dev=803,ino=1234)", 1024, 0xCAFEBABEL),
                            123_456_789_012L);
    private static final TailSplit WITHOUT_KEY =
            TailSplit.initial("/tmp/ä.json", StartPosition.END).at(FileIdentity.ofKey(null), 7);

    private static TailSplit roundTrip(TailSplit split) throws IOException {
        TailSplitSerializer s = TailSplitSerializer.INSTANCE;
        return s.deserialize(s.getVersion(), s.serialize(split));
    }

    @Test
    void splitsSurviveTheRoundTrip() throws IOException {
        for (TailSplit split : List.of(UNPOSITIONED, POSITIONED, WITHOUT_KEY)) {
            assertThat(roundTrip(split)).isEqualTo(split);
        }
        assertThat(roundTrip(POSITIONED).offset()).isEqualTo(123_456_789_012L);
        assertThat(roundTrip(POSITIONED).file().key()).isEqualTo("(dev=803,ino=1234)");
    }

    @Test
    void enumeratorStateSurvivesTheRoundTrip() throws IOException {
        TailEnumeratorStateSerializer s = TailEnumeratorStateSerializer.INSTANCE;
        for (TailEnumeratorState state :
                List.of(
                        new TailEnumeratorState(List.of()),
                        new TailEnumeratorState(List.of(POSITIONED)),
                        new TailEnumeratorState(List.of(UNPOSITIONED, WITHOUT_KEY)))) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void unknownVersionsAreRefusedWithAMessage() {
        assertThatThrownBy(() -> TailSplitSerializer.INSTANCE.deserialize(2, new byte[0]))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> TailEnumeratorStateSerializer.INSTANCE.deserialize(0, new byte[0]))
                .hasMessageContaining("version 0");
    }
}
