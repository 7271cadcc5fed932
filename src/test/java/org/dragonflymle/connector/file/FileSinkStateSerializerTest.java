package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FileSinkStateSerializerTest {

    private static FileSinkState roundTrip(FileSinkState state) throws IOException {
        FileSinkStateSerializer s = FileSinkStateSerializer.INSTANCE;
        return s.deserialize(s.getVersion(), s.serialize(state));
    }

    @Test
    void aStateSurvivesTheRoundTrip() throws IOException {
        FileSinkState state =
                new FileSinkState(
                        "/var/log/dragonfly-mle/alerts é.json", "(dev=803,ino=42)", 1L << 40);

        assertThat(roundTrip(state)).isEqualTo(state);
    }

    @Test
    void aStateWithoutFileKeySurvivesTheRoundTrip() throws IOException {
        FileSinkState state = new FileSinkState("/x", null, 0);

        assertThat(roundTrip(state)).isEqualTo(state);
    }

    @Test
    void anUnknownVersionIsRefusedWithAMessage() {
        assertThatThrownBy(() -> FileSinkStateSerializer.INSTANCE.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }
}
