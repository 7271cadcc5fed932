package org.dragonflymle.connector.socket.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dragonflymle.connector.socket.source.split.SocketSplit;
import org.junit.jupiter.api.Test;

class SocketEnumeratorStateSerializerTest {

    @Test
    void roundTripsWithAndWithoutTheSplit() throws Exception {
        SocketEnumeratorStateSerializer s = SocketEnumeratorStateSerializer.INSTANCE;
        for (SocketEnumeratorState state :
                List.of(
                        new SocketEnumeratorState(List.of()),
                        new SocketEnumeratorState(
                                List.of(new SocketSplit("unix:///tmp/e.sock"))))) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void refusesAnUnknownVersion() {
        assertThatThrownBy(
                        () -> SocketEnumeratorStateSerializer.INSTANCE.deserialize(2, new byte[4]))
                .hasMessageContaining("version 2");
    }
}
