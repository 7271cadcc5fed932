package org.dragonflymle.connector.socket.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocketSplitSerializerTest {

    @Test
    void roundTrips() throws Exception {
        SocketSplit split = new SocketSplit("ipc:///run/dragonfly/ëve.sock");
        SocketSplitSerializer s = SocketSplitSerializer.INSTANCE;

        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
    }

    @Test
    void refusesAnUnknownVersion() {
        assertThatThrownBy(() -> SocketSplitSerializer.INSTANCE.deserialize(99, new byte[0]))
                .hasMessageContaining("version 99");
    }
}
